/// The tensor element types of GGUF (`ggml_type`), with their block geometry.
///
/// Every type is known by its size, so a file's tensor directory is checked against the file even
/// for types TokenScope cannot turn into a matrix; `isDequantizable` says which ones it can.
public struct GGMLType: Sendable, Equatable, Hashable, CustomStringConvertible {
    public let rawValue: UInt32
    public let name: String
    /// Elements per block; 1 for plain types.
    public let blockSize: Int
    /// Bytes per block.
    public let typeSize: Int

    public static let f32 = GGMLType(rawValue: 0, name: "F32", blockSize: 1, typeSize: 4)
    public static let f16 = GGMLType(rawValue: 1, name: "F16", blockSize: 1, typeSize: 2)
    public static let q4_0 = GGMLType(rawValue: 2, name: "Q4_0", blockSize: 32, typeSize: 18)
    public static let q8_0 = GGMLType(rawValue: 8, name: "Q8_0", blockSize: 32, typeSize: 34)
    public static let q4_K = GGMLType(rawValue: 12, name: "Q4_K", blockSize: 256, typeSize: 144)
    public static let q6_K = GGMLType(rawValue: 14, name: "Q6_K", blockSize: 256, typeSize: 210)
    public static let bf16 = GGMLType(rawValue: 30, name: "BF16", blockSize: 1, typeSize: 2)

    /// All types of ggml as of gguf-py 0.19 (`GGML_QUANT_SIZES`); ids 4 and 5 (Q4_2, Q4_3) and
    /// 31–33 (Q4_0_4_4 …) were removed from ggml and are refused.
    public static let all: [GGMLType] = [
        f32, f16, q4_0,
        GGMLType(rawValue: 3, name: "Q4_1", blockSize: 32, typeSize: 20),
        GGMLType(rawValue: 6, name: "Q5_0", blockSize: 32, typeSize: 22),
        GGMLType(rawValue: 7, name: "Q5_1", blockSize: 32, typeSize: 24),
        q8_0,
        GGMLType(rawValue: 9, name: "Q8_1", blockSize: 32, typeSize: 40),
        GGMLType(rawValue: 10, name: "Q2_K", blockSize: 256, typeSize: 84),
        GGMLType(rawValue: 11, name: "Q3_K", blockSize: 256, typeSize: 110),
        q4_K,
        GGMLType(rawValue: 13, name: "Q5_K", blockSize: 256, typeSize: 176),
        q6_K,
        GGMLType(rawValue: 15, name: "Q8_K", blockSize: 256, typeSize: 292),
        GGMLType(rawValue: 16, name: "IQ2_XXS", blockSize: 256, typeSize: 66),
        GGMLType(rawValue: 17, name: "IQ2_XS", blockSize: 256, typeSize: 74),
        GGMLType(rawValue: 18, name: "IQ3_XXS", blockSize: 256, typeSize: 98),
        GGMLType(rawValue: 19, name: "IQ1_S", blockSize: 256, typeSize: 50),
        GGMLType(rawValue: 20, name: "IQ4_NL", blockSize: 32, typeSize: 18),
        GGMLType(rawValue: 21, name: "IQ3_S", blockSize: 256, typeSize: 110),
        GGMLType(rawValue: 22, name: "IQ2_S", blockSize: 256, typeSize: 82),
        GGMLType(rawValue: 23, name: "IQ4_XS", blockSize: 256, typeSize: 136),
        GGMLType(rawValue: 24, name: "I8", blockSize: 1, typeSize: 1),
        GGMLType(rawValue: 25, name: "I16", blockSize: 1, typeSize: 2),
        GGMLType(rawValue: 26, name: "I32", blockSize: 1, typeSize: 4),
        GGMLType(rawValue: 27, name: "I64", blockSize: 1, typeSize: 8),
        GGMLType(rawValue: 28, name: "F64", blockSize: 1, typeSize: 8),
        GGMLType(rawValue: 29, name: "IQ1_M", blockSize: 256, typeSize: 56),
        bf16,
        GGMLType(rawValue: 34, name: "TQ1_0", blockSize: 256, typeSize: 54),
        GGMLType(rawValue: 35, name: "TQ2_0", blockSize: 256, typeSize: 66),
        GGMLType(rawValue: 39, name: "MXFP4", blockSize: 32, typeSize: 17),
        GGMLType(rawValue: 40, name: "NVFP4", blockSize: 64, typeSize: 36),
        GGMLType(rawValue: 41, name: "Q1_0", blockSize: 128, typeSize: 18),
    ]

    public init?(rawValue: UInt32) {
        guard let known = Self.all.first(where: { $0.rawValue == rawValue }) else { return nil }
        self = known
    }

    init(rawValue: UInt32, name: String, blockSize: Int, typeSize: Int) {
        self.rawValue = rawValue
        self.name = name
        self.blockSize = blockSize
        self.typeSize = typeSize
    }

    public var description: String { name }

    /// The stored float format when the type is one a `Matrix` views in place.
    public var floatFormat: FloatFormat? {
        switch rawValue {
        case 0: return .f32
        case 1: return .f16
        case 30: return .bf16
        default: return nil
        }
    }

    /// The quantised types TokenScope expands to F32, exactly as llama.cpp's reference code.
    public static let dequantizable: [GGMLType] = [q8_0, q4_0, q4_K, q6_K]

    public var isDequantizable: Bool { Self.dequantizable.contains(self) }
}
