/// One tensor of a GGUF file's directory, after validation.
public struct GGUFTensorInfo: Sendable, Equatable {
    public var name: String
    /// Dimensions as GGUF writes them, fastest-varying first: `[ne0, ne1, …]`. A matrix of V rows
    /// of d values is `[d, V]`.
    public var dimensions: [Int]
    public var type: GGMLType
    /// Offset of the first byte from the start of the file (not of the data section).
    public var fileOffset: Int
    public var byteCount: Int

    public var elementCount: Int { dimensions.reduce(1, *) }
}

/// A memory-mapped GGUF file (versions 2 and 3, little-endian) whose header has been checked.
///
/// The header is read front to back and every count, length and offset is checked against the
/// bytes that remain *before* anything is allocated from it, so a hostile file costs at most a
/// few times its own size: a count of n items needs at least n × (the smallest item) bytes to
/// follow. Checks, each failing with a one-line `TensorFormatError` naming the byte offset:
/// magic and version; metadata keys unique, non-empty, valid UTF-8 and at most `maxStringBytes`;
/// values of known types, arrays nested at most `maxArrayDepth` deep with at most
/// `maxArrayElements` elements; `general.alignment` a power of two up to `maxAlignment`; tensors
/// with unique names, 1 to 4 dimensions whose product does not overflow, a known type, a first
/// dimension divisible by its block size, an offset aligned and inside the data section, spans
/// inside the file and not overlapping.
public final class GGUFFile: @unchecked Sendable {
    /// Longest string accepted (keys, values, tensor names); chat templates run to tens of KiB.
    public static let maxStringBytes = 16 << 20
    /// Most elements in one metadata array; vocabularies hold a few hundred thousand tokens.
    public static let maxArrayElements = 1 << 24
    /// Arrays of arrays may nest this deep (the format allows nesting; no known key uses it).
    public static let maxArrayDepth = 3
    /// Most metadata entries and most tensors.
    public static let maxMetadataCount = 1 << 20
    public static let maxTensorCount = 1 << 20
    /// Largest `general.alignment` accepted.
    public static let maxAlignment = 1 << 16
    /// ggml's `GGML_MAX_DIMS`.
    public static let maxDimensions = 4
    /// The alignment of the data section and of each tensor when `general.alignment` is absent.
    public static let defaultAlignment = 32

    public let file: MappedFile
    public let version: Int
    /// Metadata in file order.
    public let metadata: [(key: String, value: GGUFValue)]
    public let tensors: [GGUFTensorInfo]
    public let alignment: Int
    /// Offset of the data section from the start of the file.
    public let dataOffset: Int
    public var path: String { file.path }

    private let metadataIndex: [String: Int]
    private let tensorIndex: [String: Int]

    /// Whether the bytes start with the GGUF magic.
    public static func hasMagic(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count >= 4 && bytes[0] == 0x47 && bytes[1] == 0x47 && bytes[2] == 0x55 && bytes[3] == 0x46
    }

    public convenience init(path: String) throws {
        try self.init(file: MappedFile(path: path))
    }

    /// Parses bytes held in memory, e.g. from a fuzzer; `path` names them in messages.
    public convenience init(bytes: [UInt8], path: String = "<memory>") throws {
        try self.init(file: MappedFile(bytes: bytes, path: path))
    }

