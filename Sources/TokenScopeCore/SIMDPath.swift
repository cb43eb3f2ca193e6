import CKernels

/// The instruction set a hot loop runs on.
///
/// Kernels take the path as an argument (default: ``best``), so results can be checked path by
/// path and a test can force ``scalar`` without any process-wide switch. Every path gives the same
/// result where a result is exact (equality, edges, components); floating sums are accumulated in
/// the same order on every path where the stage documents it, within stated bounds elsewhere.
public enum SIMDPath: Int, Sendable, CaseIterable, CustomStringConvertible {
    case scalar = 0
    case neon = 1
    case avx2 = 2
    case avx512 = 3

    /// The widest path this processor supports, detected once at run time.
    public static var best: SIMDPath { SIMDPath(ts_simd_best()) }

    /// This path if the processor supports it, else the widest supported one below it.
    public var usable: SIMDPath { SIMDPath(ts_simd_usable(cValue)) }

    public var description: String {
        switch self {
        case .scalar: return "scalar"
        case .neon: return "NEON"
        case .avx2: return "AVX2+FMA"
        case .avx512: return "AVX-512"
        }
    }

    /// The value the C kernels take.
    public var cValue: ts_simd_path { ts_simd_path(rawValue: UInt32(rawValue)) }

    init(_ path: ts_simd_path) { self = SIMDPath(rawValue: Int(path.rawValue)) ?? .scalar }
}
