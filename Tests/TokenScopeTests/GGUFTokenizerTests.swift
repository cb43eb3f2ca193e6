import Foundation
import Testing
@testable import TokenScope

/// GGUF vocabularies become tokenizers through the same engine as tokenizer.json.
@Suite struct GGUFTokenizerTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("TensorFormatsTests/Fixtures").path

    @Test(arguments: ["f32.gguf", "llama_vocab.gguf"])
    func vocabularyLoadsAndRoundTripsText(file: String) throws {
        let path = Self.fixtures + "/gguf/" + file
        let tokenizer = try TokenizerLoader.load(path: path)
        let gguf = try GGUFFile(path: path)
        #expect(tokenizer.idCount == gguf["tokenizer.ggml.tokens"]?.arrayValue?.count)
        for id in 0..<tokenizer.idCount where !tokenizer.isSpecial(id) {
            // Every ordinary entry decodes to text whose encoding is well formed.
            let ids = tokenizer.encode(tokenizer.decode([id]))
            #expect(ids.allSatisfy { $0 >= 0 && $0 < tokenizer.idCount })
        }
    }

    @Test(arguments: ["tokenizer_merge_unknown_token.json", "tokenizer_vocab_gaps.json"])
    func malformedTokenizersAreRefused(file: String) {
        #expect(throws: (any Error).self) { try TokenizerLoader.load(path: Self.fixtures + "/malformed/" + file) }
    }
}
