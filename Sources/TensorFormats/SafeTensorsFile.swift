import JSON

/// One tensor of a safetensors file as its header describes it, after validation.
public struct TensorInfo: Sendable, Equatable {
    public var name: String
    public var dtype: DType
    public var shape: [Int]
    /// Offset of the first byte from the start of the file (not of the data area).
    public var fileOffset: Int
    public var byteCount: Int

    public var elementCount: Int { shape.reduce(1, *) }
}

/// A memory-mapped safetensors file whose header has been checked against the file.
///
/// Checks, in order, each failing with a one-line `TensorFormatError`: the 8-byte little-endian
/// header length fits in the file and under `maxHeaderBytes`; the header is strict JSON (no
/// duplicate keys); `__metadata__` maps strings to strings; every tensor has a known dtype, a shape
/// of non-negative integers whose byte size does not overflow and equals its span; spans lie in the
/// data area, in order, without gaps or overlaps, and cover it exactly (the rule of the reference
/// implementation). Nothing is allocated from a size the file cannot hold.
public final class SafeTensorsFile: @unchecked Sendable {
    /// Headers above this are refused before parsing; the reference library uses the same bound.
    public static let maxHeaderBytes = 100 << 20

    public let file: MappedFile
    public let tensors: [TensorInfo]
    public let metadata: [String: String]
    public var path: String { file.path }

    public convenience init(path: String) throws {
        try self.init(file: MappedFile(path: path))
    }

    /// Parses bytes held in memory, e.g. from a fuzzer; `path` names them in messages.
    public convenience init(bytes: [UInt8], path: String = "<memory>") throws {
        try self.init(file: MappedFile(bytes: bytes, path: path))
    }

    public init(file: MappedFile) throws {
        self.file = file
        let bytes = file.bytes
        func fail(_ reason: String) -> TensorFormatError { TensorFormatError(path: file.path, problem: .malformed(reason)) }

        guard bytes.count >= 8 else { throw fail("not a safetensors file: \(bytes.count) bytes, shorter than the 8-byte header length") }
        let headerLength = bytes.loadUnaligned(as: UInt64.self).littleEndian
        guard headerLength <= UInt64(Self.maxHeaderBytes) else {
            throw fail("header length \(headerLength) exceeds the \(Self.maxHeaderBytes)-byte limit (truncated or not a safetensors file)")
        }
        guard headerLength <= UInt64(bytes.count - 8) else {
            throw fail("header length \(headerLength) runs past the end of the \(bytes.count)-byte file (truncated?)")
        }
        let dataStart = 8 + Int(headerLength)
        let header: JSONValue
        switch JSONParser(maxDepth: 16).parseBuffer(UnsafeRawBufferPointer(rebasing: bytes[8..<dataStart])) {
        case .success(let value): header = value
        case .failure(let error): throw fail("header is not valid JSON (\(error.reason) at header byte \(error.offset))")
        }
        guard case .object(let members) = header else { throw fail("header is not a JSON object") }

        var metadata: [String: String] = [:]
        var tensors: [TensorInfo] = []
        let dataCount = bytes.count - dataStart
        for member in members {
            if member.key == "__metadata__" {
                guard case .object(let entries) = member.value else { throw fail("__metadata__ is not an object") }
                for entry in entries {
                    guard let value = entry.value.stringValue else { throw fail("__metadata__ value for \"\(entry.key)\" is not a string") }
                    metadata[entry.key] = value
                }
                continue
            }
            let name = member.key
            guard let dtypeName = member.value["dtype"]?.stringValue else { throw fail("tensor \"\(name)\" has no dtype") }
            guard let dtype = DType(rawValue: dtypeName) else { throw fail("tensor \"\(name)\" has unknown dtype \"\(dtypeName)\"") }
            guard let shapeValues = member.value["shape"]?.arrayValue else { throw fail("tensor \"\(name)\" has no shape") }
            var shape: [Int] = []
            var elements = 1
            for value in shapeValues {
                guard let dimension = value.intValue, dimension >= 0 else { throw fail("tensor \"\(name)\" has an invalid shape") }
                let (product, overflow) = elements.multipliedReportingOverflow(by: dimension)
                guard !overflow else { throw fail("tensor \"\(name)\" shape \(shapeValues.compactMap(\.intValue)) overflows") }
                elements = product
                shape.append(dimension)
            }
            let (byteCount, overflow) = elements.multipliedReportingOverflow(by: dtype.size)
            guard !overflow else { throw fail("tensor \"\(name)\" byte size overflows") }
            guard let offsets = member.value["data_offsets"]?.arrayValue, offsets.count == 2,
                let begin = offsets[0].intValue, let end = offsets[1].intValue, begin >= 0, begin <= end
            else { throw fail("tensor \"\(name)\" has invalid data_offsets") }
            guard end <= dataCount else {
                throw fail("tensor \"\(name)\" ends at data byte \(end), past the \(dataCount)-byte data area (truncated?)")
            }
            guard end - begin == byteCount else {
                throw fail("tensor \"\(name)\" is \(dtypeName) \(shape) = \(byteCount) bytes but its span holds \(end - begin)")
            }
            tensors.append(TensorInfo(name: name, dtype: dtype, shape: shape, fileOffset: dataStart + begin, byteCount: byteCount))
        }
        var expected = dataStart
        for tensor in tensors.sorted(by: { ($0.fileOffset, $0.byteCount) < ($1.fileOffset, $1.byteCount) }) {
            guard tensor.fileOffset == expected else {
                let problem = tensor.fileOffset < expected ? "overlaps the previous tensor" : "leaves a gap before it"
                throw fail("tensor \"\(tensor.name)\" at data byte \(tensor.fileOffset - dataStart) \(problem)")
            }
            expected += tensor.byteCount
        }
        guard expected == bytes.count else {
            throw fail("tensors cover \(expected - dataStart) of the \(dataCount) data bytes")
        }
        self.tensors = tensors
        self.metadata = metadata
    }

