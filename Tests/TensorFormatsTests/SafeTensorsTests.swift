import Foundation
import Testing
import TestSupport
@testable import TensorFormats
import JSON

/// The test fixtures' directory, found from this file so that tests run from any working directory.
let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path

func temporaryDirectory() -> String { ScratchDirectory.make() }

@Suite struct SafeTensorsReadingTests {
    @Test func readsEveryDtypeWrittenByTheReferenceLibrary() throws {
        let file = try SafeTensorsFile(path: fixtures + "/written_by_python.safetensors")
        let expected = try JSONParser().parse(Array(try Data(contentsOf: URL(fileURLWithPath: fixtures + "/written_by_python.json"))))
        #expect(file.metadata["source"]?.hasPrefix("safetensors ") == true)
        let dtypes: [String: DType] = ["bool": .bool, "u8": .u8, "i8": .i8, "i16": .i16, "u16": .u16, "f16": .f16, "i32": .i32,
                                       "u32": .u32, "f32": .f32, "f64": .f64, "i64": .i64, "u64": .u64, "empty": .f32]
        #expect(Set(file.tensors.map(\.name)) == Set(dtypes.keys))
        for (name, dtype) in dtypes {
            let info = try #require(file[name])
            #expect(info.dtype == dtype, "\(name)")
            #expect(info.shape == expected[name]?["shape"]?.arrayValue?.compactMap(\.intValue), "\(name)")
            let values = expected[name]?["values"]?.arrayValue ?? []
            switch dtype {
            case .bool: #expect(try file.booleans(name) == values.compactMap(\.boolValue))
            case .f16, .f32, .f64: #expect(try file.doubles(name) == values.compactMap(\.doubleValue), "\(name)")
            case .u64:
                // 2^64 − 1 does not fit an id: reading it as integers must fail cleanly.
                #expect(throws: TensorFormatError.self) { try file.integers(name) }
            default: #expect(try file.integers(name) == values.compactMap(\.intValue), "\(name)")
            }
        }
    }

    @Test func readsBF16AsAMatrixWithExactValues() throws {
        let loaded = try ModelLoader.load(path: fixtures + "/bf16_by_hand.safetensors")
        #expect(loaded.tensorName == "W")
        let m = loaded.matrix
        #expect((m.rows, m.columns, m.format) == (1, 7, .bf16))
        #expect(m.row(0) == [1, -1, 0, -0.0, Float(bitPattern: 0x3B6B_0000), Float(bitPattern: 0x7F7F_0000), Float(bitPattern: 0x0001_0000)])
    }
}

@Suite struct SafeTensorsWritingTests {
    /// The content of `written_by_tokenscope.safetensors`, which the golden script checks loads in
    /// the reference library.
    func referenceWriter() -> SafeTensorsWriter {
        var writer = SafeTensorsWriter(metadata: ["tool": "tokenscope test"])
        writer.add("ids", int64: [3, 1, 4, 1, 5, 9, 2, 6])
        writer.add("mask", bool: [true, false, true])
        writer.add("threshold", float32: [0.002])
        writer.add("matrix", matrix: Matrix(rows: 2, columns: 3, format: .f32, values: [1, 2, 3, 4, 5, 6]))
        return writer
    }

    @Test func writesTheBytesTheReferenceLibraryWasCheckedAgainst() throws {
        let committed = fixtures + "/written_by_tokenscope.safetensors"
        if ProcessInfo.processInfo.environment["TOKENSCOPE_RECORD_FIXTURES"] == "1" {
            try referenceWriter().write(to: committed)
        }
        let directory = temporaryDirectory()
        try referenceWriter().write(to: directory + "/out.safetensors")
        let written = try Data(contentsOf: URL(fileURLWithPath: directory + "/out.safetensors"))
        #expect(written == (try Data(contentsOf: URL(fileURLWithPath: committed))))
    }

    @Test func roundTripsValuesAndLeavesNoTemporaryFile() throws {
        let directory = temporaryDirectory()
        let path = directory + "/x.safetensors"
        try referenceWriter().write(to: path)
        let file = try SafeTensorsFile(path: path)
        #expect(try file.integers("ids") == [3, 1, 4, 1, 5, 9, 2, 6])
        #expect(try file.booleans("mask") == [true, false, true])
        #expect(try file.doubles("threshold") == [Double(Float(0.002))])
        #expect(try ModelLoader.load(path: path, tensor: "matrix").matrix.row(1) == [4, 5, 6])
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["x.safetensors"])
    }

    @Test func metadataCompletedAfterTheDataIsWrittenInPlace() throws {
        let directory = temporaryDirectory()
        var writer = SafeTensorsWriter(metadata: ["digest": "0000"])
        writer.add("x", float32: [1, 2, 3])
        try writer.write(to: directory + "/same.safetensors", completingMetadata: { ["digest": "abcd"] })
        #expect(try SafeTensorsFile(path: directory + "/same.safetensors").metadata == ["digest": "abcd"])
        // A final value of another length cannot be patched in place: the file is written again.
        try writer.write(to: directory + "/longer.safetensors", completingMetadata: { ["digest": String(repeating: "f", count: 40)] })
        let longer = try SafeTensorsFile(path: directory + "/longer.safetensors")
        #expect(longer.metadata["digest"]?.count == 40)
        #expect(try longer.doubles("x") == [1, 2, 3])
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == ["longer.safetensors", "same.safetensors"])
    }

    @Test func headerIsPaddedToEightBytes() throws {
        let directory = temporaryDirectory()
        try referenceWriter().write(to: directory + "/x.safetensors")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: directory + "/x.safetensors"))
        let headerLength = bytes.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
        #expect(headerLength % 8 == 0)
    }
}

