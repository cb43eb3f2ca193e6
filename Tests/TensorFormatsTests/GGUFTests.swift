import Foundation
import Testing
@testable import TensorFormats

/// The GGUF fixtures of `scripts/golden/make_gguf_fixtures.py`.
enum GGUFFixtures {
    static var directory: String { Bundle.module.resourcePath! + "/Fixtures/gguf" }
    static func path(_ name: String) -> String { directory + "/" + name }
}

/// Bit patterns of every element, so that -0.0 and NaN payloads are compared too.
func bitPatterns(_ matrix: Matrix) -> [UInt32] {
    (0..<matrix.rows).flatMap { r in matrix.row(r).map(\.bitPattern) }
}

@Suite struct GGUFReaderTests {
    @Test(arguments: [
        ("f32", "F32", 64, 32, nil as String?),
        ("f16", "F16", 64, 32, nil),
        ("bf16", "BF16", 64, 32, nil),
        ("q8_0", "F32", 64, 32, "Q8_0"),
        ("q4_0", "F32", 64, 32, "Q4_0"),
        ("q4_k", "F32", 8, 256, "Q4_K"),
        ("q6_k", "F32", 8, 256, "Q6_K"),
    ])
    func loadsEachTypeWithExpectedValues(name: String, format: String, rows: Int, columns: Int, quantization: String?) throws {
        let loaded = try ModelLoader.load(path: GGUFFixtures.path(name + ".gguf"))
        #expect(loaded.matrix.rows == rows)
        #expect(loaded.matrix.columns == columns)
        #expect(loaded.matrix.format.rawValue == format)
        #expect(loaded.quantization == quantization)
        let expected = try ModelLoader.load(path: GGUFFixtures.path(name + ".expected.safetensors"))
        #expect(bitPatterns(loaded.matrix) == bitPatterns(expected.matrix))
    }

    @Test func tiedAndUntied() throws {
        let untied = try ModelLoader.load(path: GGUFFixtures.path("f32.gguf"))
        #expect(untied.tensorName == "output.weight")
        #expect(untied.tiedEmbeddings == false)
        let embedding = try ModelLoader.load(path: GGUFFixtures.path("f32.gguf"), role: .embedding)
        #expect(embedding.tensorName == "token_embd.weight")
        let twin = try ModelLoader.load(path: GGUFFixtures.path("f32_embd.expected.safetensors"))
        #expect(bitPatterns(embedding.matrix) == bitPatterns(twin.matrix))
        let named = try ModelLoader.load(path: GGUFFixtures.path("f32.gguf"), tensor: "token_embd.weight")
        #expect(named.tensorName == "token_embd.weight")

        let tied = try ModelLoader.load(path: GGUFFixtures.path("f16.gguf"))
        #expect(tied.tensorName == "token_embd.weight")
        #expect(tied.tiedEmbeddings == true)
        #expect { try ModelLoader.load(path: GGUFFixtures.path("f16.gguf"), tensor: "nope") } throws: { error in
            guard case .noSuchTensor(names: ["nope"], let available) = (error as? TensorFormatError)?.problem else { return false }
            return available.contains("token_embd.weight")
        }
    }

    @Test func halfAndBF16AreViewedInPlace() throws {
        let file = try GGUFFile(path: GGUFFixtures.path("bf16.gguf"))
        let info = try #require(file.tensor(named: "token_embd.weight"))
        let matrix = try file.matrix(info)
        #expect(matrix.base == file.data(info).baseAddress)
    }

    @Test func metadataOfEveryType() throws {
        let file = try GGUFFile(path: GGUFFixtures.path("f32.gguf"))
        #expect(file.version == 3)
        #expect(file.alignment == 32)
        #expect(file.dataOffset % 32 == 0)
        #expect(file["general.architecture"] == .string("llama"))
        #expect(file["test.uint8"] == .uint8(200))
        #expect(file["test.int8"] == .int8(-100))
        #expect(file["test.uint16"] == .uint16(60000))
        #expect(file["test.int16"] == .int16(-30000))
        #expect(file["test.uint32"] == .uint32(4_000_000_000))
        #expect(file["test.int32"] == .int32(-2_000_000_000))
        #expect(file["test.float32"] == .float32(0.15625))
        #expect(file["test.bool"] == .bool(true))
        #expect(file["test.string"] == .string("héllo ▁ wörld"))
        #expect(file["test.uint64"] == .uint64(18_000_000_000_000_000_000))
        #expect(file["test.int64"] == .int64(-9_000_000_000_000_000_000))
        #expect(file["test.float64"] == .float64(-2.5e-300))
        #expect(file["test.nested"] == .array(.array([.int32([1, 2, 3]), .int32([4])])))
        #expect(file["test.strings"] == .array(.string(["x", "", "yz"])))
        #expect(file["tokenizer.ggml.tokens"]?.arrayValue?.count == 64)
        #expect(file.tensors.map(\.name) == ["token_embd.weight", "output.weight"])
        #expect(file.tensor(named: "output.weight")?.dimensions == [32, 64])

        let aligned = try GGUFFile(path: GGUFFixtures.path("q8_0.gguf"))
        #expect(aligned.alignment == 64)
        #expect(aligned.dataOffset % 64 == 0)
    }

    @Test func bytesEntryPointMatchesFile() throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: GGUFFixtures.path("q4_k.gguf"))))
        let memory = try GGUFFile(bytes: bytes)
        let file = try GGUFFile(path: GGUFFixtures.path("q4_k.gguf"))
        #expect(memory.tensors == file.tensors)
        #expect(bitPatterns(try memory.matrix(memory.tensors[0])) == bitPatterns(try file.matrix(file.tensors[0])))
    }
}
