import Foundation

/// Tick positions for plot axes: 1-2-5 steps on linear axes, decades on log axes.
///
///     Ticks.linear(0, 1)          // [0, 0.2, 0.4, 0.6, 0.8, 1]
///     Ticks.log10(1e-6, 1)        // [1e-6, 1e-5, …, 1]
public enum Ticks {
    /// A step of the form {1, 2, 5} × 10ⁿ, the one nearest to `span / target` on a log scale
    /// (the thresholds √2, √10, √50 between the candidates, as d3's `tickStep`).
    public static func niceStep(span: Double, target: Int = 6) -> Double {
        let (m, e) = stepParts(span: span, target: target)
        return scaled(m, e)
    }

    /// Ticks at multiples of a 1-2-5 step inside [lo, hi] (ends included when they fall on a step),
    /// about `target` of them (between about 0.7 and 1.4 times as many). Values are exact decimal multiples (0.3, not 0.30000000000000004).
    public static func linear(_ lo: Double, _ hi: Double, target: Int = 6) -> [Double] {
        guard lo.isFinite, hi.isFinite else { return [] }
        if lo == hi { return [lo] }
        let a = min(lo, hi), b = max(lo, hi)
        let (m, e) = stepParts(span: b - a, target: target)
        let step = scaled(m, e)
        // Slack of a millionth of a step so that an end that is a multiple of the step is kept.
        let first = Int64((a / step - 1e-6).rounded(.up))
        let last = Int64((b / step + 1e-6).rounded(.down))
        guard last >= first, last - first < 10_000 else { return [] }
        return (first...last).map { scaled(Double($0) * m, e) }
    }

    /// Limits widened outwards to the nearest multiples of the tick step, as `linear` would choose it.
    public static func niceLimits(_ lo: Double, _ hi: Double, target: Int = 6) -> (lo: Double, hi: Double) {
        guard lo.isFinite, hi.isFinite, lo < hi else { return (lo, hi) }
        let (m, e) = stepParts(span: hi - lo, target: target)
        let step = scaled(m, e)
        // Snap values within a billionth of a step onto the step before rounding outwards.
        let a = (lo / step + 1e-9).rounded(.down)
        let b = (hi / step - 1e-9).rounded(.up)
        return (scaled(a * m, e), scaled(b * m, e))
    }

    /// Major ticks of a base-10 log axis over [lo, hi] (both > 0): every decade, every second or third
    /// decade when there are many, and 2 and 5 within decades when the range spans fewer than two.
    public static func log10(_ lo: Double, _ hi: Double) -> [Double] {
        guard lo > 0, hi > 0, lo.isFinite, hi.isFinite else { return [] }
        let a = Foundation.log10(min(lo, hi)), b = Foundation.log10(max(lo, hi))
        let e0 = Int((a - 1e-9).rounded(.up)), e1 = Int((b + 1e-9).rounded(.down))
        if b - a < 2 {
            var ticks: [Double] = []
            for e in (e0 - 1)...(e1 + 1) {
                for m in [1.0, 2.0, 5.0] {
                    let v = scaled(m, e)
                    if v >= min(lo, hi) * (1 - 1e-9) && v <= max(lo, hi) * (1 + 1e-9) { ticks.append(v) }
                }
            }
            return ticks
        }
        guard e1 >= e0 else { return [] }
        let every = max(1, Int((Double(e1 - e0 + 1) / 9).rounded(.up)))
        return stride(from: e0, through: e1, by: every).map { scaled(1, $0) }
    }

    /// Minor ticks of a base-10 log axis: 2…9 × 10ⁿ inside [lo, hi], when the axis spans at most
    /// nine decades (beyond that they would crowd into a grey band).
    public static func log10Minor(_ lo: Double, _ hi: Double) -> [Double] {
        guard lo > 0, hi > 0, lo.isFinite, hi.isFinite else { return [] }
        let a = min(lo, hi), b = max(lo, hi)
        let e0 = Int(Foundation.log10(a).rounded(.down)), e1 = Int(Foundation.log10(b).rounded(.up))
        guard e1 - e0 <= 9 else { return [] }
        var ticks: [Double] = []
        for e in e0...e1 {
            for m in 2...9 {
                let v = scaled(Double(m), e)
                if v >= a && v <= b { ticks.append(v) }
            }
        }
        return ticks
    }

    // (mantissa, exponent) of the 1-2-5 step nearest to span / target.
    static func stepParts(span: Double, target: Int) -> (Double, Int) {
        let raw = abs(span) / Double(max(target, 1))
        guard raw > 0, raw.isFinite else { return (1, 0) }
        var e = Int(Foundation.log10(raw).rounded(.down))
        let f = raw / scaled(1, e)
        let m: Double
        if f < 2.0.squareRoot() { m = 1 } else if f < 10.0.squareRoot() { m = 2 } else if f < 50.0.squareRoot() { m = 5 } else {
            m = 1
            e += 1
        }
        return (m, e)
    }

    // m × 10^e computed so that decimal values come out correctly rounded (division by an exact power).
    static func scaled(_ m: Double, _ e: Int) -> Double {
        if e >= 0 { return m * pow(10, Double(e)) }
        return m / pow(10, Double(-e))
    }
}
