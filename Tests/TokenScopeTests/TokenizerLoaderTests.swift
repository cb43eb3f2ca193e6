import Foundation
import Testing
@testable import TokenScope

/// What `TokenizerLoader` accepts besides a tokenizer.json.
@Suite struct TokenizerLoaderTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("TokenizersTests/Fixtures").path

    /// A model directory with only a SentencePiece tokenizer.model loads it, and gives the
    /// tokenizer that the converted tokenizer.json gives.
    @Test func modelDirectoryWithOnlyTokenizerModel() throws {
        let directory = temporaryDirectory()
        try FileManager.default.copyItem(atPath: Self.fixtures + "/spm-bpe.model", toPath: directory + "/tokenizer.model")
        let fromModel = try TokenizerLoader.load(path: directory)
        let fromJSON = try TokenizerLoader.load(path: Self.fixtures + "/spm-bpe.tokenizer.json")
        #expect(fromModel.idCount == fromJSON.idCount && fromModel.modelKind == "BPE")
        let text = "Hello  world <s>x</s> ☃ 1234"
        #expect(fromModel.encode(text) == fromJSON.encode(text))
        #expect(try TokenizerLoader.load(path: Self.fixtures + "/spm-unigram-nfkccf.model").modelKind == "Unigram")
    }

    @Test func truncatedTokenizerModelIsAOneLineError() throws {
        let directory = temporaryDirectory()
        let model = try Data(contentsOf: URL(fileURLWithPath: Self.fixtures + "/spm-bpe.model"))
        try model.prefix(model.count / 2).write(to: URL(fileURLWithPath: directory + "/tokenizer.model"))
        #expect { try TokenizerLoader.load(path: directory) } throws: { error in
            let message = "\(error)"
            return message.contains("not a SentencePiece model") && !message.contains("\n")
        }
    }
}
