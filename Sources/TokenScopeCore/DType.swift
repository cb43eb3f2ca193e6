/// The element types of the safetensors format, named as in its headers.
public enum DType: String, CaseIterable, Sendable {
    case bool = "BOOL"
    case u8 = "U8", i8 = "I8"
    case f8e5m2 = "F8_E5M2", f8e4m3 = "F8_E4M3", f8e8m0 = "F8_E8M0"
    case i16 = "I16", u16 = "U16", f16 = "F16", bf16 = "BF16"
    case i32 = "I32", u32 = "U32", f32 = "F32"
    case f64 = "F64", i64 = "I64", u64 = "U64"
    case c64 = "C64"

    /// Bytes per element.
    public var size: Int {
        switch self {
        case .bool, .u8, .i8, .f8e5m2, .f8e4m3, .f8e8m0: return 1
        case .i16, .u16, .f16, .bf16: return 2
        case .i32, .u32, .f32: return 4
        case .f64, .i64, .u64, .c64: return 8
        }
    }
}

/// The floating-point types a matrix of W may be stored in; every stage keeps them native.
public enum FloatFormat: String, Sendable, CaseIterable {
    case bf16 = "BF16", f16 = "F16", f32 = "F32"

    public init?(_ dtype: DType) {
        switch dtype {
        case .bf16: self = .bf16
        case .f16: self = .f16
        case .f32: self = .f32
        default: return nil
        }
    }

    public var dtype: DType {
        switch self {
        case .bf16: return .bf16
        case .f16: return .f16
        case .f32: return .f32
        }
    }

    public var size: Int { dtype.size }

    /// Explicit mantissa bits: the spacing of representable values in [2^e, 2^(e+1)) is 2^(e - this).
    public var mantissaBits: Int {
        switch self {
        case .bf16: return 7
        case .f16: return 10
        case .f32: return 23
        }
    }
}
