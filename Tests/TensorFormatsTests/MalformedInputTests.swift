import Foundation
import JSON
import Testing
@testable import TensorFormats
import TestSupport

/// `open` must throw a one-line `TensorFormatError` whose reason contains `fragment`.
func expectFormatError(_ what: String, _ fragment: String?, sourceLocation: SourceLocation, _ open: () throws -> Void) {
    do {
        try open()
        Issue.record("accepted a malformed \(what) file", sourceLocation: sourceLocation)
    } catch let error as TensorFormatError {
        if let fragment {
            #expect(error.reason.contains(fragment), "\(error.reason)", sourceLocation: sourceLocation)
        }
        #expect(!error.description.contains("\n"), sourceLocation: sourceLocation)
    } catch {
        Issue.record("threw \(type(of: error)), not TensorFormatError", sourceLocation: sourceLocation)
    }
}

func expectGGUFError(_ bytes: [UInt8], _ fragment: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
    expectFormatError("GGUF", fragment, sourceLocation: sourceLocation) {
        let file = try GGUFFile(bytes: bytes)
        // Parsing may succeed when reading the tensor as a matrix then fails.
        for tensor in file.tensors { _ = try file.matrix(tensor) }
    }
}

func expectSafeTensorsError(_ bytes: [UInt8], _ fragment: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
    expectFormatError("safetensors", fragment, sourceLocation: sourceLocation) { _ = try SafeTensorsFile(bytes: bytes) }
}

func safetensors(header: String, data: Int = 0) -> [UInt8] {
    var bytes: [UInt8] = []
    withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { bytes += $0 }
    return bytes + Array(header.utf8) + [UInt8](repeating: 0, count: data)
}

@Suite struct MalformedGGUFTests {
    @Test func validBuilderParses() throws {
        let file = try GGUFFile(bytes: GGUFBuilder.valid())
        #expect(file.tensors.first?.dimensions == [4, 2])
        #expect(try file.matrix(file.tensors[0]).rows == 2)
    }

