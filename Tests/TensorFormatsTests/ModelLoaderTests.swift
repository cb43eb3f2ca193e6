import Foundation
import Testing
@testable import TensorFormats

@Suite struct ModelLoaderTests {
    func makeModel(tied: Bool?, withHead: Bool, sharded: Bool) throws -> String {
        let directory = temporaryDirectory()
        if let tied { try #"{"tie_word_embeddings": \#(tied)}"#.write(toFile: directory + "/config.json", atomically: true, encoding: .utf8) }
        var first = SafeTensorsWriter(), second = SafeTensorsWriter()
        first.add("model.embed_tokens.weight", matrix: Matrix(rows: 4, columns: 2, format: .f32, values: [1, 1, 2, 2, 3, 3, 4, 4]))
        first.add("model.norm.weight", float32: [1, 1])
        if withHead {
            let head = Matrix(rows: 4, columns: 2, format: .bf16, values: [9, 9, 8, 8, 7, 7, 6, 6])
            if sharded { second.add("lm_head.weight", matrix: head) } else { first.add("lm_head.weight", matrix: head) }
        }
        if sharded {
            second.add("model.layers.0.weight", float32: [0])
            try first.write(to: directory + "/model-00001-of-00002.safetensors")
            try second.write(to: directory + "/model-00002-of-00002.safetensors")
            var map = #""model.embed_tokens.weight": "model-00001-of-00002.safetensors", "model.norm.weight": "model-00001-of-00002.safetensors", "model.layers.0.weight": "model-00002-of-00002.safetensors""#
            if withHead { map += #", "lm_head.weight": "model-00002-of-00002.safetensors""# }
            try #"{"metadata": {}, "weight_map": {\#(map)}}"#.write(toFile: directory + "/model.safetensors.index.json", atomically: true, encoding: .utf8)
        } else {
            try first.write(to: directory + "/model.safetensors")
        }
        return directory
    }

    @Test func shardedModelReadsTheHeadFromItsShard() throws {
        let directory = try makeModel(tied: false, withHead: true, sharded: true)
        let loaded = try ModelLoader.load(path: directory)
        #expect(loaded.tensorName == "lm_head.weight")
        #expect(loaded.file.hasSuffix("model-00002-of-00002.safetensors"))
        #expect(loaded.tiedEmbeddings == false)
        #expect(loaded.matrix.format == .bf16)
        #expect(loaded.matrix.row(3) == [6, 6])
        let embedding = try ModelLoader.load(path: directory, role: .embedding)
        #expect(embedding.tensorName == "model.embed_tokens.weight")
        #expect(embedding.matrix.row(2) == [3, 3])
    }

    @Test func tiedModelUsesTheEmbeddings() throws {
        for config in [true, nil] as [Bool?] {
            let directory = try makeModel(tied: config, withHead: false, sharded: false)
            let loaded = try ModelLoader.load(path: directory)
            #expect(loaded.tensorName == "model.embed_tokens.weight")
            #expect(loaded.tiedEmbeddings == true)
            #expect(loaded.matrix.format == .f32)
        }
    }

    @Test func untiedModelWithoutAHeadIsAnError() throws {
        let directory = try makeModel(tied: false, withHead: false, sharded: true)
        #expect { try ModelLoader.load(path: directory) } throws: { "\($0)".contains("not tied") }
    }

    @Test func missingShardsAndPathsAreNamed() throws {
        let directory = try makeModel(tied: false, withHead: true, sharded: true)
        try FileManager.default.removeItem(atPath: directory + "/model-00002-of-00002.safetensors")
        #expect { try ModelLoader.load(path: directory) } throws: { "\($0)".contains("model-00002-of-00002.safetensors") }
        #expect(throws: TensorFormatError(path: directory + "/nothing", problem: .notFound)) { try ModelLoader.load(path: directory + "/nothing") }
        let empty = temporaryDirectory()
        #expect { try ModelLoader.load(path: empty) } throws: { "\($0)".contains("no model.safetensors") }
    }
}