    public init(file: MappedFile) throws {
        self.file = file
        var reader = GGUFReader(bytes: file.bytes, path: file.path)

        guard Self.hasMagic(file.bytes) else {
            throw reader.error("not a GGUF file (no \"GGUF\" magic)", at: 0)
        }
        reader.position = 4
        let version = try reader.read(UInt32.self, "version")
        guard version == 2 || version == 3 else {
            if version == 1 { throw reader.error("GGUF version 1 (32-bit counts) is not supported; convert the file again", at: 4) }
            if version.byteSwapped == 2 || version.byteSwapped == 3 {
                throw reader.error("big-endian GGUF is not supported", at: 4)
            }
            throw reader.error("unknown GGUF version \(version)", at: 4)
        }
        self.version = Int(version)
        let tensorCount = try reader.count("tensor count", limit: Self.maxTensorCount, minimumItemSize: 8 + 4 + 8 + 4 + 8)
        let metadataCount = try reader.count("metadata count", limit: Self.maxMetadataCount, minimumItemSize: 8 + 1 + 4 + 1)

        var metadata: [(key: String, value: GGUFValue)] = []
        var metadataIndex: [String: Int] = [:]
        metadata.reserveCapacity(metadataCount)
        for _ in 0..<metadataCount {
            let keyOffset = reader.position
            let key = try reader.string("metadata key")
            guard !key.isEmpty else { throw reader.error("empty metadata key", at: keyOffset) }
            guard metadataIndex[key] == nil else { throw reader.error("duplicate metadata key \"\(key)\"", at: keyOffset) }
            let type = try reader.valueType("value type of \"\(key)\"")
            let value = try reader.value(type, key: key, depth: 0)
            metadataIndex[key] = metadata.count
            metadata.append((key, value))
        }

        var alignment = Self.defaultAlignment
        if let index = metadataIndex["general.alignment"] {
            guard case .uint32(let value) = metadata[index].value else {
                throw reader.error("general.alignment is \(metadata[index].value.type), not uint32", at: nil)
            }
            guard value > 0, value & (value - 1) == 0, value <= Self.maxAlignment else {
                throw reader.error("general.alignment \(value) is not a power of two up to \(Self.maxAlignment)", at: nil)
            }
            alignment = Int(value)
        }

        struct Pending { var name: String; var dimensions: [Int]; var type: GGMLType; var offset: Int; var byteCount: Int; var at: Int }
        var pending: [Pending] = []
        var tensorIndex: [String: Int] = [:]
        pending.reserveCapacity(tensorCount)
        for _ in 0..<tensorCount {
            let at = reader.position
            let name = try reader.string("tensor name")
            guard tensorIndex[name] == nil else { throw reader.error("duplicate tensor \"\(name)\"", at: at) }
            let rank = try reader.read(UInt32.self, "dimension count of \"\(name)\"")
            guard rank >= 1, rank <= UInt32(Self.maxDimensions) else {
                throw reader.error("tensor \"\(name)\" has \(rank) dimensions (1 to \(Self.maxDimensions) allowed)", at: at)
            }
            var dimensions: [Int] = []
            var elements = 1
            for _ in 0..<Int(rank) {
                let raw = try reader.read(UInt64.self, "dimension of \"\(name)\"")
                // ggml stores dimensions as int64; a value past Int64.max is negative there.
                guard let dimension = Int(exactly: raw), dimension >= 0 else {
                    throw reader.error("tensor \"\(name)\" has dimension \(raw), out of range", at: at)
                }
                let (product, overflow) = elements.multipliedReportingOverflow(by: dimension)
                guard !overflow else { throw reader.error("tensor \"\(name)\" dimensions overflow (\(dimensions + [dimension]) …)", at: at) }
                elements = product
                dimensions.append(dimension)
            }
            let rawType = try reader.read(UInt32.self, "type of \"\(name)\"")
            guard let type = GGMLType(rawValue: rawType) else {
                throw reader.error("tensor \"\(name)\" has unknown ggml type \(rawType)", at: at)
            }
            guard dimensions[0] % type.blockSize == 0 else {
                throw reader.error("tensor \"\(name)\" is \(type) with blocks of \(type.blockSize) but its rows hold \(dimensions[0]) values", at: at)
            }
            let (byteCount, overflow) = (elements / type.blockSize).multipliedReportingOverflow(by: type.typeSize)
            guard !overflow, byteCount <= file.count else {
                throw reader.error("tensor \"\(name)\" \(type) \(dimensions) needs more bytes than the \(file.count)-byte file holds", at: at)
            }
            let rawOffset = try reader.read(UInt64.self, "offset of \"\(name)\"")
            guard let offset = Int(exactly: rawOffset), offset <= file.count else {
                throw reader.error("tensor \"\(name)\" offset \(rawOffset) is past the end of the \(file.count)-byte file", at: at)
            }
            guard offset % alignment == 0 else {
                throw reader.error("tensor \"\(name)\" offset \(offset) is not a multiple of the alignment \(alignment)", at: at)
            }
            tensorIndex[name] = pending.count
            pending.append(Pending(name: name, dimensions: dimensions, type: type, offset: offset, byteCount: byteCount, at: at))
        }

        // The data section starts at the next multiple of the alignment; a file without tensors
        // may end before it.
        let padding = (alignment - reader.position % alignment) % alignment
        let dataOffset = reader.position + padding
        guard pending.isEmpty || dataOffset <= file.count else {
            throw reader.error("data section at \(dataOffset) starts past the end of the \(file.count)-byte file (truncated?)", at: nil)
        }

        var tensors: [GGUFTensorInfo] = []
        tensors.reserveCapacity(pending.count)
        for item in pending {
            let start = dataOffset + item.offset
            guard start <= file.count, item.byteCount <= file.count - start else {
                throw reader.error("tensor \"\(item.name)\" spans bytes \(start)..<\(start + item.byteCount), past the end of the \(file.count)-byte file (truncated?)", at: item.at)
            }
            tensors.append(GGUFTensorInfo(name: item.name, dimensions: item.dimensions, type: item.type, fileOffset: start, byteCount: item.byteCount))
        }
        var end = dataOffset
        var previous: String?
        for tensor in tensors.sorted(by: { ($0.fileOffset, $0.byteCount) < ($1.fileOffset, $1.byteCount) }) {
            guard tensor.fileOffset >= end else {
                throw reader.error("tensor \"\(tensor.name)\" at data byte \(tensor.fileOffset - dataOffset) overlaps \"\(previous ?? "")\"", at: nil)
            }
            end = tensor.fileOffset + tensor.byteCount
            previous = tensor.name
        }

        self.metadata = metadata
        self.metadataIndex = metadataIndex
        self.tensors = tensors
        self.tensorIndex = tensorIndex
        self.alignment = alignment
        self.dataOffset = dataOffset
    }

