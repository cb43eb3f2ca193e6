import TokenScopeCore

/// The L2 norm of every row of W and their distribution (notebook 1.2a).
///
/// Norms are accumulated in `Double` (`RowKernels.squaredNorm`), so each is within a few units
/// of 2⁻⁵³ of the exact value; statistics are taken over the finite rows only, and rows holding
/// NaN or an infinity are listed apart rather than poisoning the mean.
public struct RowNorms: Sendable {
    /// One norm per row of W; NaN or +∞ for a row holding NaN or an infinity.
    public let norms: [Double]
    /// Rows whose norm is not finite, ascending: left out of every statistic and histogram.
    public let nonFiniteRows: [Int]
    /// Statistics of the finite norms; `nil` when there are none.
    public let statistics: SummaryStatistics?

    /// - Complexity: one pass over W, in parallel.
    public init(matrix: Matrix, path: SIMDPath = .best, parallelism: Parallelism = .allCores) {
        let norms = matrix.run(AllNorms(matrix: matrix, path: path, parallelism: parallelism))
        self.norms = norms
        nonFiniteRows = norms.indices.filter { !norms[$0].isFinite }
        statistics = SummaryStatistics(norms.filter(\.isFinite))
    }

    /// The finite norms in ascending order (for percentiles).
    public var sortedFiniteNorms: [Double] { norms.filter(\.isFinite).sorted() }

    /// The 100-bin histogram over [min, max] of the finite norms.
    public func histogram(bins: Int = 100) -> Binning? {
        guard let statistics else { return nil }
        return Binning.linear(norms.filter(\.isFinite), bins: bins, range: statistics.minimum...statistics.maximum)
    }

    /// A histogram over a window, by default the 1st to 99th percentile of the finite norms.
    public func zoomHistogram(window: ClosedRange<Double>? = nil, bins: Int = 100) -> Binning? {
        let sorted = sortedFiniteNorms
        guard !sorted.isEmpty else { return nil }
        let range = window ?? (Percentile.linear(sorted: sorted, 1)...Percentile.linear(sorted: sorted, 99))
        return Binning.linear(sorted, bins: bins, range: range)
    }
}

private struct AllNorms: FormatGeneric {
    let matrix: Matrix
    let path: SIMDPath
    let parallelism: Parallelism

    func run<E: StoredFloat>(_ format: E.Type) -> [Double] {
        let kernels = RowKernels<E>(columns: matrix.columns, path: path)
        var out = [Double](repeating: 0, count: matrix.rows)
        out.withUnsafeMutableBufferPointer { slots in
            parallelism.forEachRange(count: matrix.rows, minimumChunk: 2048) { range in
                for row in range { slots[row] = kernels.squaredNorm(matrix.rowPointer(row)).squareRoot() }
            }
        }
        return out
    }
}

/// Count, mean, population standard deviation, minimum and maximum of a list of numbers.
public struct SummaryStatistics: Sendable, Equatable {
    public var count: Int
    public var mean: Double
    /// Population standard deviation (divided by n, NumPy's default `ddof=0`).
    public var standardDeviation: Double
    public var minimum: Double
    public var maximum: Double

    /// `nil` for an empty list. Two passes (mean, then squared deviations from it) in `Double`,
    /// which avoids the cancellation of the one-pass Σx² − n·mean² formula.
    public init?(_ values: [Double]) {
        guard let first = values.first else { return nil }
        count = values.count
        var sum = 0.0, low = first, high = first
        for v in values {
            sum += v
            low = min(low, v)
            high = max(high, v)
        }
        mean = sum / Double(values.count)
        var squares = 0.0
        for v in values { squares += (v - mean) * (v - mean) }
        standardDeviation = (squares / Double(values.count)).squareRoot()
        minimum = low
        maximum = high
    }
}

/// Percentiles as NumPy computes them by default (`method="linear"`).
public enum Percentile {
    /// The `p`-th percentile (0…100) of ascending, non-empty `sorted`: linear interpolation
    /// between the values at ranks ⌊h⌋ and ⌈h⌉, with h = p/100 · (n − 1).
    public static func linear(sorted: [Double], _ p: Double) -> Double {
        precondition(!sorted.isEmpty, "percentile of an empty list")
        let h = min(max(p, 0), 100) / 100 * Double(sorted.count - 1)
        let low = Int(h.rounded(.down))
        let high = min(low + 1, sorted.count - 1)
        return sorted[low] + (h - Double(low)) * (sorted[high] - sorted[low])
    }
}
