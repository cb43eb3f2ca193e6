/// Builds GGUF bytes field by field, so each test can break exactly one thing.
public struct GGUFBuilder {
    public var bytes: [UInt8] = []

    public init() {}

    public mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
    public mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
    public mutating func string(_ s: String) { u64(UInt64(s.utf8.count)); bytes += Array(s.utf8) }
    public mutating func header(version: UInt32 = 3, tensors: UInt64, metadata: UInt64) {
        bytes += Array("GGUF".utf8)
        u32(version)
        u64(tensors)
        u64(metadata)
    }
    public mutating func tensor(_ name: String, dims: [UInt64], type: UInt32 = 0, offset: UInt64) {
        string(name)
        u32(UInt32(dims.count))
        for d in dims { u64(d) }
        u32(type)
        u64(offset)
    }
    public mutating func pad(to alignment: Int = 32) {
        while bytes.count % alignment != 0 { bytes.append(0) }
    }

    /// A valid file: one F32 tensor [d=4, V=2], then `extra` bytes of data.
    public static func valid(dims: [UInt64] = [4, 2], type: UInt32 = 0, offset: UInt64 = 0, dataBytes: Int = 32) -> [UInt8] {
        var b = GGUFBuilder()
        b.header(tensors: 1, metadata: 1)
        b.string("general.architecture")
        b.u32(8)
        b.string("llama")
        b.tensor("token_embd.weight", dims: dims, type: type, offset: offset)
        b.pad()
        b.bytes += [UInt8](repeating: 0, count: dataBytes)
        return b.bytes
    }
}
