import Foundation
import JSON
import Testing
@testable import Tokenizers

/// Golden vectors from `scripts/golden/make_tokenizer_goldens.py` (reference: tokenizers 0.23.3).
enum Golden {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let qwen = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/data/qwen3-tokenizer/tokenizer.json")

    static var names: [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: fixtures.path)) ?? []
        return files.filter { $0.hasSuffix(".golden.json") && $0 != "qwen3.golden.json" }
            .map { String($0.dropLast(".golden.json".count)) }.sorted()
    }

    static func json(_ url: URL) throws -> JSONValue {
        try JSONParser(maxDepth: 64, duplicateKeys: .keepAll).parse(try Data(contentsOf: url))
    }

    static func ints(_ v: JSONValue?) -> [Int] { v?.arrayValue?.compactMap { $0.intValue } ?? [] }
}

@Suite struct GoldenTests {
    @Test(arguments: Golden.names)
    func fixture(_ name: String) throws {
        let golden = try Golden.json(Golden.fixtures.appendingPathComponent("\(name).golden.json"))
        let tokenizer = try Tokenizer(path: Golden.fixtures.appendingPathComponent("\(name).tokenizer.json").path)
        Self.expectGolden(tokenizer, golden, name)
    }

    /// A SentencePiece `.model` read directly gives the goldens of the tokenizer.json that
    /// transformers converts from it.
    @Test(arguments: ["spm-bpe", "spm-unigram-nfkccf"])
    func sentencePieceModel(_ name: String) throws {
        let golden = try Golden.json(Golden.fixtures.appendingPathComponent("\(name).golden.json"))
        let tokenizer = try Tokenizer.sentencePiece(path: Golden.fixtures.appendingPathComponent("\(name).model").path)
        Self.expectGolden(tokenizer, golden, name + ".model")
    }

    static func expectGolden(_ tokenizer: Tokenizer, _ golden: JSONValue, _ name: String) {
        var failures: [String] = []
        var checked = 0
        #expect(tokenizer.idCount == golden["vocab_size"]?.intValue)
        for c in golden["cases"]?.arrayValue ?? [] {
            let text = c["text"]?.stringValue ?? ""
            let ids = Golden.ints(c["ids"])
            let got = tokenizer.encode(text)
            if got != ids { failures.append("encode \(text.debugDescription): \(got) != \(ids)") }
            let decoded = tokenizer.decode(ids)
            if Array(decoded.utf8) != Array((c["decoded"]?.stringValue ?? "").utf8) {
                failures.append("decode \(ids): \(decoded.debugDescription) != \((c["decoded"]?.stringValue ?? "").debugDescription)")
            }
            let skipped = tokenizer.decode(ids, skipSpecialTokens: true)
            if Array(skipped.utf8) != Array((c["decoded_skip"]?.stringValue ?? "").utf8) {
                failures.append("decode(skip) \(ids): \(skipped.debugDescription)")
            }
            checked += 3
        }
        for c in golden["decode_cases"]?.arrayValue ?? [] {
            let ids = Golden.ints(c["ids"])
            let text = tokenizer.decode(ids)
            if Array(text.utf8) != Array((c["text"]?.stringValue ?? "").utf8) {
                failures.append("decode \(ids): \(text.debugDescription) != \((c["text"]?.stringValue ?? "").debugDescription)")
            }
            let skipped = tokenizer.decode(ids, skipSpecialTokens: true)
            if Array(skipped.utf8) != Array((c["text_skip"]?.stringValue ?? "").utf8) {
                failures.append("decode(skip) \(ids): \(skipped.debugDescription)")
            }
            checked += 2
        }
        for (id, entry) in (golden["vocab_round_trip"]?.arrayValue ?? []).enumerated() {
            let want = entry.arrayValue?.first?.stringValue ?? ""
            let s = tokenizer.decode([id])
            if Array(s.utf8) != Array(want.utf8) { failures.append("decode [\(id)]: \(s.debugDescription) != \(want.debugDescription)") }
            let ids = tokenizer.encode(want)
            let wantIDs = Golden.ints(entry.arrayValue?.last)
            if ids != wantIDs { failures.append("re-encode of id \(id) \(want.debugDescription): \(ids) != \(wantIDs)") }
            checked += 2
        }
        #expect(failures.isEmpty, "\(name): \(failures.count) of \(checked) checks failed:\n\(failures.prefix(12).joined(separator: "\n"))")
    }
}
