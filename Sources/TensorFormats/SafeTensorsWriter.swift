#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import JSON

/// Builds a safetensors file and writes it atomically, then reads it back and checks it.
///
/// ```swift
/// var writer = SafeTensorsWriter(metadata: ["tool": "tokenscope 0.1.0"])
/// writer.add("cluster_token_ids", int64: ids)
/// writer.add("cluster_mask", bool: mask)
/// try writer.write(to: "out/1.4h_cluster_tokens.safetensors")
/// ```
/// Tensors are laid out in the order they are added; the header is padded with spaces to a
/// multiple of 8 bytes so that the data area is aligned, as the reference writer does.
public struct SafeTensorsWriter {
    private struct Entry {
        var name: String
        var dtype: DType
        var shape: [Int]
        var bytes: UnsafeRawBufferPointer
        var owner: AnyObject?
    }

    public var metadata: [String: String]
    private var entries: [Entry] = []

    public init(metadata: [String: String] = [:]) {
        self.metadata = metadata
    }

    public var names: [String] { entries.map(\.name) }

    private mutating func add(_ name: String, dtype: DType, shape: [Int], owned bytes: [UInt8]) {
        let buffer = OwnedBuffer(bytes: bytes)
        entries.append(Entry(name: name, dtype: dtype, shape: shape,
                             bytes: UnsafeRawBufferPointer(start: buffer.pointer, count: bytes.count), owner: buffer))
    }

    public mutating func add(_ name: String, int64 values: [Int], shape: [Int]? = nil) {
        var bytes = [UInt8]()
        bytes.reserveCapacity(values.count * 8)
        for value in values { withUnsafeBytes(of: Int64(value).littleEndian) { bytes.append(contentsOf: $0) } }
        add(name, dtype: .i64, shape: shape ?? [values.count], owned: bytes)
    }

    public mutating func add(_ name: String, bool values: [Bool], shape: [Int]? = nil) {
        add(name, dtype: .bool, shape: shape ?? [values.count], owned: values.map { $0 ? 1 : 0 })
    }

    public mutating func add(_ name: String, float32 values: [Float], shape: [Int]? = nil) {
        var bytes = [UInt8]()
        bytes.reserveCapacity(values.count * 4)
        for value in values { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
        add(name, dtype: .f32, shape: shape ?? [values.count], owned: bytes)
    }

    public mutating func add(_ name: String, float64 values: [Double], shape: [Int]? = nil) {
        var bytes = [UInt8]()
        bytes.reserveCapacity(values.count * 8)
        for value in values { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
        add(name, dtype: .f64, shape: shape ?? [values.count], owned: bytes)
    }

    /// Any dtype from raw little-endian bytes, copied.
    public mutating func add(_ name: String, dtype: DType, shape: [Int], bytes: [UInt8]) {
        precondition(shape.reduce(1, *) * dtype.size == bytes.count, "shape does not match the byte count")
        add(name, dtype: dtype, shape: shape, owned: bytes)
    }

    /// Bytes the caller keeps alive through `owner`, written without a copy: for results too
    /// large to hold twice, such as an n × n distance matrix.
    public mutating func add(_ name: String, dtype: DType, shape: [Int], borrowing bytes: UnsafeRawBufferPointer, owner: AnyObject) {
        precondition(shape.reduce(1, *) * dtype.size == bytes.count, "shape does not match the byte count")
        entries.append(Entry(name: name, dtype: dtype, shape: shape, bytes: bytes, owner: owner))
    }

    /// A matrix in its stored format, written from its storage without a copy.
    public mutating func add(_ name: String, matrix: Matrix) {
        entries.append(Entry(name: name, dtype: matrix.format.dtype, shape: [matrix.rows, matrix.columns],
                             bytes: matrix.bytes, owner: MatrixBox(matrix)))
    }

    func header() -> [UInt8] {
        var members: [JSONMember] = []
        if !metadata.isEmpty {
            members.append(JSONMember(key: "__metadata__", value: .object(metadata.sorted { $0.key < $1.key }.map {
                JSONMember(key: $0.key, value: .string($0.value))
            })))
        }
        var offset = 0
        for entry in entries {
            members.append(JSONMember(key: entry.name, value: [
                "dtype": .string(entry.dtype.rawValue),
                "shape": JSONValue(entry.shape),
                "data_offsets": JSONValue([offset, offset + entry.bytes.count]),
            ]))
            offset += entry.bytes.count
        }
        var header = Array(JSONValue.object(members).serialized().utf8)
        while header.count % 8 != 0 { header.append(0x20) }
        return header
    }

    /// Writes the file atomically and verifies it by reading it back: names, dtypes, shapes and
    /// every byte. Nothing is left under `path` unless the check passed.
    public func write(to path: String) throws {
        let writer = try AtomicFileWriter(destination: path)
        let header = header()
        try writer.write(withUnsafeBytes(of: UInt64(header.count).littleEndian) { Array($0) })
        try writer.write(header)
        for entry in entries { try writer.write(entry.bytes) }
        do {
            try verify(path: writer.temporaryPath, reportedAs: path)
        } catch {
            writer.abandon()
            throw error
        }
        try writer.commit()
    }

    private func verify(path: String, reportedAs finalPath: String) throws {
        func fail(_ reason: String) -> TensorFormatError {
            TensorFormatError(path: finalPath, reason: "read-back check failed: \(reason)")
        }
        let file: SafeTensorsFile
        do { file = try SafeTensorsFile(path: path) } catch let error as TensorFormatError { throw fail(error.reason) }
        guard file.tensors.count == entries.count else { throw fail("\(file.tensors.count) tensors instead of \(entries.count)") }
        guard file.metadata == metadata else { throw fail("metadata differs") }
        for entry in entries {
            guard let info = file[entry.name] else { throw fail("tensor \"\(entry.name)\" missing") }
            guard info.dtype == entry.dtype, info.shape == entry.shape else { throw fail("tensor \"\(entry.name)\" has the wrong type or shape") }
            let stored = file.data(info)
            if let a = stored.baseAddress, let b = entry.bytes.baseAddress, memcmp(a, b, stored.count) != 0 {
                throw fail("tensor \"\(entry.name)\" bytes differ")
            }
        }
    }
}

private final class MatrixBox {
    let matrix: Matrix
    init(_ matrix: Matrix) { self.matrix = matrix }
}
