import CKernels

/// Exact conversions between the stored 16-bit formats and `Float`.
///
/// Every BF16 and F16 value is exactly representable as a `Float`, so widening loses nothing; the
/// stages compare and subtract the widened values knowing they are the stored ones. These are bit
/// manipulations rather than `Float16`, which is unavailable on macOS x86-64.
public enum FloatConversion {
    @inlinable public static func bf16ToFloat(_ bits: UInt16) -> Float {
        Float(bitPattern: UInt32(bits) << 16)
    }

    /// Round-to-nearest-even, as PyTorch's `.to(torch.bfloat16)`; NaN stays a quiet NaN.
    @inlinable public static func floatToBF16(_ value: Float) -> UInt16 {
        let bits = value.bitPattern
        if value.isNaN { return UInt16(truncatingIfNeeded: (bits >> 16) | 0x0040) }
        let roundingBias = 0x7FFF + ((bits >> 16) & 1)
        return UInt16(truncatingIfNeeded: (bits &+ roundingBias) >> 16)
    }

    @inlinable public static func halfToFloat(_ bits: UInt16) -> Float {
        let sign = UInt32(bits & 0x8000) << 16
        let exponent = UInt32(bits >> 10) & 0x1F
        let mantissa = UInt32(bits) & 0x3FF
        if exponent == 0x1F { return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13)) }
        if exponent == 0 {
            // Subnormal or zero: mantissa × 2^-24, exact in Float.
            let magnitude = Float(mantissa) * 0x1p-24
            return sign == 0 ? magnitude : -magnitude
        }
        return Float(bitPattern: sign | ((exponent + 112) << 23) | (mantissa << 13))
    }

    /// Round-to-nearest-even conversion to IEEE half precision.
    public static func floatToHalf(_ value: Float) -> UInt16 {
        let bits = value.bitPattern
        let sign = UInt16((bits >> 16) & 0x8000)
        if value.isNaN { return sign | 0x7E00 }
        let magnitude = abs(value)
        if magnitude >= 65520 { return sign | 0x7C00 }  // rounds to infinity
        if magnitude < 0x1p-14 {
            // Subnormal range: scale so the result's units are 2^-24 and round to nearest even.
            let scaled = magnitude * 0x1p24
            return sign | UInt16(scaled.rounded(.toNearestOrEven))
        }
        let exponent = Int((bits >> 23) & 0xFF) - 127 + 15
        var mantissa = bits & 0x7F_FFFF
        let remainder = mantissa & 0x1FFF
        mantissa >>= 13
        var result = UInt32(exponent) << 10 | mantissa
        if remainder > 0x1000 || (remainder == 0x1000 && (mantissa & 1) == 1) { result += 1 }
        return sign | UInt16(result)
    }

    /// Widens `count` stored values to `Float` (exact) with the kernels of `path`: a run of a row,
    /// or a whole block of rows at once. An F16 NaN comes out quiet, as the F16C and NEON
    /// instructions make it; every other value is the same bits on every path.
    public static func widen(_ source: UnsafeRawPointer, format: FloatFormat, count: Int,
                             into destination: UnsafeMutablePointer<Float>, path: SIMDPath = .best) {
        ts_row_widen(path.cValue, format.rowFormat, source, destination, count)
    }
}

extension FloatFormat {
    /// The value the C row kernels take.
    public var rowFormat: ts_row_format {
        switch self {
        case .bf16: return TS_ROW_BF16
        case .f16: return TS_ROW_F16
        case .f32: return TS_ROW_F32
        }
    }
}
