import Foundation
import JSON
import Testing
@testable import Tokenizers

/// The Qwen3 tokenizer of `../shared/data` against goldens recorded with the reference.
@Suite(.serialized) struct QwenTests {
    static let available = FileManager.default.fileExists(atPath: Golden.qwen.path)

    /// Loaded once for the suite (a debug build takes seconds); the first test times its own load.
    nonisolated(unsafe) static var cached: Tokenizer?
    static func load() throws -> Tokenizer {
        if let t = cached { return t }
        let t = try Tokenizer(path: Golden.qwen.path)
        cached = t
        return t
    }

    @Test(.enabled(if: QwenTests.available, "Qwen3 tokenizer.json not found at ../shared/data/qwen3-tokenizer; skipped"))
    func encodingsAndWholeVocabularyRoundTrip() throws {
        let tokenizer = try QwenTests.load()
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
        for id in 0..<tokenizer.idCount {
            let s = tokenizer.decode([id])
            for b in s.utf8 { hash = (hash ^ UInt64(b)) &* 0x100_0000_01b3 }
            hash = (hash ^ 0) &* 0x100_0000_01b3
            let ids = tokenizer.encode(s)
            if ids != [id] { unreachable += 1 }
            if ids != (expected[id] ?? [id]) && failures.count < 12 { failures.append("\(id) \(s.debugDescription): \(ids) != \(expected[id] ?? [id])") }
        }
        #expect(unreachable == 3_357)
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
        #expect(String(format: "%016llx", hash) == golden["decode_fnv1a64"]?.stringValue)
    }

    /// Qwen's vocabulary is a tiktoken rank file at heart: written back as one and loaded with
    /// `Tokenizer.tiktoken`, it must encode the golden corpus exactly as tokenizer.json does.
    @Test(.enabled(if: QwenTests.available, "Qwen3 tokenizer.json not found at ../shared/data/qwen3-tokenizer; skipped"))
    func tiktokenRankFileEncodesAsTokenizerJSON() throws {
        let tokenizer = try QwenTests.load()
        var lines = ""
        var specials: [String: Int] = [:]
        for id in 0..<tokenizer.idCount {
            guard let s = tokenizer.tokenString(id) else { continue }
            if tokenizer.isAddedToken(id) { specials[s] = id; continue }
            let bytes = try #require(ByteLevelAlphabet.decode(s))
            lines += "\(Data(bytes).base64EncodedString()) \(id)\n"
        }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("qwen-\(UUID().uuidString).tiktoken")
        try Data(lines.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let tik = try Tokenizer.tiktoken(path: url.path, pattern: KnownPatternScanner.qwen2Pattern, specialTokens: specials)
        #expect(tik.idCount == tokenizer.idCount)
        let golden = try Golden.json(Golden.fixtures.appendingPathComponent("qwen3.golden.json"))
        for c in golden["cases"]?.arrayValue ?? [] {
            let text = c["text"]?.stringValue ?? ""
            // tokenizer.json adds an NFC normalizer, which a rank file does not have.
            if !Array(text.precomposedStringWithCanonicalMapping.utf8).elementsEqual(text.utf8) { continue }
            #expect(tik.encode(text) == Golden.ints(c["ids"]), "tiktoken encode \(text.debugDescription)")
            #expect(tik.decode(Golden.ints(c["ids"])) == tokenizer.decode(Golden.ints(c["ids"])))
        }
    }

    /// The round trip over the whole vocabulary on all cores (timing printed; the budget is < 1 s in release).
    @Test(.enabled(if: QwenTests.available, "Qwen3 tokenizer.json not found at ../shared/data/qwen3-tokenizer; skipped"))
    func parallelRoundTrip() throws {
        let tokenizer = try QwenTests.load()
        let n = tokenizer.idCount
        let chunks = 64
        let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: chunks)
        counts.initialize(repeating: 0)
        defer { counts.deallocate() }
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            for id in (n * c / chunks)..<(n * (c + 1) / chunks) where tokenizer.encode(tokenizer.decode([id])) != [id] {
                counts[c] += 1
            }
        }
        #expect(counts.reduce(0, +) == 3_357)
    }
}