@Suite struct SafeTensorsValidationTests {
    /// A file from a header (as JSON text) and a data area.
    func file(header: String, data: [UInt8] = [], headerLength: UInt64? = nil) throws -> String {
        let path = temporaryDirectory() + "/bad.safetensors"
        var bytes = withUnsafeBytes(of: (headerLength ?? UInt64(header.utf8.count)).littleEndian) { Array($0) }
        bytes += Array(header.utf8) + data
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    func reason(_ path: String) -> String {
        do { _ = try SafeTensorsFile(path: path); return "accepted" } catch { return "\(error)" }
    }

    @Test func refusesHeadersThatLie() throws {
        let ok = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#
        #expect(reason(try file(header: ok, data: [UInt8](repeating: 0, count: 8))) == "accepted")
        #expect(reason(try file(header: ok, data: [UInt8](repeating: 0, count: 4))).contains("past the"))
        #expect(reason(try file(header: ok, data: [], headerLength: 1 << 40)).contains("exceeds"))
        #expect(reason(try file(header: ok, data: [], headerLength: 4000)).contains("past the end"))
        #expect(reason(try file(header: #"{"a":{"dtype":"F33","shape":[2],"data_offsets":[0,8]}}"#, data: .init(repeating: 0, count: 8))).contains("unknown dtype"))
        #expect(reason(try file(header: #"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, data: .init(repeating: 0, count: 8))).contains("span holds"))
        #expect(reason(try file(header: #"{"a":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,8]}}"#, data: .init(repeating: 0, count: 8))).contains("overflows"))
        let overlap = #"{"a":{"dtype":"U8","shape":[4],"data_offsets":[0,4]},"b":{"dtype":"U8","shape":[4],"data_offsets":[2,6]}}"#
        #expect(reason(try file(header: overlap, data: .init(repeating: 0, count: 6))).contains("overlaps"))
        let gap = #"{"a":{"dtype":"U8","shape":[2],"data_offsets":[2,4]}}"#
        #expect(reason(try file(header: gap, data: .init(repeating: 0, count: 4))).contains("gap"))
        #expect(reason(try file(header: #"{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"a":{"dtype":"U8","shape":[1],"data_offsets":[1,2]}}"#, data: [0, 0])).contains("duplicate key"))
        #expect(reason(try file(header: "{not json", data: [])).contains("not valid JSON"))
        #expect(reason(try file(header: #"{"__metadata__":{"k":1}}"#)).contains("not a string"))
    }

    @Test func refusesShortAndMissingFiles() throws {
        let path = temporaryDirectory() + "/short.safetensors"
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: path))
        #expect(reason(path).contains("shorter than the 8-byte header length"))
        #expect(reason(path + ".missing").contains("cannot open"))
    }

    @Test func truncationAtEveryByteIsRefusedCleanly() throws {
        let directory = temporaryDirectory()
        var writer = SafeTensorsWriter()
        writer.add("W", matrix: Matrix(rows: 3, columns: 4, format: .bf16, values: (0..<12).map(Float.init)))
        try writer.write(to: directory + "/full.safetensors")
        let full = try Data(contentsOf: URL(fileURLWithPath: directory + "/full.safetensors"))
        for length in 0..<full.count {
            let path = directory + "/cut.safetensors"
            try full.prefix(length).write(to: URL(fileURLWithPath: path))
            #expect(throws: TensorFormatError.self, "cut at \(length)") { try SafeTensorsFile(path: path) }
        }
    }

    @Test func matricesMustBeTwoDimensionalFloats() throws {
        let directory = temporaryDirectory()
        var writer = SafeTensorsWriter()
        writer.add("ids", int64: [1, 2, 3, 4], shape: [2, 2])
        writer.add("vector", float32: [1, 2])
        writer.add("cube", float32: [Float](repeating: 0, count: 8), shape: [2, 2, 2])
        try writer.write(to: directory + "/x.safetensors")
        func reason(_ tensor: String?) -> String {
            do { _ = try ModelLoader.load(path: directory + "/x.safetensors", tensor: tensor); return "accepted" } catch { return "\(error)" }
        }
        #expect(reason("ids").contains("I64"))
        #expect(reason("vector").contains("a matrix (2-D) is needed"))
        #expect(reason("cube").contains("a matrix (2-D) is needed"))
        #expect(reason("nope").contains("no tensor \"nope\""))
        #expect(reason(nil).contains("no 2-D tensor") || reason(nil).contains("I64"))
    }
}
