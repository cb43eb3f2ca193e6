import Foundation
import Testing
@testable import TokenScope

/// `decode`, `classify` and `count` as library stages: computing writes nothing, `write` writes,
/// and the JSON summary carries the typed figures.
@Suite struct TokenStageTests {
    @Test func stagesComputeWithoutWritingAndWriteOnRequest() throws {
        let directory = temporaryDirectory()
        _ = try SyntheticModel.generate(preset: try #require(SyntheticPreset.named("tiny")), seed: 2, directory: directory + "/model")
        let tokenizer = try TokenizerLoader.load(path: directory + "/model")

        let decoded = try DecodeStage.run(tokenizer: tokenizer, ids: [0, tokenizer.idCount])
        #expect(decoded.tokens.map(\.id) == [0, tokenizer.idCount])
        #expect(!decoded.tokens[0].script.isEmpty && decoded.tokens[1].script.isEmpty)
        #expect(decoded.summary["tokens"]?.arrayValue?.count == 2)
        #expect(throws: StageError.negativeID(-1)) { try DecodeStage.run(tokenizer: tokenizer, ids: [-1]) }

        var classified = try ClassifyStage.run(tokenizer: tokenizer)
        #expect(classified.scripts.count == tokenizer.idCount && classified.path == nil)
        #expect(classified.counts.reduce(0) { $0 + $1.count } == tokenizer.idCount)
        #expect(zip(classified.counts, classified.counts.dropFirst()).allSatisfy { $0.count >= $1.count })
        #expect(!FileManager.default.fileExists(atPath: directory + "/out/" + ClassifyStage.fileName))
        try ClassifyStage.write(&classified, tokenizer: tokenizer, outputDirectory: directory + "/out")
        #expect(classified.summary["output"]?.stringValue == directory + "/out/" + ClassifyStage.fileName)
        let csv = try String(contentsOfFile: directory + "/out/" + ClassifyStage.fileName, encoding: .utf8)
        #expect(csv.split(separator: "\r\n").count == tokenizer.idCount + 1)

        let corpus = directory + "/corpus.txt"
        try Data("hello hello world\n".utf8).write(to: URL(fileURLWithPath: corpus))
        var counted = try CountStage.run(tokenizer: tokenizer, files: [corpus], top: 3)
        #expect(counted.top.count <= 3 && counted.top.allSatisfy { $0.count == counted.corpus.counts[$0.id] && $0.count > 0 })
        #expect(counted.distinct == tokenizer.idCount - counted.corpus.neverSeen.count)
        #expect(counted.summary["tokens"]?.intValue == counted.corpus.tokens && counted.path == nil)
        try CountStage.write(&counted, tokenizerPath: directory + "/model", outputDirectory: directory + "/out")
        let file = try SafeTensorsFile(path: try #require(counted.path))
        #expect(try file.integers("counts") == counted.corpus.counts)
        #expect(file.metadata["input"] == directory + "/model" && file.metadata["files"] == corpus)
    }
}
