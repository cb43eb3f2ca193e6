import Foundation
import Testing
import Geometry
import Reachability
import TestSupport
@testable import TokenScope

@Suite struct IndicatorStageTests {
    /// The ids the synthetic tokenizer makes unreachable in any context, from their bytes alone:
    /// planted entries (valid text no merge produces) and the single bytes that never occur in
    /// UTF-8 (C0, C1, F5–FF). Other failing tokens are fragments of characters that occur in text.
    static func plantedUnreachableInAnyContext(_ truth: SyntheticTruth, tokenizer: Tokenizer) -> [Int] {
        truth.unreachable.filter { id in
            let bytes = tokenizer.decodedBytes([id])
            if bytes.count == 1 { return bytes[0] == 0xC0 || bytes[0] == 0xC1 || bytes[0] >= 0xF5 }
            return String(validating: bytes, as: UTF8.self) != nil
        }
    }

    @Test func automaticReferenceIsWhatWasPlanted() throws {
        let directory = temporaryDirectory()
        let truth = try SyntheticModel.generate(preset: .small, seed: 3, directory: directory)
        let loaded = try ModelLoader.load(path: directory)
        let tokenizer = try TokenizerLoader.load(path: directory + "/tokenizer.json")
        let census = try IndicatorCensus.compute(matrix: loaded.matrix, tokenizer: tokenizer)
        let reference = try IndicatorReference.fromCensus(census)
        let planted = Self.plantedUnreachableInAnyContext(truth, tokenizer: tokenizer)
        #expect(reference.ids == (Array(truth.tokenlessRows) + planted).sorted())
        #expect(reference.source == .census(tokenless: truth.tokenlessRows.count, unreachableInAnyContext: planted.count))
        #expect(census.clusterTokens == truth.clusterTokens)

        // Without a tokenizer nothing is known about tokens: the dead cluster is the reference.
        let bare = try IndicatorCensus.compute(matrix: loaded.matrix, tokenizer: nil)
        let fallback = try IndicatorReference.fromCensus(bare)
        #expect(fallback.source == .deadCluster)
        #expect(fallback.ids == truth.clusterTokens)
    }