    @Test func everyTruncationOfEveryFixture() throws {
        for name in ["f32", "q8_0", "q4_k", "llama_vocab"] {
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: GGUFFixtures.path(name + ".gguf"))))
            let file = try GGUFFile(bytes: bytes)
            let end = file.tensors.map { $0.fileOffset + $0.byteCount }.max() ?? file.dataOffset
            // Every cut inside the header and directory, and a sample through the data.
            // A file without tensors may end anywhere in the padding after its metadata.
            let headerEnd = file.tensors.isEmpty ? file.dataOffset - file.alignment + 1 : file.dataOffset
            for length in Array(0..<min(headerEnd, bytes.count)) + Array(stride(from: file.dataOffset, to: end, by: 97)) {
                if file.tensors.isEmpty, let cut = try? GGUFFile(bytes: Array(bytes[..<length])) {
                    // Accepted only when nothing but padding was cut.
                    #expect(cut.metadata.count == file.metadata.count, "length \(length)")
                    continue
                }
                expectGGUFError(Array(bytes[..<length]))
            }
        }
    }

    @Test func headerFields() {
        expectGGUFError(Array("GGUX".utf8) + [UInt8](repeating: 0, count: 20), "not a GGUF file")
        var b = GGUFBuilder()
        b.header(version: 1, tensors: 0, metadata: 0)
        expectGGUFError(b.bytes, "version 1")
        b = GGUFBuilder()
        b.header(version: UInt32(3).byteSwapped, tensors: 0, metadata: 0)
        expectGGUFError(b.bytes, "big-endian")
        b = GGUFBuilder()
        b.header(version: 7, tensors: 0, metadata: 0)
        expectGGUFError(b.bytes, "unknown GGUF version")
        b = GGUFBuilder()
        b.header(tensors: UInt64.max, metadata: 0)
        expectGGUFError(b.bytes, "tensor count")
        b = GGUFBuilder()
        b.header(tensors: 0, metadata: 1 << 40)
        expectGGUFError(b.bytes, "metadata count")
        b = GGUFBuilder()
        b.header(tensors: 0, metadata: 1000)  // under the limit, but 1000 entries cannot fit in 0 bytes
        expectGGUFError(b.bytes, "cannot fit")
    }

    @Test func absurdStringsAndArrays() {
        var b = GGUFBuilder()
        b.header(tensors: 0, metadata: 1)
        b.u64(UInt64.max)  // key length
        b.bytes += [UInt8](repeating: 0, count: 16)
        expectGGUFError(b.bytes, "exceeds the limit")

        b = GGUFBuilder()
        b.header(tensors: 0, metadata: 1)
        b.u64(1 << 20)  // key length under the limit but past the end
        b.bytes += Array("abc".utf8)
        b.bytes += [UInt8](repeating: 0, count: 16)
        expectGGUFError(b.bytes, "runs past the end")

        b = GGUFBuilder()
        b.header(tensors: 0, metadata: 1)
        b.string("tokenizer.ggml.tokens")
        b.u32(9)  // array
        b.u32(8)  // of strings
        b.u64(1 << 23)  // 8 Mi strings, each at least 8 bytes: cannot fit
        expectGGUFError(b.bytes, "cannot fit")

        b = GGUFBuilder()
        b.header(tensors: 0, metadata: 1)
        b.string("k")
        b.u32(9)
        b.u32(0)
        b.u64(UInt64(1) << 62)
        expectGGUFError(b.bytes, "exceeds the limit")

        // Arrays nested past the depth limit.
        b = GGUFBuilder()
        b.header(tensors: 0, metadata: 1)
        b.string("k")
        b.u32(9)
        for _ in 0..<8 { b.u32(9); b.u64(1) }
        expectGGUFError(b.bytes, "nests arrays")

        // Invalid UTF-8, unknown value type, bool out of range, duplicate and empty keys.
        b = GGUFBuilder()
        b.header(tensors: 0, metadata: 1)
        b.u64(2)
        b.bytes += [0xC3, 0x28]
        b.bytes += [UInt8](repeating: 0, count: 16)
        expectGGUFError(b.bytes, "UTF-8")
        b = GGUFBuilder()
        b.header(tensors: 0, metadata: 1)
        b.string("k")
        b.u32(13)
        b.bytes += [UInt8](repeating: 0, count: 16)
        expectGGUFError(b.bytes, "unknown value type")
        b = GGUFBuilder()
        b.header(tensors: 0, metadata: 1)
        b.string("k")
        b.u32(7)
        b.bytes.append(2)
        expectGGUFError(b.bytes, "bool")
        b = GGUFBuilder()
        b.header(tensors: 0, metadata: 2)
        for _ in 0..<2 { b.string("k"); b.u32(0); b.bytes.append(1) }
        expectGGUFError(b.bytes, "duplicate metadata key")
        b = GGUFBuilder()
        b.header(tensors: 0, metadata: 1)
        b.string("")
        b.u32(0)
        b.bytes.append(1)
        b.bytes += [UInt8](repeating: 0, count: 16)
        expectGGUFError(b.bytes, "empty metadata key")
    }

    @Test func alignment() {
        for (type, value) in [(UInt32(4), UInt32(0)), (4, 24), (4, 1 << 30), (5, 32)] {
            var b = GGUFBuilder()
            b.header(tensors: 0, metadata: 1)
            b.string("general.alignment")
            b.u32(type)
            b.u32(value)
            expectGGUFError(b.bytes, "general.alignment")
        }
    }

    @Test func tensorDirectory() {
        expectGGUFError(GGUFBuilder.valid(dims: [UInt64(1) << 32, UInt64(1) << 32]), "dimensions overflow")
        expectGGUFError(GGUFBuilder.valid(dims: [UInt64.max, 1]), "out of range")
        expectGGUFError(GGUFBuilder.valid(dims: [1 << 20, 1 << 20]), "needs more bytes")
        expectGGUFError(GGUFBuilder.valid(dims: [4, 2, 1, 1, 1]), "dimensions (1 to 4")
        expectGGUFError(GGUFBuilder.valid(dims: []), "dimensions (1 to 4")
        expectGGUFError(GGUFBuilder.valid(type: 4), "unknown ggml type")
        expectGGUFError(GGUFBuilder.valid(dims: [16, 2], type: 8), "blocks of 32")
        expectGGUFError(GGUFBuilder.valid(offset: 8), "not a multiple of the alignment")
        expectGGUFError(GGUFBuilder.valid(offset: 32), "past the end")
        expectGGUFError(GGUFBuilder.valid(offset: UInt64.max), "past the end")
        expectGGUFError(GGUFBuilder.valid(dataBytes: 31), "past the end")
        // A quantised type TokenScope does not expand: parsed, then refused by name.
        expectGGUFError(GGUFBuilder.valid(dims: [256, 1], type: 10, dataBytes: 84), "Q2_K")
        // A 3-D tensor is not a matrix.
        expectGGUFError(GGUFBuilder.valid(dims: [2, 2, 2]), "a matrix (2-D) is needed")

        // Overlapping and duplicate tensors.
        var b = GGUFBuilder()
        b.header(tensors: 2, metadata: 0)
        b.tensor("a", dims: [4, 2], offset: 0)
        b.tensor("b", dims: [4, 2], offset: 0)
        b.pad()
        b.bytes += [UInt8](repeating: 0, count: 64)
        expectGGUFError(b.bytes, "overlaps")
        b = GGUFBuilder()
        b.header(tensors: 2, metadata: 0)
        b.tensor("a", dims: [4, 2], offset: 0)
        b.tensor("a", dims: [4, 2], offset: 32)
        b.pad()
        b.bytes += [UInt8](repeating: 0, count: 64)
        expectGGUFError(b.bytes, "duplicate tensor")
    }
}

