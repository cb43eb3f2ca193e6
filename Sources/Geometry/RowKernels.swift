import TensorFormats

/// The inner loops over rows of W, specialised per stored format.
///
/// Numerical choices, argued once here:
/// - Stored values widen exactly to `Float` and then to `Double`. Differences are taken in
///   `Double`: the difference of two BF16/F16 values is exact there unless their exponents are
///   more than ~40 apart, so a distance is built from the true differences, never from
///   ‖x‖² + ‖y‖² − 2x·y, whose cancellation error (~1e-7 · ‖x‖²) exceeds the thresholds studied.
/// - Squares accumulate in eight `Double` lanes summed in a fixed tree, so one pair always gets the
///   same bits whatever thread or caller computes it; relative error ≤ d·2⁻⁵³ ≈ 3e-13 for d = 2560.
/// - An early exit compares the running sum with a bound: partial sums of non-negative terms can only
///   grow under round-to-nearest, so stopping when the partial sum reaches the bound is exact.
public protocol StoredFloat {
    /// Reads 16 consecutive elements widened exactly to `Float`.
    static func load16(_ pointer: UnsafeRawPointer) -> SIMD16<Float>
    static func load1(_ pointer: UnsafeRawPointer) -> Float
    static var size: Int { get }
    /// An integer with the same order as the stored values, equal for +0 and −0; the difference of
    /// two ranks counts the representable values between them (the lattice metric).
    static func rank(_ pointer: UnsafeRawPointer) -> Int64
}

public enum BF16: StoredFloat {
    @inline(__always) public static func load16(_ p: UnsafeRawPointer) -> SIMD16<Float> {
        let bits = SIMD16<UInt32>(truncatingIfNeeded: p.loadUnaligned(as: SIMD16<UInt16>.self)) &<< 16
        return unsafeBitCast(bits, to: SIMD16<Float>.self)
    }
    @inline(__always) public static func load1(_ p: UnsafeRawPointer) -> Float {
        FloatConversion.bf16ToFloat(p.loadUnaligned(as: UInt16.self))
    }
    public static var size: Int { 2 }
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
    @inline(__always) public static func rank(_ p: UnsafeRawPointer) -> Int64 { BF16.rank(p) }
}

public enum F32: StoredFloat {
    @inline(__always) public static func load16(_ p: UnsafeRawPointer) -> SIMD16<Float> {
        p.loadUnaligned(as: SIMD16<Float>.self)
    }
    @inline(__always) public static func load1(_ p: UnsafeRawPointer) -> Float { p.loadUnaligned(as: Float.self) }
    public static var size: Int { 4 }
    @inline(__always) public static func rank(_ p: UnsafeRawPointer) -> Int64 {
        let bits = p.loadUnaligned(as: UInt32.self)
        let magnitude = Int64(bits & 0x7FFF_FFFF)
        return bits & 0x8000_0000 != 0 ? -magnitude : magnitude
    }
}

/// Row kernels for one stored format.
public struct RowKernels<E: StoredFloat> {
    public let columns: Int

    public init(columns: Int) { self.columns = columns }

    @inline(__always) static func widen(_ v: SIMD8<Float>) -> SIMD8<Double> {
        SIMD8<Double>(Double(v[0]), Double(v[1]), Double(v[2]), Double(v[3]),
                      Double(v[4]), Double(v[5]), Double(v[6]), Double(v[7]))
    }

