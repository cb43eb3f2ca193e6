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

    func header(metadata: [String: String]) -> [UInt8] {
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
    /// the bytes (every byte of tensors up to `fullCheckBytes`; of larger ones, blocks spread over
    /// the tensor, since they were just written from the same memory and the check is for a short
    /// or misplaced write). Nothing is left under `path` unless the check passed.
    ///
    /// - Parameter completingMetadata: metadata known only after the data is written (a digest
    ///   computed meanwhile). The header is first written with `metadata`, whose values must
    ///   serialise to the same length as the final ones (a placeholder digest of the same length),
    ///   then rewritten in place; a different length rewrites the whole file.
    public func write(to path: String, completingMetadata: (() throws -> [String: String])? = nil) throws {
        var header = header(metadata: metadata)
        let size = entries.reduce(8 + header.count) { $0 + $1.bytes.count }
        let writer = try AtomicFileWriter(destination: path, expectedSize: size)
        try writer.write(withUnsafeBytes(of: UInt64(header.count).littleEndian) { Array($0) })
        try writer.write(header)
        for entry in entries { try writer.write(entry.bytes) }
        var final = self
        if let completingMetadata {
            final.metadata = try completingMetadata()
            let completed = final.header(metadata: final.metadata)
            guard completed.count == header.count else {
                Self.wholeFileRewrites += 1
                writer.abandon()
                return try final.write(to: path)
            }
            header = completed
            try writer.write(header, at: 8)
        }
        do {
            try final.verify(path: writer.temporaryPath, reportedAs: path)
        } catch {
            writer.abandon()
            throw error
        }
        try writer.commit()
    }

    /// Writes redone from the start because completed metadata changed the header's length: for
    /// tests that check a writer sized its placeholders right.
    nonisolated(unsafe) static var wholeFileRewrites = 0

    /// Tensors up to this size are compared byte for byte after writing.
    static let fullCheckBytes = 64 << 20

    private func verify(path: String, reportedAs finalPath: String) throws {
        func fail(_ reason: String) -> TensorFormatError {
            TensorFormatError(path: finalPath, problem: .malformed("read-back check failed: \(reason)"))
        }
        let file: SafeTensorsFile
        do { file = try SafeTensorsFile(path: path) } catch let error as TensorFormatError { throw fail(error.reason) }
        guard file.tensors.count == entries.count else { throw fail("\(file.tensors.count) tensors instead of \(entries.count)") }
        guard file.metadata == metadata else { throw fail("metadata differs") }
        for entry in entries {
            guard let info = file[entry.name] else { throw fail("tensor \"\(entry.name)\" missing") }
            guard info.dtype == entry.dtype, info.shape == entry.shape else { throw fail("tensor \"\(entry.name)\" has the wrong type or shape") }
            let stored = file.data(info)
            guard let a = stored.baseAddress, let b = entry.bytes.baseAddress else { continue }
            let block = 1 << 16
            let ranges: [Range<Int>] = stored.count <= Self.fullCheckBytes
                ? [0..<stored.count]
                : (0...16).map { k in
                    let start = (stored.count - block) / 16 * k
                    return start..<(start + block)
                }
            for range in ranges where memcmp(a + range.lowerBound, b + range.lowerBound, range.count) != 0 {
                throw fail("tensor \"\(entry.name)\" bytes differ at data byte \(range.lowerBound)")
            }
        }
    }
}

private final class MatrixBox {
    let matrix: Matrix
    init(_ matrix: Matrix) { self.matrix = matrix }
}