    @Test func stageWritesTheFilesAndSelectsAsMagikarpDoes() throws {
        let directory = temporaryDirectory()
        let truth = try SyntheticModel.generate(preset: .tiny, seed: 4, directory: directory + "/model")
        let loaded = try ModelLoader.load(path: directory + "/model")
        let matrix = loaded.matrix
        let tokenizer = try TokenizerLoader.load(path: directory + "/model/tokenizer.json")
        let census = try IndicatorCensus.compute(matrix: matrix, tokenizer: tokenizer)
        let reference = try IndicatorReference.fromCensus(census)
        let axis = try IndicatorStage.firstPrincipalComponent(matrix: matrix)
        let result = try IndicatorStage.run(matrix: matrix, input: "model", firstPrincipalComponent: axis, reference: reference,
                                            census: census, outputDirectory: directory + "/out")
        let file = try SafeTensorsFile(path: directory + "/out/indicators.safetensors")
        for key in IndicatorStage.Indicator.allCases.map(\.rawValue).filter({ $0 != "input_embedding_norm" }) {
            let values = try file.doubles(key)
            #expect(values.count == truth.rows)
            #expect(values.allSatisfy { $0.isFinite }, "\(key)")
        }
        #expect(file["input_embedding_norm"] == nil)
        #expect(try file.integers("reference_token_ids") == reference.ids)
        #expect(Set(try file.integers("rank")) == Set(1...truth.rows))
        #expect(file.metadata["input_sha256"] == MatrixDigest.sha256(matrix))

        // The threshold: the 2nd percentile of the OK tokens' cosine distance; candidates are the
        // tokens whose round trip passes at or below it, lowest first.
        let values = result.indicators.cosineDistance
        let ok = (0..<tokenizer.idCount).filter { census.tokens?.categories[$0] == .ok }.map { values[$0] }.sorted()
        let threshold = Percentile.linear(sorted: ok, 2)
        #expect(result.threshold == threshold)
        let expected = (0..<tokenizer.idCount).filter { values[$0] <= threshold && census.tokens?.categories[$0].isReachable == true }
        #expect(Set(result.candidates.map(\.id)) == Set(expected))
        #expect(result.candidates.map(\.value) == result.candidates.map(\.value).sorted())

        let lines = try String(contentsOfFile: directory + "/out/indicator_candidates.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == result.candidates.count)
        let first = try JSONParser().parse(Array(lines[0].utf8))
        #expect(first["id"]?.intValue == result.candidates[0].id)
        #expect(first["category"]?.stringValue == "OK" || first["category"]?.stringValue == "OK_SPECIAL")
        #expect(first["census"]?["tokenless"]?.boolValue == false)
        #expect(first["indicators"]?["l2_distance"]?.doubleValue != nil)

        let mask = try SafeTensorsFile(path: directory + "/out/suppress_mask.safetensors").booleans("suppress_mask")
        #expect(mask.count == truth.rows)
        #expect(Set(mask.indices.filter { mask[$0] }) == Set(expected).union(reference.ids))
    }

    @Test func untiedInputEmbeddingIsTheMainIndicator() throws {
        let directory = temporaryDirectory()
        let rows = 40, columns = 4
        var random = SplitMix64(seed: 9)
        let output = (0..<(rows * columns)).map { _ in Float(random.gaussian()) }
        let input = (0..<(rows * columns)).map { $0 / columns == 7 ? 0.01 : Float(random.gaussian()) }
        var writer = SafeTensorsWriter()
        writer.add("lm_head.weight", matrix: Matrix(rows: rows, columns: columns, format: .f32, values: output))
        writer.add("model.embed_tokens.weight", matrix: Matrix(rows: rows, columns: columns, format: .f32, values: input))
        try writer.write(to: directory + "/model.safetensors")
        try Data(#"{"tie_word_embeddings": false}"#.utf8).write(to: URL(fileURLWithPath: directory + "/config.json"))
        let loaded = try ModelLoader.load(path: directory)
        let embedding = IndicatorStage.inputEmbeddingNorms(modelPath: directory, loaded: loaded, role: .unembedding)
        let norms = try #require(embedding.norms)
        let result = try IndicatorStage.run(matrix: loaded.matrix, input: directory, firstPrincipalComponent: [1, 0, 0, 0],
                                            reference: IndicatorReference(ids: [0, 1], source: .file("test")), census: nil,
                                            inputEmbeddingNorms: norms, outputDirectory: directory + "/out")
        #expect(result.mainIndicator == .inputEmbeddingNorm)
        // Without a tokenizer the threshold runs over the rows outside the reference; row 7's
        // tiny input embedding puts it first.
        #expect(result.candidates.first?.id == 7)
        #expect(try SafeTensorsFile(path: directory + "/out/indicators.safetensors").doubles("input_embedding_norm").count == rows)
        let tied = IndicatorStage.inputEmbeddingNorms(modelPath: directory, loaded: { var l = loaded; l.tiedEmbeddings = true; return l }(), role: .unembedding)
        #expect(tied.norms == nil)
    }

    @Test func referenceFilesInEveryForm() throws {
        let directory = temporaryDirectory()
        let text = directory + "/ids.txt"
        try Data("5, 3\n9\n\n3,1\n".utf8).write(to: URL(fileURLWithPath: text))
        #expect(try IndicatorReference.read(path: text, rowCount: 10).ids == [1, 3, 5, 9])
        var writer = SafeTensorsWriter()
        writer.add("ids", int64: [4, 2])
        writer.add("scale", float32: [1])
        try writer.write(to: directory + "/ids.safetensors")
        #expect(try IndicatorReference.read(path: directory + "/ids.safetensors", rowCount: 10).ids == [2, 4])

        func failure(_ contents: String?, rowCount: Int = 10) -> String {
            let path = directory + "/bad-\(UUID().uuidString).txt"
            if let contents { try? Data(contents.utf8).write(to: URL(fileURLWithPath: path)) }
            do { _ = try IndicatorReference.read(path: path, rowCount: rowCount); return "no error" } catch { return "\(error)" }
        }
        #expect(failure("1, 2, 10").contains("outside W's 10 rows"))
        #expect(failure("1, -2").contains("outside"))
        #expect(failure("\n \n").contains("empty"))
        #expect(failure("1, two").contains("is not a token id"))
        #expect(failure(nil).contains("cannot read"))
        var two = SafeTensorsWriter()
        two.add("a", int64: [1])
        two.add("b", int64: [2])
        try two.write(to: directory + "/two.safetensors")
        do { _ = try IndicatorReference.read(path: directory + "/two.safetensors", rowCount: 10); Issue.record("no error") } catch {
            #expect("\(error)".contains("several integer tensors"))
        }
    }

    @Test func censusWithNothingToOfferIsAnError() {
        let census = IndicatorCensus(rowCount: 10, clusterTokens: [], blackHoleRows: [], tokens: nil)
        #expect { try IndicatorReference.fromCensus(census) } throws: { ($0 as? StageError)?.missing == .referenceSet }
    }
}