    public subscript(name: String) -> TensorInfo? {
        tensors.first { $0.name == name }
    }

    /// The stored bytes of a tensor.
    public func data(_ tensor: TensorInfo) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: file.bytes[tensor.fileOffset..<(tensor.fileOffset + tensor.byteCount)])
    }

    func tensor(_ name: String) throws -> TensorInfo {
        guard let tensor = self[name] else {
            throw TensorFormatError(path: path, problem: .noSuchTensor(names: [name], available: Array(tensors.map(\.name).sorted().prefix(8))))
        }
        return tensor
    }

    /// A tensor of any integer type as 64-bit integers, e.g. token ids saved as I64 or I32.
    public func integers(_ name: String) throws -> [Int] {
        let tensor = try tensor(name)
        let data = self.data(tensor)
        let n = tensor.elementCount
        switch tensor.dtype {
        case .i64: return (0..<n).map { Int(data.loadUnaligned(fromByteOffset: $0 * 8, as: Int64.self).littleEndian) }
        case .u64:
            var out: [Int] = []
            out.reserveCapacity(n)
            for i in 0..<n {
                let value = data.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self).littleEndian
                guard let v = Int(exactly: value) else { throw TensorFormatError(path: path, problem: .unusableTensor(name: name, reason: "holds \(value), too large for an id")) }
                out.append(v)
            }
            return out
        case .i32: return (0..<n).map { Int(data.loadUnaligned(fromByteOffset: $0 * 4, as: Int32.self).littleEndian) }
        case .u32: return (0..<n).map { Int(data.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self).littleEndian) }
        case .i16: return (0..<n).map { Int(data.loadUnaligned(fromByteOffset: $0 * 2, as: Int16.self).littleEndian) }
        case .u16: return (0..<n).map { Int(data.loadUnaligned(fromByteOffset: $0 * 2, as: UInt16.self).littleEndian) }
        case .i8: return (0..<n).map { Int(data.load(fromByteOffset: $0, as: Int8.self)) }
        case .u8: return (0..<n).map { Int(data[$0]) }
        default: throw TensorFormatError(path: path, problem: .unusableTensor(name: name, reason: "is \(tensor.dtype.rawValue), expected integers"))
        }
    }

    /// A BOOL (or U8 0/1) tensor.
    public func booleans(_ name: String) throws -> [Bool] {
        let tensor = try tensor(name)
        guard tensor.dtype == .bool || tensor.dtype == .u8 else {
            throw TensorFormatError(path: path, problem: .unusableTensor(name: name, reason: "is \(tensor.dtype.rawValue), expected BOOL"))
        }
        return data(tensor).map { $0 != 0 }
    }

    /// A floating-point tensor widened to Double (F64, F32, F16 or BF16), e.g. a stored threshold.
    public func doubles(_ name: String) throws -> [Double] {
        let tensor = try tensor(name)
        let data = self.data(tensor)
        let n = tensor.elementCount
        switch tensor.dtype {
        case .f64: return (0..<n).map { Double(bitPattern: data.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self).littleEndian) }
        case .f32: return (0..<n).map { Double(Float(bitPattern: data.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self).littleEndian)) }
        case .bf16: return (0..<n).map { Double(Float(bitPattern: UInt32(data.loadUnaligned(fromByteOffset: $0 * 2, as: UInt16.self).littleEndian) << 16)) }
        case .f16: return (0..<n).map { Double(FloatConversion.halfToFloat(data.loadUnaligned(fromByteOffset: $0 * 2, as: UInt16.self).littleEndian)) }
        default: throw TensorFormatError(path: path, problem: .unusableTensor(name: name, reason: "is \(tensor.dtype.rawValue), expected a float type"))
        }
    }
}
