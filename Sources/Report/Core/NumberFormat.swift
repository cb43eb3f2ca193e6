import Foundation

/// Number formatting for tick labels, legends, tables and key figures. Locale-independent: "." for
/// decimals, "," for thousands, U+2212 (−) for minus signs in plots.
///
///     NumberFormat.grouped(151936)        // "151,936"
///     NumberFormat.powerOfTen(-6)         // "10⁻⁶"
///     NumberFormat.significant(0.0015258789, digits: 4)   // "0.001526"
public enum NumberFormat {
    /// `n` with thousands separators: "2,445,366".
    public static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return n < 0 ? "-" + out : out
    }

    /// `v` with a fixed number of decimals ("1.087"); "-0" is written "0".
    public static func fixed(_ v: Double, decimals: Int) -> String {
        guard v.isFinite else { return nonFinite(v) }
        let s = String(format: "%.\(max(0, min(decimals, 20)))f", v)
        if s.hasPrefix("-") && s.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) { return String(s.dropFirst()) }
        return s
    }

    /// `v` to `digits` significant digits, plain for 1e-4 ≤ |v| < 1e6 and as "1.5×10⁻⁵" beyond;
    /// trailing zeros dropped.
    public static func significant(_ v: Double, digits: Int = 4) -> String {
        guard v.isFinite else { return nonFinite(v) }
        if v == 0 { return "0" }
        let d = max(1, min(digits, 17))
        let e = Int(Foundation.log10(abs(v)).rounded(.down))
        if e >= -4 && e < 6 {
            return trimZeros(fixed(v, decimals: max(0, d - 1 - e)))
        }
        let mantissa = v / Ticks.scaled(1, e)
        let m = trimZeros(fixed(mantissa, decimals: d - 1))
        if m == "10" || m == "-10" { return (v < 0 ? "-" : "") + powerOfTen(e + 1) }
        return m == "1" ? powerOfTen(e) : m + "×" + powerOfTen(e)
    }

    /// "10" followed by `exponent` in superscript digits: 10⁻⁶, 10³.
    public static func powerOfTen(_ exponent: Int) -> String {
        "10" + superscript(exponent)
    }

    /// `n` in Unicode superscript digits.
    public static func superscript(_ n: Int) -> String {
        let sup: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
        var s = n < 0 ? "⁻" : ""
        for ch in String(n.magnitude) {
            if let d = ch.wholeNumberValue { s.append(sup[d]) }
        }
        return s
    }

    /// Tick labels for a linear axis: all with the decimals the step needs, thousands grouped when the
    /// largest exceeds 9,999, "2×10⁻⁵"-style when every tick is tiny; minus signs as U+2212.
    public static func linearTickLabels(_ ticks: [Double]) -> [String] {
        guard ticks.count > 0 else { return [] }
        let maxAbs = ticks.map { abs($0) }.max() ?? 0
        let step = ticks.count > 1 ? abs(ticks[1] - ticks[0]) : (maxAbs > 0 ? maxAbs : 1)
        if maxAbs > 0 && (maxAbs < 1e-3 || maxAbs >= 1e7) {
            return ticks.map { plotMinus(significant($0, digits: 3)) }
        }
        let decimals = max(0, -Int(Foundation.log10(step).rounded(.down)))
        return ticks.map { v in
            if decimals == 0 && maxAbs > 9999 { return plotMinus(grouped(Int(v.rounded()))) }
            return plotMinus(fixed(v, decimals: decimals))
        }
    }

    /// Tick labels for a log axis: plain numbers when every tick lies in [0.01, 10⁵], powers of ten
    /// otherwise (mantissas such as 2×10⁻⁵ kept).
    public static func logTickLabels(_ ticks: [Double]) -> [String] {
        let plain = ticks.allSatisfy { $0 >= 0.01 * (1 - 1e-9) && $0 <= 1e5 * (1 + 1e-9) }
        return ticks.map { v in
            if plain { return v >= 1 ? grouped(Int(v.rounded())) : significant(v, digits: 3) }
            guard v > 0, v.isFinite else { return significant(v, digits: 3) }
            let e = Int(Foundation.log10(v).rounded())
            if abs(v / Ticks.scaled(1, e) - 1) < 1e-9 { return powerOfTen(e) }
            let m = Int(Foundation.log10(v).rounded(.down))
            return trimZeros(fixed(v / Ticks.scaled(1, m), decimals: 2)) + "×" + powerOfTen(m)
        }
    }

    /// `s` with ASCII hyphen-minus signs replaced by the typographic minus U+2212.
    public static func plotMinus(_ s: String) -> String {
        s.replacingOccurrences(of: "-", with: "\u{2212}")
    }

    private static func trimZeros(_ s: String) -> String {
        guard s.contains(".") else { return s }
        var t = s
        while t.hasSuffix("0") { t.removeLast() }
        if t.hasSuffix(".") { t.removeLast() }
        return t
    }

    private static func nonFinite(_ v: Double) -> String {
        v.isNaN ? "NaN" : (v > 0 ? "∞" : "−∞")
    }
}
