import CKernels
import TokenScopeCore

/// The inner loops over rows of W, specialised per stored format; the hot ones (distances, norms,
/// equality, hashing) run in the C kernels of `ckernels_rows.h` on the SIMD path chosen at
/// construction (default: the widest this processor has).
///
/// Numerical choices, argued once here:
/// - Stored values widen exactly to `Float` and then to `Double`. Differences are taken in
///   `Double`: the difference of two BF16/F16 values is exact there unless their exponents are
///   more than ~40 apart, so a distance is built from the true differences, never from
///   ‖x‖² + ‖y‖² − 2x·y, whose cancellation error (~1e-7 · ‖x‖²) exceeds the thresholds studied
///   (`PairwiseDistances` uses that form only to rule out far pairs, with a proven bound).
/// - Squares accumulate in sixteen `Double` lanes summed in a fixed tree, multiplied and added
///   separately on every path (a fused multiply-add rounds differently), so one pair gets the same
///   bits whatever thread, caller or SIMD path computes it; relative error ≤ d·2⁻⁵³ ≈ 3e-13 for d = 2560.
/// - An early exit compares the running sum with a bound every 256 elements: partial sums of
///   non-negative terms can only grow under round-to-nearest, so stopping when one reaches the
///   bound is exact.
public protocol StoredFloat {
    /// Reads 16 consecutive elements widened exactly to `Float`.
    static func load16(_ pointer: UnsafeRawPointer) -> SIMD16<Float>
    static func load1(_ pointer: UnsafeRawPointer) -> Float
    static var size: Int { get }
    /// An integer with the same order as the stored values, equal for +0 and −0; the difference of
    /// two ranks counts the representable values between them (the lattice metric).
    static func rank(_ pointer: UnsafeRawPointer) -> Int64
    static var format: FloatFormat { get }
}

/// The stored formats as types, for code written once over them (`StoredFloat`); nested so that
/// clients do not get types named `F32`.
extension FloatConversion {
    public enum BF16: StoredFloat {
        @inline(__always) public static func load16(_ p: UnsafeRawPointer) -> SIMD16<Float> {
            let bits = SIMD16<UInt32>(truncatingIfNeeded: p.loadUnaligned(as: SIMD16<UInt16>.self)) &<< 16
            return unsafeBitCast(bits, to: SIMD16<Float>.self)
        }
        @inline(__always) public static func load1(_ p: UnsafeRawPointer) -> Float {
            FloatConversion.bf16ToFloat(p.loadUnaligned(as: UInt16.self))
        }
        public static var size: Int { 2 }
        public static var format: FloatFormat { .bf16 }
        @inline(__always) public static func rank(_ p: UnsafeRawPointer) -> Int64 {
            let bits = p.loadUnaligned(as: UInt16.self)
            let magnitude = Int64(bits & 0x7FFF)
            return bits & 0x8000 != 0 ? -magnitude : magnitude
        }
    }

    public enum F16: StoredFloat {
        @inline(__always) public static func load16(_ p: UnsafeRawPointer) -> SIMD16<Float> {
            // Vector form of the scalar conversion: normal numbers rebias the exponent; subnormals are
            // mantissa × 2⁻²⁴ (exact); infinities and NaN keep an all-ones exponent.
            let h = SIMD16<UInt32>(truncatingIfNeeded: p.loadUnaligned(as: SIMD16<UInt16>.self))
            let sign = (h & 0x8000) &<< 16
            let exponent = (h &>> 10) & 0x1F
            let mantissa = h & 0x3FF
            var bits = ((exponent &+ 112) &<< 23) | (mantissa &<< 13)
            bits.replace(with: 0x7F80_0000 | (mantissa &<< 13), where: exponent .== 0x1F)
            let subnormal = SIMD16<Float>(mantissa) * 0x1p-24
            bits.replace(with: unsafeBitCast(subnormal, to: SIMD16<UInt32>.self), where: exponent .== 0)
            return unsafeBitCast(bits | sign, to: SIMD16<Float>.self)
        }
        @inline(__always) public static func load1(_ p: UnsafeRawPointer) -> Float {
            FloatConversion.halfToFloat(p.loadUnaligned(as: UInt16.self))
        }
        public static var size: Int { 2 }
        public static var format: FloatFormat { .f16 }
        @inline(__always) public static func rank(_ p: UnsafeRawPointer) -> Int64 { BF16.rank(p) }
    }

