/// `Strip`: removes up to `start` leading and `stop` trailing occurrences of `content` from each token.
struct StripDecoder: TokenDecoder {
    let content: Unicode.Scalar
    let start: Int
    let stop: Int

    init(_ c: Config) throws {
        let s = Array(try c.string("content").unicodeScalars)
        guard s.count == 1 else { throw c.error("content must be one character") }
        content = s[0]
        start = try c.int("start", default: 0)
        stop = try c.int("stop", default: 0)
    }

    func decodeChain(_ tokens: [[UInt8]], raw: Bool) -> [[UInt8]] {
        // On bytes: `content` is one whole character, so this equals the reference's per-char loop.
        let c = Array(String(content).utf8)
        return tokens.map { t in
            var lo = 0, hi = t.count
            var k = 0
            while k < start && hi - lo >= c.count && t[lo..<lo + c.count].elementsEqual(c) { lo += c.count; k += 1 }
            k = 0
            while k < stop && hi - lo >= c.count && t[hi - c.count..<hi].elementsEqual(c) { hi -= c.count; k += 1 }
            return Array(t[lo..<hi])
        }
    }
}
