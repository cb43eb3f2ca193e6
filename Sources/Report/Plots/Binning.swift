import Foundation

/// Counts of values in bins, with what fell outside them, ready for ``Histogram``.
///
///     let b = Binning.linear([0.1, 0.5, 0.9], bins: 2, range: 0...1)   // counts [1, 2]
///     let d = Binning.log10(distances, from: 1e-6, to: 1, binsPerDecade: 10)   // d.zeroOrNegative: exact zeros
public struct Binning: Sendable, Hashable {
    /// `counts.count + 1` increasing bin edges.
    public var edges: [Double]
    public var counts: [Double]
    /// Values below the first edge (for log bins: positive ones only).
    public var below: Int
    /// Values above the last edge.
    public var above: Int
    /// Values ≤ 0, which a log axis cannot place (only counted by ``log10(_:from:to:binsPerDecade:)``).
    public var zeroOrNegative: Int
    /// NaN values, never binned.
    public var nan: Int

    public init(edges: [Double], counts: [Double], below: Int = 0, above: Int = 0, zeroOrNegative: Int = 0, nan: Int = 0) {
        self.edges = edges
        self.counts = counts
        self.below = below
        self.above = above
        self.zeroOrNegative = zeroOrNegative
        self.nan = nan
    }

    /// `bins` equal-width bins over `range` (default: the values' own range). Bins are half-open
    /// [a, b) except the last, which includes its upper edge, as NumPy's `histogram` does.
    public static func linear(_ values: [Double], bins: Int, range: ClosedRange<Double>? = nil) -> Binning {
        let n = max(bins, 1)
        let finite = values.filter { $0.isFinite }
        var lo = range?.lowerBound ?? finite.min() ?? 0
        var hi = range?.upperBound ?? finite.max() ?? 1
        if lo == hi {
            lo -= 0.5
            hi += 0.5
        }
        let edges = (0...n).map { lo + (hi - lo) * Double($0) / Double(n) }
        var counts = [Double](repeating: 0, count: n)
        var below = 0, above = 0, nan = 0
        for v in values {
            if v.isNaN { nan += 1; continue }
            if v < lo { below += 1; continue }
            if v > hi { above += 1; continue }
            let k = min(Int((v - lo) / (hi - lo) * Double(n)), n - 1)
            counts[k] += 1
        }
        return Binning(edges: edges, counts: counts, below: below, above: above, nan: nan)
    }

    /// Log-spaced bins from `lo` to `hi` (both > 0), `binsPerDecade` per factor of ten; values ≤ 0 are
    /// counted in ``zeroOrNegative`` so that a plot can show them separately.
    public static func log10(_ values: [Double], from lo: Double, to hi: Double, binsPerDecade: Int = 10) -> Binning {
        let a = Foundation.log10(max(lo, .leastNormalMagnitude)), b = Foundation.log10(max(hi, lo * 10))
        let n = max(1, Int(((b - a) * Double(max(binsPerDecade, 1))).rounded()))
        let edges = (0...n).map { pow(10, a + (b - a) * Double($0) / Double(n)) }
        var counts = [Double](repeating: 0, count: n)
        var below = 0, above = 0, zero = 0, nan = 0
        for v in values {
            if v.isNaN { nan += 1; continue }
            if v <= 0 { zero += 1; continue }
            let t = (Foundation.log10(v) - a) / (b - a)
            if t < 0 { below += 1; continue }
            if t > 1 { above += 1; continue }
            counts[min(Int(t * Double(n)), n - 1)] += 1
        }
        return Binning(edges: edges, counts: counts, below: below, above: above, zeroOrNegative: zero, nan: nan)
    }
}
