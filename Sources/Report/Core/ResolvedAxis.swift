import Foundation

/// An ``Axis`` with its limits, ticks and labels settled against the data it shows.
struct ResolvedAxis {
    let label: String
    let scale: AxisScale
    let lo: Double
    let hi: Double
    let ticks: [Double]
    let tickLabels: [String]
    let minorTicks: [Double]
    let grid: Bool

    /// - Parameters:
    ///   - dataRange: smallest and largest value to show (positive ones only, for log axes).
    ///   - nice: widen automatic linear limits to whole tick steps and log limits to whole decades.
    init(_ axis: Axis, dataRange: (Double, Double)?, nice: Bool, target: Int = 6) {
        label = axis.label
        scale = axis.scale
        grid = axis.grid
        var lo: Double
        var hi: Double
        if let l = axis.limits, l.lowerBound < l.upperBound, axis.scale == .linear || l.lowerBound > 0 {
            (lo, hi) = (l.lowerBound, l.upperBound)
        } else {
            let r = dataRange ?? (axis.scale == .log10 ? (1, 10) : (0, 1))
            (lo, hi) = (min(r.0, r.1), max(r.0, r.1))
            if axis.scale == .log10 {
                if !(lo > 0) || !lo.isFinite { lo = hi > 0 ? hi / 10 : 1 }
                if !(hi > 0) || !hi.isFinite { hi = lo * 10 }
                if lo == hi { lo /= 10; hi *= 10 }
                if nice {
                    lo = Ticks.scaled(1, Int(Foundation.log10(lo).rounded(.down)))
                    hi = Ticks.scaled(1, Int(Foundation.log10(hi).rounded(.up)))
                }
            } else {
                if !lo.isFinite || !hi.isFinite { (lo, hi) = (0, 1) }
                if lo == hi {
                    let pad = lo == 0 ? 1 : abs(lo) * 0.1
                    lo -= pad
                    hi += pad
                }
                if nice { (lo, hi) = Ticks.niceLimits(lo, hi, target: target) }
            }
        }
        self.lo = lo
        self.hi = hi

        var ticks: [Double]
        var labels: [String]
        if let t = axis.ticks {
            let inside = t.indices.filter { t[$0] >= lo - (hi - lo) * 1e-9 && t[$0] <= hi + (hi - lo) * 1e-9 }
            ticks = inside.map { t[$0] }
            if let given = axis.tickLabels, given.count == t.count {
                labels = inside.map { given[$0] }
            } else {
                labels = axis.scale == .log10 ? NumberFormat.logTickLabels(ticks) : NumberFormat.linearTickLabels(ticks)
            }
        } else if axis.scale == .log10 {
            ticks = Ticks.log10(lo, hi)
            if ticks.count < 2 {
                ticks = Ticks.linear(lo, hi, target: 4)
                labels = NumberFormat.linearTickLabels(ticks)
            } else {
                labels = NumberFormat.logTickLabels(ticks)
            }
        } else {
            ticks = Ticks.linear(lo, hi, target: target)
            labels = NumberFormat.linearTickLabels(ticks)
        }
        self.ticks = ticks
        tickLabels = labels
        minorTicks = axis.scale == .log10 ? Ticks.log10Minor(lo, hi).filter { !ticks.contains($0) } : []
    }

    /// Position of `v` along the axis, 0 at `lo` and 1 at `hi`; NaN where it has none (v ≤ 0 on a log axis).
    func fraction(_ v: Double) -> Double {
        switch scale {
        case .linear:
            return (v - lo) / (hi - lo)
        case .log10:
            guard v > 0 else { return .nan }
            return (Foundation.log10(v) - Foundation.log10(lo)) / (Foundation.log10(hi) - Foundation.log10(lo))
        }
    }

    /// The data value at position `t` (inverse of `fraction`).
    func value(at t: Double) -> Double {
        switch scale {
        case .linear: return lo + t * (hi - lo)
        case .log10: return pow(10, Foundation.log10(lo) + t * (Foundation.log10(hi) - Foundation.log10(lo)))
        }
    }

    /// Smallest and largest finite value of `values` that this scale can show.
    static func range<S: Sequence>(_ values: S, scale: AxisScale) -> (Double, Double)? where S.Element == Double {
        var lo = Double.infinity, hi = -Double.infinity
        for v in values where v.isFinite && (scale == .linear || v > 0) {
            lo = min(lo, v)
            hi = max(hi, v)
        }
        return lo <= hi ? (lo, hi) : nil
    }
}
