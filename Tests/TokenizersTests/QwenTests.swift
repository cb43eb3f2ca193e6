import Foundation
import JSON
import Testing
@testable import Tokenizers

/// The Qwen3 tokenizer of `../shared/data` against goldens recorded with the reference.
@Suite(.serialized) struct QwenTests {
    static let available = FileManager.default.fileExists(atPath: Golden.qwen.path)

    static func load() throws -> Tokenizer { try Tokenizer(contentsOf: Golden.qwen) }

    @Test(.enabled(if: QwenTests.available, "Qwen3 tokenizer.json not found at ../shared/data/qwen3-tokenizer; skipped"))
    func encodingsAndWholeVocabularyRoundTrip() throws {
        let start = Date()
        let tokenizer = try QwenTests.load()
        let loadTime = Date().timeIntervalSince(start)
        print("Qwen3 tokenizer loaded in \(String(format: "%.3f", loadTime)) s")
        let golden = try Golden.json(Golden.fixtures.appendingPathComponent("qwen3.golden.json"))
        #expect(tokenizer.idCount == golden["vocab_size"]?.intValue)
        #expect(tokenizer.idCount == 151_669)
        #expect(tokenizer.modelKind == "BPE")
        #expect(tokenizer.warnings.isEmpty)
        for c in golden["cases"]?.arrayValue ?? [] {
            let text = c["text"]?.stringValue ?? ""
            let ids = Golden.ints(c["ids"])
            #expect(tokenizer.encode(text) == ids, "encode \(text.debugDescription)")
            #expect(Array(tokenizer.decode(ids).utf8) == Array((c["decoded"]?.stringValue ?? "").utf8))
            #expect(Array(tokenizer.decode(ids, skipSpecialTokens: true).utf8) == Array((c["decoded_skip"]?.stringValue ?? "").utf8))
        }
        // Whole vocabulary: decode([id]) then encode; reachable ids give [id], the others are recorded.
        var expected: [Int: [Int]] = [:]
        for m in golden["unreachable"]?.objectValue ?? [] { expected[Int(m.key) ?? -1] = Golden.ints(m.value) }
        #expect(expected.count == 3_357)
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        var unreachable = 0
        var failures: [String] = []
        let t0 = Date()
        for id in 0..<tokenizer.idCount {
            let s = tokenizer.decode([id])
            for b in s.utf8 { hash = (hash ^ UInt64(b)) &* 0x100_0000_01b3 }
            hash = (hash ^ 0) &* 0x100_0000_01b3
            let ids = tokenizer.encode(s)
            if ids != [id] { unreachable += 1 }
            if ids != (expected[id] ?? [id]) && failures.count < 12 { failures.append("\(id) \(s.debugDescription): \(ids) != \(expected[id] ?? [id])") }
        }
        print("Qwen3 whole-vocabulary round trip in \(String(format: "%.3f", Date().timeIntervalSince(t0))) s")
        #expect(unreachable == 3_357)
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
        #expect(String(format: "%016llx", hash) == golden["decode_fnv1a64"]?.stringValue)
    }
}