    @inline(__always) static func fixedSum(_ s: SIMD8<Double>) -> Double {
        ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]))
    }

    /// Squared L2 distance of two rows, or any value ≥ `stopAt` once the sum is known to reach it.
    @inline(__always)
    public func squaredDistance(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, stopAt: Double = .infinity) -> Double {
        var low = SIMD8<Double>()
        var high = SIMD8<Double>()
        var i = 0
        let vectorEnd = columns & ~15
        while i < vectorEnd {
            let x = E.load16(a + i * E.size)
            let y = E.load16(b + i * E.size)
            let dl = Self.widen(x.lowHalf) - Self.widen(y.lowHalf)
            let dh = Self.widen(x.highHalf) - Self.widen(y.highHalf)
            // `+= d * d`, not `addProduct`: without hardware FMA (baseline x86-64) the fused form is a
            // library call per lane, six times slower.
            low += dl * dl
            high += dh * dh
            i += 16
            if i & 255 == 0, Self.fixedSum(low + high) >= stopAt { return Self.fixedSum(low + high) }
        }
        var total = Self.fixedSum(low + high)
        while i < columns {
            let d = Double(E.load1(a + i * E.size)) - Double(E.load1(b + i * E.size))
            total += d * d
            i += 1
        }
        return total
    }

    /// Σ x² of a row in `Double`.
    public func squaredNorm(_ a: UnsafeRawPointer) -> Double {
        var low = SIMD8<Double>()
        var high = SIMD8<Double>()
        var i = 0
        let vectorEnd = columns & ~15
        while i < vectorEnd {
            let x = E.load16(a + i * E.size)
            let xl = Self.widen(x.lowHalf), xh = Self.widen(x.highHalf)
            low += xl * xl
            high += xh * xh
            i += 16
        }
        var total = Self.fixedSum(low + high)
        while i < columns {
            let x = Double(E.load1(a + i * E.size))
            total += x * x
            i += 1
        }
        return total
    }

    /// Whether two rows hold equal values element by element (+0 equals −0).
    public func equal(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer) -> Bool {
        var i = 0
        let vectorEnd = columns & ~15
        while i < vectorEnd {
            if any(E.load16(a + i * E.size) .!= E.load16(b + i * E.size)) { return false }
            i += 16
        }
        while i < columns {
            if E.load1(a + i * E.size) != E.load1(b + i * E.size) { return false }
            i += 1
        }
        return true
    }

    /// A 64-bit hash of a row's values in which +0 and −0 agree (values are hashed after adding
    /// +0, which turns −0 into +0), or `nil` when the row holds NaN or an infinity. Rotations,
    /// xors and additions only: 32-bit vector multiplies are not in baseline x86-64. Equal hashes
    /// are confirmed with `equal`, so collisions cost time, never correctness.
    public func finiteHash(_ a: UnsafeRawPointer) -> UInt64? {
        var h = SIMD16<UInt32>(0x243F_6A88, 0x85A3_08D3, 0x1319_8A2E, 0x0370_7344, 0xA409_3822, 0x299F_31D0, 0x082E_FA98, 0xEC4E_6C89,
                               0x4528_21E6, 0x38D0_1377, 0xBE54_66CF, 0x34E9_0C6C, 0xC0AC_29B7, 0xC97C_50DD, 0x3F84_D5B5, 0xB547_0917)
        var exponentsAllOnes = SIMDMask<SIMD16<Int32>>(repeating: false)
        let exponentMask = SIMD16<UInt32>(repeating: 0x7F80_0000)
        var i = 0
        let vectorEnd = columns & ~15
        let zero = SIMD16<Float>()
        while i < vectorEnd {
            let bits = unsafeBitCast(E.load16(a + i * E.size) + zero, to: SIMD16<UInt32>.self)
            exponentsAllOnes .|= (bits & exponentMask) .== exponentMask
            h = ((h &<< 5) | (h &>> 27)) ^ bits
            h &+= (h &>> 11) ^ 0x9E37_79B9
            i += 16
        }
        guard !any(exponentsAllOnes) else { return nil }
        var result: UInt64 = 0xCBF2_9CE4_8422_2325
        for lane in 0..<16 { result = (result ^ UInt64(h[lane])) &* 0x1000_0000_01B3 }
        while i < columns {
            let value = E.load1(a + i * E.size)
            guard value.isFinite else { return nil }
            result = (result ^ UInt64((value + 0).bitPattern)) &* 0x1000_0000_01B3
            i += 1
        }
        return result ^ (result >> 29)
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
        case .bf16: return operation.run(BF16.self)
        case .f16: return operation.run(F16.self)
        case .f32: return operation.run(F32.self)
        }
    }
}
