import Foundation

/// Counts of values in bins, with what fell outside them: the one histogram type, computed by the
/// stages and drawn by `Report`'s `Histogram`.
///
///     let b = Binning.linear([0.1, 0.5, 0.9], bins: 2, range: 0...1)   // counts [1, 2]
///     let d = Binning.log10(distances, from: 1e-6, to: 1, binsPerDecade: 10)   // d.zeroOrNegative: exact zeros
public struct Binning: Sendable, Hashable {
    /// `counts.count + 1` increasing bin edges.
    public var edges: [Double]
    public var counts: [Int]
    /// Values below the first edge, −∞ included (for log bins: positive ones only).
    public var below: Int
    /// Values above the last edge, +∞ included.
    public var above: Int
    /// Values ≤ 0, which a log axis cannot place (only counted by ``log10(_:from:to:binsPerDecade:)``).
    public var zeroOrNegative: Int
    /// NaN values, never binned.
    public var nan: Int

    public init(edges: [Double], counts: [Int], below: Int = 0, above: Int = 0, zeroOrNegative: Int = 0, nan: Int = 0) {
        self.edges = edges
        self.counts = counts
        self.below = below
        self.above = above
        self.zeroOrNegative = zeroOrNegative
        self.nan = nan
    }

    public var lower: Double { edges[0] }
    public var upper: Double { edges[edges.count - 1] }

    /// `bins` equal-width bins over `range` (default: the finite values' own range), as NumPy's
    /// `histogram(values, bins, range=(lower, upper))`: bin ⌊(v − lower) / width⌋, the last bin
    /// closed on the right. A zero-width range widens to [lower − ½, upper + ½] as NumPy does.
    public static func linear(_ values: [Double], bins: Int, range: ClosedRange<Double>? = nil) -> Binning {
        precondition(bins > 0, "a histogram needs at least one bin")
        let finite = values.filter(\.isFinite)
        var lower = range?.lowerBound ?? finite.min() ?? 0
        var upper = range?.upperBound ?? finite.max() ?? 1
        if lower == upper {
            lower -= 0.5; upper += 0.5
            // Above 2⁵² ± ½ rounds back to the value itself; widen by the value's own spacing
            // instead, so that the range has a width (NumPy divides by zero there).
            if lower == upper { lower = lower.nextDown; upper = upper.nextUp }
        }
        let edges = (0...bins).map { lower + (upper - lower) * Double($0) / Double(bins) }
        var result = Binning(edges: edges, counts: [Int](repeating: 0, count: bins))
        let scale = Double(bins) / (upper - lower)
        for v in values {
            if v.isNaN { result.nan += 1; continue }
            if v < lower { result.below += 1; continue }
            if v > upper { result.above += 1; continue }
            // A range too narrow (scale infinite) or too wide (width infinite) for the product;
            // the index is clamped before conversion, and the edge checks below decide.
            var position = (v - lower) * scale
            if !position.isFinite { position = (v - lower) / (upper - lower) * Double(bins) }
            var bin = position.isNaN ? 0 : Int(min(Double(bins - 1), max(0, position)))
            // The scaled index can land one bin off an edge by rounding; the edges decide.
            if bin > 0, v < edges[bin] { bin -= 1 } else if bin < bins - 1, v >= edges[bin + 1] { bin += 1 }
            result.counts[bin] += 1
        }
        return result
    }

    /// Log-spaced bins from `lo` to `hi` (both > 0), `binsPerDecade` per factor of ten; values ≤ 0 are
    /// counted in ``zeroOrNegative`` so that a plot can show them separately.
    public static func log10(_ values: [Double], from lo: Double, to hi: Double, binsPerDecade: Int = 10) -> Binning {
        let a = Foundation.log10(max(lo, .leastNormalMagnitude)), b = Foundation.log10(max(hi, lo * 10))
        let n = max(1, Int(((b - a) * Double(max(binsPerDecade, 1))).rounded()))
        let edges = (0...n).map { pow(10, a + (b - a) * Double($0) / Double(n)) }
        var result = Binning(edges: edges, counts: [Int](repeating: 0, count: n))
        for v in values {
            if v.isNaN { result.nan += 1; continue }
            if v <= 0 { result.zeroOrNegative += 1; continue }
            let t = (Foundation.log10(v) - a) / (b - a)
            if t < 0 { result.below += 1; continue }
            if t > 1 { result.above += 1; continue }
            result.counts[min(Int(t * Double(n)), n - 1)] += 1
        }
        return result
    }
}
