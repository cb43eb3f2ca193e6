import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Whether `xml` parses as a well-formed XML document; the parser's error when not.
func xmlError(_ xml: String) -> String? {
    let parser = XMLParser(data: Data(xml.utf8))
    final class Delegate: NSObject, XMLParserDelegate {
        var error: String?
        func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) { error = "\(parseError)" }
    }
    let d = Delegate()
    parser.delegate = d
    if parser.parse() { return nil }
    return d.error ?? parser.parserError.map { "\($0)" } ?? "parse failed"
}

/// Every `<svg …>…</svg>` element in `html`, in order.
func svgElements(_ html: String) -> [String] {
    var out: [String] = []
    var rest = html[...]
    while let start = rest.range(of: "<svg "), let end = rest.range(of: "</svg>", range: start.upperBound..<rest.endIndex) {
        out.append(String(rest[start.lowerBound..<end.upperBound]))
        rest = rest[end.upperBound...]
    }
    return out
}

/// A small deterministic generator (SplitMix64) for synthetic data.
struct SeededRandom {
    var state: UInt64
    init(_ seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func uniform() -> Double { Double(next() >> 11) / Double(1 << 53) }
    mutating func gaussian() -> Double {
        (-2 * log(max(uniform(), 1e-300))).squareRoot() * cos(2 * Double.pi * uniform())
    }
}

/// Reads PNG chunks: (type, data, stored CRC).
func pngChunks(_ png: [UInt8]) -> [(type: String, data: [UInt8], crc: UInt32)]? {
    var chunks: [(String, [UInt8], UInt32)] = []
    var i = 8
    func be32(_ at: Int) -> UInt32 {
        UInt32(png[at]) << 24 | UInt32(png[at + 1]) << 16 | UInt32(png[at + 2]) << 8 | UInt32(png[at + 3])
    }
    while i + 12 <= png.count {
        let len = Int(be32(i))
        guard i + 12 + len <= png.count else { return nil }
        let type = String(decoding: png[(i + 4)..<(i + 8)], as: UTF8.self)
        chunks.append((type, Array(png[(i + 8)..<(i + 8 + len)]), be32(i + 8 + len)))
        i += 12 + len
    }
    return i == png.count ? chunks : nil
}
