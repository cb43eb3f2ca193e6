import Foundation
import JSON
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
        #expect(throws: TensorFormatError.self) { try ModelLoader.load(path: GGUFFixtures.path("f16.gguf"), tensor: "nope") }
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

@Suite struct GGUFTokenizerJSONTests {
    struct Expected {
        var vocab: [JSONMember]
        var merges: [JSONValue]
        var added: [(id: Int, content: String, special: Bool)]
    }

    static func expected(_ model: String) throws -> Expected {
        let data = try [UInt8](Data(contentsOf: URL(fileURLWithPath: GGUFFixtures.path("tokenizer_expected.json"))))
        let json = try JSONParser().parse(data)
        let entry = try #require(json[model])
        let added = try #require(entry["added_tokens"]?.arrayValue).map {
            ($0["id"]!.intValue!, $0["content"]!.stringValue!, $0["special"]!.boolValue!)
        }
        // The conversion writes merges in the array form, which lets a token hold a space.
        let merges = try #require(entry["merges"]?.arrayValue).map { merge -> JSONValue in
            .array(merge.stringValue!.split(separator: " ", maxSplits: 1).map { .string(String($0)) })
        }
        return Expected(vocab: try #require(entry["vocab"]?.objectValue), merges: merges, added: added)
    }

    func check(_ json: JSONValue, against expected: Expected) throws {
        let model = try #require(json["model"])
        #expect(model["type"] == .string("BPE"))
        #expect(model["vocab"]?.objectValue == expected.vocab)
        #expect(model["merges"]?.arrayValue == expected.merges)
        let added = try #require(json["added_tokens"]?.arrayValue)
        #expect(added.map { $0["id"]?.intValue } == expected.added.map(\.id))
        #expect(added.map { $0["content"]?.stringValue } == expected.added.map(\.content))
        #expect(added.map { $0["special"]?.boolValue } == expected.added.map(\.special))
    }

    @Test func gpt2Vocabulary() throws {
        let json = try GGUFTokenizerJSON.make(from: GGUFFile(path: GGUFFixtures.path("f32.gguf")))
        try check(json, against: Self.expected("gpt2"))
        // f32.gguf says "qwen2": a Split on Qwen2's regex, then ByteLevel without its own regex.
        let steps = try #require(json["pre_tokenizer"]?["pretokenizers"]?.arrayValue)
        #expect(steps.first?["pattern"]?["Regex"] == .string(GGUFPreTokenizer.qwen2.regexes[0]))
        #expect(steps.last?["type"] == .string("ByteLevel"))
        #expect(json["decoder"]?["type"] == .string("ByteLevel"))
        // The document survives serialisation and strict parsing.
        let text = json.serialized()
        #expect(try JSONParser().parse(text) == json)
    }

    @Test func llamaBPEPreTokenizer() throws {
        let json = try GGUFTokenizerJSON.make(from: GGUFFile(path: GGUFFixtures.path("f16.gguf")))
        let steps = try #require(json["pre_tokenizer"]?["pretokenizers"]?.arrayValue)
        #expect(steps.first?["pattern"]?["Regex"] == .string(GGUFPreTokenizer.llama3.regexes[0]))
    }

    @Test func llamaVocabularyMergesFromScores() throws {
        let json = try GGUFTokenizerJSON.make(from: GGUFFile(path: GGUFFixtures.path("llama_vocab.gguf")))
        try check(json, against: Self.expected("llama"))
        #expect(json["model"]?["byte_fallback"] == .bool(true))
        #expect(json["model"]?["unk_token"] == .string("<unk>"))
        // As transformers' Llama conversion: the prefix and the spaces come from the normaliser.
        #expect(json["pre_tokenizer"] == .null)
        #expect(json["normalizer"]?["normalizers"]?.arrayValue?.map { $0["type"] } == [.string("Prepend"), .string("Replace")])
    }

    @Test func noVocabulary() throws {
        #expect(throws: TensorFormatError.self) { try GGUFTokenizerJSON.make(from: GGUFFile(path: GGUFFixtures.path("bf16.gguf"))) }
    }
}
