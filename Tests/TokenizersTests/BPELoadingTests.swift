import Foundation
import JSON
import Testing
import TokenScopeCore
@testable import Tokenizers

/// Merge resolution runs in parallel on load: the tokenizer, and the error for a bad merge, must not
/// depend on the thread count.
@Suite struct BPELoadingTests {
    /// Letters, every pair of letters and every letter pair followed by a letter: 18,252 merges.
    static func tokenizerJSON(badMergesAt bad: [Int] = []) throws -> JSONValue {
        let letters = (UInt8(ascii: "a")...UInt8(ascii: "z")).map { String(UnicodeScalar($0)) }
        let pairs = letters.flatMap { x in letters.map { x + $0 } }
        var merges = letters.flatMap { x in letters.map { "\(x) \($0)" } } + pairs.flatMap { p in letters.map { "\(p) \($0)" } }
        for rank in bad { merges[rank] = "a missing" }
        let vocab = letters + pairs + pairs.flatMap { p in letters.map { p + $0 } }
        let vocabText = vocab.enumerated().map { "\"\($0.element)\": \($0.offset)" }.joined(separator: ",")
        let mergesText = merges.map { "\"\($0)\"" }.joined(separator: ",")
        return try JSONParser().parse(Array("{\"model\": {\"type\": \"BPE\", \"vocab\": {\(vocabText)}, \"merges\": [\(mergesText)]}}".utf8))
    }

    @Test func sameTokenizerForOneAndThreeThreads() throws {
        let json = try Self.tokenizerJSON()
        let one = try Tokenizer(json: json, parallelism: .serial)
        let three = try Tokenizer(json: json, parallelism: Parallelism(threads: 3))
        for i in 0..<50 {
            let text = String((0..<(i % 40 + 1)).map { k in Character(UnicodeScalar(UInt8(ascii: "a") + UInt8((i * 7 + k * k * 13) % 26))) })
            #expect(one.encode(text) == three.encode(text), "\(text)")
        }
        // Pairs outrank the triples: (a, b), then (c, d), then (e, f).
        #expect(one.encode("abcdef") == ["ab", "cd", "ef"].map { one.id(forToken: $0) ?? -1 })
    }

    @Test func theFirstBadMergeIsReportedWhateverTheThreads() throws {
        let json = try Self.tokenizerJSON(badMergesAt: [17_000, 5_000])
        for threads in [1, 3] {
            #expect { try Tokenizer(json: json, parallelism: Parallelism(threads: threads)) } throws: { error in
                "\(error)".contains("merge 5001 ")
            }
        }
    }
}