@Suite struct MalformedSafeTensorsTests {
    static let valid = safetensors(header: #"{"W":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]}}"#, data: 16)

    @Test func validParses() throws {
        #expect(try SafeTensorsFile(bytes: Self.valid).tensors.count == 1)
    }

    @Test func everyTruncation() {
        for length in 0..<Self.valid.count { expectSafeTensorsError(Array(Self.valid[..<length])) }
    }

    @Test func headers() {
        var huge: [UInt8] = []
        withUnsafeBytes(of: UInt64.max.littleEndian) { huge += $0 }
        expectSafeTensorsError(huge + [0x7B, 0x7D], "exceeds")
        var past: [UInt8] = []
        withUnsafeBytes(of: UInt64(1000).littleEndian) { past += $0 }
        expectSafeTensorsError(past + Array("{}".utf8), "past the end")
        expectSafeTensorsError(safetensors(header: "{\"W\":\u{FF}}"), "not valid JSON")
        expectSafeTensorsError(safetensors(header: [UInt8](repeating: 0x5B, count: 5000).map { String(UnicodeScalar($0)) }.joined()), "not valid JSON")
        expectSafeTensorsError(safetensors(header: #"{"W":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"W":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, data: 8), "not valid JSON")
        expectSafeTensorsError(safetensors(header: "[]"), "not a JSON object")
        expectSafeTensorsError(safetensors(header: #"{"__metadata__":{"a":1}}"#), "__metadata__")
    }

    @Test func spans() {
        // Shape whose element count overflows; dtype/size mismatch; offsets past the end;
        // overlapping, gapped and unordered spans.
        expectSafeTensorsError(safetensors(header: #"{"W":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,16]}}"#, data: 16), "overflows")
        expectSafeTensorsError(safetensors(header: #"{"W":{"dtype":"F32","shape":[2305843009213693952],"data_offsets":[0,16]}}"#, data: 16), "overflows")
        expectSafeTensorsError(safetensors(header: #"{"W":{"dtype":"F16","shape":[2,2],"data_offsets":[0,16]}}"#, data: 16), "span holds")
        expectSafeTensorsError(safetensors(header: #"{"W":{"dtype":"F32","shape":[2,2],"data_offsets":[0,160]}}"#, data: 16), "past the")
        expectSafeTensorsError(safetensors(header: #"{"W":{"dtype":"F32","shape":[2,2],"data_offsets":[16,0]}}"#, data: 16), "data_offsets")
        expectSafeTensorsError(safetensors(header: #"{"W":{"dtype":"F32","shape":[-2,2],"data_offsets":[0,16]}}"#, data: 16), "shape")
        expectSafeTensorsError(safetensors(header: #"{"W":{"dtype":"Q8","shape":[2,2],"data_offsets":[0,16]}}"#, data: 16), "unknown dtype")
        expectSafeTensorsError(safetensors(header: #"{"A":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"B":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#, data: 12), "overlaps")
        expectSafeTensorsError(safetensors(header: #"{"A":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"B":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}"#, data: 12), "gap")
        expectSafeTensorsError(safetensors(header: #"{"W":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, data: 8), "cover")
    }
}

@Suite struct MalformedJSONTests {
    // tokenizer.json and config.json go through the strict parser; these must throw JSONError.
    /// A malformed document named for the test log (the bytes can be 100,000 long).
    struct Document: CustomTestStringConvertible, Sendable {
        var name: String
        var bytes: [UInt8]
        var testDescription: String { name }
    }

    @Test(arguments: [
        Document(name: "100,000 nested arrays", bytes: [UInt8](repeating: 0x5B, count: 100_000)),
        Document(name: "duplicate key", bytes: Array(#"{"a":1,"a":2}"#.utf8)),
        Document(name: "UTF-8 encoded surrogate", bytes: [0x22, 0xED, 0xA0, 0x80, 0x22]),
        Document(name: "overlong UTF-8", bytes: [0x22, 0xC0, 0xAF, 0x22]),
        Document(name: "lone surrogate escape", bytes: Array(#""\ud800""#.utf8)),
        Document(name: "trailing content", bytes: Array(#"{"model":{"vocab":{"a":0}}} trailing"#.utf8)),
        Document(name: "empty", bytes: []),
    ])
    func rejected(document: Document) {
        #expect(throws: JSONError.self) { try JSONParser().parse(document.bytes) }
    }

    @Test func loaderOnGarbageFiles() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tokenscope-malformed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for (name, bytes) in [("empty.safetensors", [UInt8]()), ("gguf-magic-only.gguf", Array("GGUF".utf8)),
                              ("text.safetensors", Array("hello world, not a model".utf8))] {
            let path = directory.appendingPathComponent(name).path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            #expect(throws: TensorFormatError.self) { try ModelLoader.load(path: path) }
        }
        // A model directory whose config.json is malformed.
        let model = directory.appendingPathComponent("model")
        try FileManager.default.createDirectory(at: model, withIntermediateDirectories: true)
        try Data("{\"a\":1,\"a\":1}".utf8).write(to: model.appendingPathComponent("config.json"))
        try Data(MalformedSafeTensorsTests.valid).write(to: model.appendingPathComponent("model.safetensors"))
        #expect(throws: TensorFormatError.self) { try ModelLoader.load(path: model.path) }
    }
}

/// The committed corpus of `scripts/golden/make_malformed_corpus.py`.
@Suite struct MalformedCorpusTests {
    static var directory: String { Bundle.module.resourcePath! + "/Fixtures/malformed" }
    static var names: [String] { ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted() }

    @Test func corpusIsPresent() {
        #expect(Self.names.filter { $0.hasSuffix(".gguf") }.count >= 10)
        #expect(Self.names.filter { $0.hasSuffix(".safetensors") }.count >= 10)
    }

    @Test(arguments: names.filter { $0.hasSuffix(".gguf") || $0.hasSuffix(".safetensors") })
    func modelFileRefused(name: String) {
        #expect(throws: TensorFormatError.self) { try ModelLoader.load(path: Self.directory + "/" + name) }
    }

    @Test(arguments: names.filter { $0.hasPrefix("json_") })
    func jsonRefused(name: String) throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Self.directory + "/" + name)))
        #expect(throws: JSONError.self) { try JSONParser().parse(bytes) }
    }
}
