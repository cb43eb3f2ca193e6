/// A row-major V × d matrix of floats in their stored format, viewed in place.
///
/// This is W as the file holds it: nothing is converted or copied. The view keeps its storage (a
/// mapped file or an owned buffer) alive. All platforms TokenScope builds on are little-endian, the
/// byte order of safetensors and GGUF, so elements are read as they lie.
public struct Matrix: @unchecked Sendable {
    public let rows: Int
    public let columns: Int
    public let format: FloatFormat
    public let base: UnsafeRawPointer
    /// Where the matrix came from, for messages: "model.safetensors: lm_head.weight".
    public let origin: String
    private let storage: AnyObject

    public init(rows: Int, columns: Int, format: FloatFormat, base: UnsafeRawPointer, origin: String, storage: AnyObject) {
        self.rows = rows
        self.columns = columns
        self.format = format
        self.base = base
        self.origin = origin
        self.storage = storage
    }

    /// A matrix owning a copy of `bytes` (tests, synthetic data).
    public init(rows: Int, columns: Int, format: FloatFormat, bytes: [UInt8], origin: String = "memory") {
        precondition(bytes.count == rows * columns * format.size, "byte count does not match the shape")
        let buffer = OwnedBuffer(bytes: bytes)
        self.init(rows: rows, columns: columns, format: format, base: UnsafeRawPointer(buffer.pointer), origin: origin, storage: buffer)
    }

    /// A matrix of the given float values, stored in `format` (rounded to nearest even).
    public init(rows: Int, columns: Int, format: FloatFormat, values: [Float], origin: String = "memory") {
        precondition(values.count == rows * columns, "value count does not match the shape")
        var bytes = [UInt8]()
        bytes.reserveCapacity(values.count * format.size)
        for value in values {
            switch format {
            case .bf16: withUnsafeBytes(of: FloatConversion.floatToBF16(value).littleEndian) { bytes.append(contentsOf: $0) }
            case .f16: withUnsafeBytes(of: FloatConversion.floatToHalf(value).littleEndian) { bytes.append(contentsOf: $0) }
            case .f32: withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
            }
        }
        self.init(rows: rows, columns: columns, format: format, bytes: bytes, origin: origin)
    }

    /// An F32 matrix over a fresh buffer that `initialize` fills in place: the values are written
    /// once, where the matrix will read them (dequantised weights). The buffer arrives zeroed.
    public init(rows: Int, columns: Int, origin: String,
                initializingF32 initialize: (UnsafeMutableBufferPointer<Float>) throws -> Void) rethrows {
        let count = rows * columns
        let buffer = OwnedBuffer(byteCount: count * 4)
        let floats = buffer.pointer.bindMemory(to: Float.self, capacity: max(count, 1))
        floats.initialize(repeating: 0, count: count)
        try initialize(UnsafeMutableBufferPointer(start: floats, count: count))
        self.init(rows: rows, columns: columns, format: .f32, base: UnsafeRawPointer(buffer.pointer), origin: origin, storage: buffer)
    }

    public var rowBytes: Int { columns * format.size }
    public var byteCount: Int { rows * rowBytes }
    public var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: byteCount) }

    @inlinable public func rowPointer(_ row: Int) -> UnsafeRawPointer { base + row * rowBytes }

    /// One stored element, widened exactly.
    @inlinable public func element(_ row: Int, _ column: Int) -> Float {
        let p = rowPointer(row)
        switch format {
        case .bf16: return FloatConversion.bf16ToFloat(p.loadUnaligned(fromByteOffset: column * 2, as: UInt16.self))
        case .f16: return FloatConversion.halfToFloat(p.loadUnaligned(fromByteOffset: column * 2, as: UInt16.self))
        case .f32: return p.loadUnaligned(fromByteOffset: column * 4, as: Float.self)
        }
    }

    /// A row widened exactly to `Float`.
    public func row(_ row: Int) -> [Float] {
        (0..<columns).map { element(row, $0) }
    }
}

/// Heap storage for matrices that do not come from a mapped file.
package final class OwnedBuffer {
    package let pointer: UnsafeMutableRawPointer
    package init(bytes: [UInt8]) {
        pointer = UnsafeMutableRawPointer.allocate(byteCount: max(bytes.count, 1), alignment: 64)
        bytes.withUnsafeBytes { source in
            if let start = source.baseAddress { pointer.copyMemory(from: start, byteCount: source.count) }
        }
    }
    package init(byteCount: Int) {
        pointer = UnsafeMutableRawPointer.allocate(byteCount: max(byteCount, 1), alignment: 64)
    }
    deinit { pointer.deallocate() }
}
