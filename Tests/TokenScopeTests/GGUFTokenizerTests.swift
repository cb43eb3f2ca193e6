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

    @Test(arguments: ["tokenizer_merge_unknown_token.json", "tokenizer_unigram_unk_outside.json", "tokenizer_precompiled_truncated.json"])
    func malformedTokenizersAreRefused(file: String) {
        #expect(throws: (any Error).self) { try TokenizerLoader.load(path: Self.fixtures + "/malformed/" + file) }
    }
}

/// A GGUF file of each lossless type surveys exactly as its safetensors twin: the same values in
/// the same stored type, written from the fixture script's expected values (not from the reader).
@Suite struct GGUFSurveyTests {
    @Test(arguments: [("f32", FloatFormat.f32), ("f16", .f16), ("bf16", .bf16)])
    func ggufSurveysLikeItsSafetensorsTwin(name: String, format: FloatFormat) throws {
        let fixtures = GGUFTokenizerTests.fixtures + "/gguf/"
        let expected = try SafeTensorsFile(path: fixtures + name + ".expected.safetensors")
        let info = try #require(expected["W"])
        let values = try expected.doubles("W").map(Float.init)
        let directory = temporaryDirectory()
        var twin = SafeTensorsWriter()
        twin.add("W", matrix: Matrix(rows: info.shape[0], columns: info.shape[1], format: format, values: values))
        try twin.write(to: directory + "/twin.safetensors")

        var options = SurveyOptions()
        options.extractW = false
        options.threshold = 0.5  // the fixtures are small random matrices: a wide threshold makes a cluster
        let fromGGUF = try SurveyStage.run(modelPath: fixtures + name + ".gguf", options: options, outputDirectory: directory + "/gguf")
        if fromGGUF.tokenizer != nil { options.tokenizerPath = fixtures + name + ".gguf" }
        let fromTwin = try SurveyStage.run(modelPath: directory + "/twin.safetensors", options: options, outputDirectory: directory + "/twin")
        #expect(fromGGUF.loaded.matrix.format == format)
        #expect(fromGGUF.inputSHA256 == fromTwin.inputSHA256, "the same stored bytes")
        let a = SurveyStage.summary(fromGGUF)["stages"], b = SurveyStage.summary(fromTwin)["stages"]
        for stage in ["norms", "clusters", "core", "black_holes", "reachability"] {
            #expect(strip(a?[stage]) == strip(b?[stage]), "\(stage)")
        }
        #expect(fromGGUF.clusters.census.edgeCount > 0)
    }

    /// A stage summary without what differs by construction: paths and timings.
    func strip(_ value: JSONValue?) -> JSONValue? {
        guard case .object(let members)? = value else { return value }
        return .object(members.filter { !["output", "seconds", "token_table"].contains($0.key) }.map { JSONMember(key: $0.key, value: strip($0.value) ?? nil) })
    }
}