    /// The metadata value of `key`, if present.
    public subscript(key: String) -> GGUFValue? {
        metadataIndex[key].map { metadata[$0].value }
    }

    public func tensor(named name: String) -> GGUFTensorInfo? {
        tensorIndex[name].map { tensors[$0] }
    }

    /// The stored bytes of a tensor.
    public func data(_ tensor: GGUFTensorInfo) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: file.bytes[tensor.fileOffset..<(tensor.fileOffset + tensor.byteCount)])
    }
}

/// A cursor over the header that refuses to read past the end and reports where it stopped.
struct GGUFReader {
    let bytes: UnsafeRawBufferPointer
    let path: String
    var position = 0

    init(bytes: UnsafeRawBufferPointer, path: String) {
        self.bytes = bytes
        self.path = path
    }

    var remaining: Int { bytes.count - position }

    func error(_ reason: String, at offset: Int?) -> TensorFormatError {
        TensorFormatError(path: path, problem: .malformed(offset.map { "\(reason) (at byte \($0))" } ?? reason))
    }

    mutating func read<T: FixedWidthInteger>(_: T.Type, _ what: String) throws -> T {
        let size = MemoryLayout<T>.size
        guard remaining >= size else {
            throw error("file ends in the \(what): \(remaining) of \(size) bytes left (truncated?)", at: position)
        }
        let value = T(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: T.self))
        position += size
        return value
    }

    /// A 64-bit count of items, each taking at least `minimumItemSize` bytes, checked against
    /// both `limit` and what the rest of the file could hold.
    mutating func count(_ what: String, limit: Int, minimumItemSize: Int) throws -> Int {
        let at = position
        let raw = try read(UInt64.self, what)
        guard raw <= UInt64(limit) else { throw error("\(what) \(raw) exceeds the limit of \(limit)", at: at) }
        let count = Int(raw)
        guard count <= remaining / minimumItemSize else {
            throw error("\(what) \(count) cannot fit in the \(remaining) bytes left (truncated or corrupt)", at: at)
        }
        return count
    }

    mutating func string(_ what: String) throws -> String {
        let at = position
        let raw = try read(UInt64.self, "length of the \(what)")
        guard raw <= UInt64(GGUFFile.maxStringBytes) else {
            throw error("\(what) length \(raw) exceeds the limit of \(GGUFFile.maxStringBytes) bytes", at: at)
        }
        let length = Int(raw)
        guard length <= remaining else {
            throw error("\(what) of \(length) bytes runs past the end of the file (truncated?)", at: at)
        }
        let slice = UnsafeRawBufferPointer(rebasing: bytes[position..<(position + length)])
        guard let string = String(validating: slice, as: UTF8.self) else {
            throw error("\(what) is not valid UTF-8", at: at)
        }
        position += length
        return string
    }

    mutating func valueType(_ what: String) throws -> GGUFValueType {
        let at = position
        let raw = try read(UInt32.self, what)
        guard let type = GGUFValueType(rawValue: raw) else { throw error("unknown \(what) \(raw)", at: at) }
        return type
    }

    mutating func value(_ type: GGUFValueType, key: String, depth: Int) throws -> GGUFValue {
        let what = "value of \"\(key)\""
        switch type {
        case .uint8: return .uint8(try read(UInt8.self, what))
        case .int8: return .int8(try read(Int8.self, what))
        case .uint16: return .uint16(try read(UInt16.self, what))
        case .int16: return .int16(try read(Int16.self, what))
        case .uint32: return .uint32(try read(UInt32.self, what))
        case .int32: return .int32(try read(Int32.self, what))
        case .uint64: return .uint64(try read(UInt64.self, what))
        case .int64: return .int64(try read(Int64.self, what))
        case .float32: return .float32(Float(bitPattern: try read(UInt32.self, what)))
        case .float64: return .float64(Double(bitPattern: try read(UInt64.self, what)))
        case .bool:
            let at = position
            let byte = try read(UInt8.self, what)
            guard byte <= 1 else { throw error("\(what) is a bool stored as \(byte)", at: at) }
            return .bool(byte == 1)
        case .string: return .string(try string(what))
        case .array:
            let at = position
            guard depth < GGUFFile.maxArrayDepth else {
                throw error("\(what) nests arrays deeper than \(GGUFFile.maxArrayDepth)", at: at)
            }
            let elementType = try valueType("element type of \"\(key)\"")
            let count = try self.count("element count of \"\(key)\"", limit: GGUFFile.maxArrayElements, minimumItemSize: elementType.minimumSize)
            return .array(try array(elementType, count: count, key: key, depth: depth))
        }
    }

    /// Fixed-size elements are copied straight from the file; `count` has been checked against
    /// the bytes left, so the copy is in bounds.
    mutating func fixed<T: FixedWidthInteger>(_: T.Type, _ count: Int) -> [T] {
        let start = position
        position += count * MemoryLayout<T>.size
        return (0..<count).map { T(littleEndian: bytes.loadUnaligned(fromByteOffset: start + $0 * MemoryLayout<T>.size, as: T.self)) }
    }

    mutating func array(_ type: GGUFValueType, count: Int, key: String, depth: Int) throws -> GGUFArray {
        switch type {
        case .uint8: return .uint8(fixed(UInt8.self, count))
        case .int8: return .int8(fixed(Int8.self, count))
        case .uint16: return .uint16(fixed(UInt16.self, count))
        case .int16: return .int16(fixed(Int16.self, count))
        case .uint32: return .uint32(fixed(UInt32.self, count))
        case .int32: return .int32(fixed(Int32.self, count))
        case .uint64: return .uint64(fixed(UInt64.self, count))
        case .int64: return .int64(fixed(Int64.self, count))
        case .float32: return .float32(fixed(UInt32.self, count).map(Float.init(bitPattern:)))
        case .float64: return .float64(fixed(UInt64.self, count).map(Double.init(bitPattern:)))
        case .bool:
            let at = position
            let raw = fixed(UInt8.self, count)
            if let bad = raw.firstIndex(where: { $0 > 1 }) {
                throw error("element \(bad) of \"\(key)\" is a bool stored as \(raw[bad])", at: at + bad)
            }
            return .bool(raw.map { $0 == 1 })
        case .string:
            var strings: [String] = []
            strings.reserveCapacity(count)
            for _ in 0..<count { strings.append(try string("element of \"\(key)\"")) }
            return .string(strings)
        case .array:
            guard depth + 1 < GGUFFile.maxArrayDepth else {
                throw error("\"\(key)\" nests arrays deeper than \(GGUFFile.maxArrayDepth)", at: position)
            }
            var arrays: [GGUFArray] = []
            arrays.reserveCapacity(count)
            for _ in 0..<count {
                let elementType = try valueType("element type of \"\(key)\"")
                let inner = try self.count("element count of \"\(key)\"", limit: GGUFFile.maxArrayElements, minimumItemSize: elementType.minimumSize)
                arrays.append(try array(elementType, count: inner, key: key, depth: depth + 1))
            }
            return .array(arrays)
        }
    }
}