    public enum F32: StoredFloat {
        @inline(__always) public static func load16(_ p: UnsafeRawPointer) -> SIMD16<Float> {
            p.loadUnaligned(as: SIMD16<Float>.self)
        }
        @inline(__always) public static func load1(_ p: UnsafeRawPointer) -> Float { p.loadUnaligned(as: Float.self) }
        public static var size: Int { 4 }
        public static var format: FloatFormat { .f32 }
        @inline(__always) public static func rank(_ p: UnsafeRawPointer) -> Int64 {
            let bits = p.loadUnaligned(as: UInt32.self)
            let magnitude = Int64(bits & 0x7FFF_FFFF)
            return bits & 0x8000_0000 != 0 ? -magnitude : magnitude
        }
    }
}

/// Row kernels for one stored format, on one SIMD path.
public struct RowKernels<E: StoredFloat> {
    public let columns: Int
    /// The path the kernels run on: the one asked for, or the widest below it this processor has.
    public let path: SIMDPath
    private let cPath: ts_simd_path

    public init(columns: Int, path: SIMDPath = .best) {
        self.columns = columns
        self.path = path.usable
        cPath = self.path.cValue
    }

    @inline(__always) static func widen(_ v: SIMD8<Float>) -> SIMD8<Double> {
        SIMD8<Double>(Double(v[0]), Double(v[1]), Double(v[2]), Double(v[3]),
                      Double(v[4]), Double(v[5]), Double(v[6]), Double(v[7]))
    }

    /// Squared L2 distance of two rows, or any value ≥ `stopAt` once the sum is known to reach it.
    @inline(__always)
    public func squaredDistance(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, stopAt: Double = .infinity) -> Double {
        ts_row_squared_distance(cPath, E.format.rowFormat, a, b, columns, stopAt)
    }

    /// Σ x² of a row in `Double`.
    @inline(__always)
    public func squaredNorm(_ a: UnsafeRawPointer) -> Double {
        ts_row_squared_norm(cPath, E.format.rowFormat, a, columns)
    }

    /// Whether two rows hold equal values element by element (+0 equals −0).
    public func equal(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer) -> Bool {
        ts_row_equal(cPath, E.format.rowFormat, a, b, columns) != 0
    }

    /// A 64-bit hash of a row's values in which +0 and −0 agree, or `nil` when the row holds NaN
    /// or an infinity. Equal hashes are confirmed with `equal`, so collisions cost time, never
    /// correctness.
    public func finiteHash(_ a: UnsafeRawPointer) -> UInt64? {
        var hash: UInt64 = 0
        return ts_row_finite_hash(cPath, E.format.rowFormat, a, columns, &hash) != 0 ? hash : nil
    }

    /// L∞ distance in `Double` (exact: one difference of stored values).
    public func maxAbsDifference(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer) -> Double {
        var best = 0.0
        for i in 0..<columns {
            best = max(best, abs(Double(E.load1(a + i * E.size)) - Double(E.load1(b + i * E.size))))
        }
        return best
    }

    /// Representable values of the stored type between two rows, per dimension: the largest, the
    /// total over dimensions, and how many dimensions differ.
    public func latticeSteps(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer) -> (maximum: Int64, total: Int64, differing: Int) {
        var maximum: Int64 = 0, total: Int64 = 0, differing = 0
        for i in 0..<columns {
            let steps = abs(E.rank(a + i * E.size) - E.rank(b + i * E.size))
            if steps > 0 { differing += 1 }
            maximum = max(maximum, steps)
            total += steps
        }
        return (maximum, total, differing)
    }
}

/// An operation written once, generically over the stored format.
///
/// `Matrix.run(_:)` holds the one switch on the format; everything inside `run` is specialised
/// for BF16, F16 or F32 by the compiler.
public protocol FormatGeneric {
    associatedtype Output
    func run<E: StoredFloat>(_ format: E.Type) -> Output
}

extension Matrix {
    public func run<Operation: FormatGeneric>(_ operation: Operation) -> Operation.Output {
        switch format {
        case .bf16: return operation.run(FloatConversion.BF16.self)
        case .f16: return operation.run(FloatConversion.F16.self)
        case .f32: return operation.run(FloatConversion.F32.self)
        }
    }
}
