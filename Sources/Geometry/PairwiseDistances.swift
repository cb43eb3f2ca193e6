import CKernels
import TokenScopeCore

/// L2 distances among chosen rows, as an n × n `Float` matrix (notebook 1.4b): exact wherever the
/// distance can lie below `exactBelow`, the Gram form within a proven bound above it.
///
/// The notebooks computed every pair as √(‖x‖² + ‖y‖² − 2x·y) with a matrix product, which is fast
/// but loses the small distances to cancellation. Here the Gram form only sorts the pairs:
/// 1. Rows are centred on the selection's mean c (distances do not change) and widened to `Float`,
///    x′ = fl(x − c); their squared norms Nₓ = ‖x′‖² are summed in `Double` (`RowKernels`).
/// 2. Every pair's dot product g = x′·y′ is one chain of `Float` fused multiply-adds over the d
///    dimensions (`ts_gram_panels`, 16 × 16 rows per call, the same bits on every SIMD path).
/// 3. D = Nₓ + N_y − 2g in `Double`. Error bound, argued from the standard bound for a recursive
///    dot product, |ĝ − g| ≤ γ_d Σ|x′ₖ y′ₖ| + d·2⁻¹⁴⁹ (γ_d = d·u/(1 − d·u), u = 2⁻²⁴; the second term
///    covers products in the subnormal range), with Σ|x′ₖ y′ₖ| ≤ ‖x′‖‖y′‖ ≤ (Nₓ + N_y)/2 and the
///    `Double` roundings of Nₓ, N_y and D far below 2⁻⁴⁰(Nₓ + N_y):
///        |D̂ − ‖x′ − y′‖²| ≤ E = (γ_d + 2⁻⁴⁰)(Nₓ + N_y) + d·2⁻¹⁴⁸.
///    Centring rounds each coordinate once, so ‖x − y‖ ≥ ‖x′ − y′‖ − 2u(√Nₓ + √N_y).
/// 4. A pair is far when √max(0, D̂ − E) − 2u(√Nₓ + √N_y) ≥ `exactBelow`: its true distance is
///    then at least `exactBelow`, and the matrix holds √D̂ (within the bound above). Every other
///    pair — and every pair with a row holding NaN or an infinity, or whose bound is not finite —
///    is recomputed from the differences by `RowKernels.squaredDistance` (sum of squared
///    differences in `Double`, square-rooted in `Double`, rounded once to `Float`: within half an
///    F32 ulp), so every distance below `exactBelow` is the exact kernel's, bit for bit. Rows with
///    equal stored values (`IdenticalRows`) give that kernel the same differences up to the sign of
///    a zero, so one pair of groups has one distance: 0 inside a group, and computed once per chunk
///    between two groups (a cluster of black holes is millions of pairs on a few vectors).
/// The diagonal is 0 for finite rows, NaN otherwise. The result is the same for any thread count
/// and SIMD path.
public enum PairwiseDistances {
    public struct Counts: Sendable, Equatable {
        /// Off-diagonal pairs (i < j).
        public var pairs: Int
        /// Pairs recomputed from the differences.
        public var exactPairs: Int
    }

    /// Fills `out` (n × n, row-major, caller-allocated) with the distances among `rows`.
    /// - Parameter exactBelow: distances that can lie below this are computed exactly (4 T for
    ///   the census threshold T; `.infinity` computes every pair exactly).
    /// - Complexity: n²d/2 fused multiply-adds in `Float`, plus d per recomputed pair; in parallel.
    @discardableResult
    public static func fill(matrix: Matrix, rows: [Int], into out: UnsafeMutableBufferPointer<Float>, exactBelow: Double,
                            path: SIMDPath = .best, parallelism: Parallelism = .allCores,
                            progress: ((String, Double) -> Void)? = nil) -> Counts {
        let n = rows.count
        precondition(out.count == n * n, "the output must hold n × n values")
        return matrix.run(Fill(matrix: matrix, rows: rows, out: out, exactBelow: exactBelow, path: path,
                               parallelism: parallelism, progress: progress))
    }

    /// The distances as a new array (small selections, tests).
    public static func matrix(_ matrix: Matrix, rows: [Int], exactBelow: Double = .infinity, path: SIMDPath = .best,
                              parallelism: Parallelism = .allCores) -> [Float] {
        var out = [Float](repeating: 0, count: rows.count * rows.count)
        _ = out.withUnsafeMutableBufferPointer {
            fill(matrix: matrix, rows: rows, into: $0, exactBelow: exactBelow, path: path, parallelism: parallelism)
        }
        return out
    }

    private static let panel = Int(TS_GRAM_PANEL)
    /// Row panels per chunk: four 16-row panels of 2,560 Floats (655 KB) stay in a 1 MB L2 cache.
    private static let panelGroup = 4

    private struct Fill: FormatGeneric {
        let matrix: Matrix
        let rows: [Int]
        let out: UnsafeMutableBufferPointer<Float>
        let exactBelow: Double
        let path: SIMDPath
        let parallelism: Parallelism
        let progress: ((String, Double) -> Void)?

        func run<E: StoredFloat>(_ format: E.Type) -> Counts {
            let kernels = RowKernels<E>(columns: matrix.columns, path: path)
            let n = rows.count, d = matrix.columns
            guard n > 0 else { return Counts(pairs: 0, exactPairs: 0) }
            let finite = rows.map { kernels.squaredNorm(matrix.rowPointer($0)).isFinite }
            let u = 0x1p-24
            let gamma = Double(d) * u / (1 - Double(d) * u)
            // With the bound void (d ≥ 2²³) or no Gram range wanted, every pair is exact.
            let useGram = exactBelow.isFinite && Double(d) * u < 0.5 && d > 0
            let panels = (n + panel - 1) / panel
            let packed = UnsafeMutableBufferPointer<Float>.allocate(capacity: useGram ? panels * panel * d : 0)
            packed.initialize(repeating: 0)
            defer { packed.deallocate() }
            var norms = [Double](repeating: 0, count: n)
            if useGram { pack(kernels: kernels, finite: finite, into: packed, norms: &norms) }
            let (groupOf, shared) = identicalGroups()

            let done = ChunkCounter()
            // A chunk is a group of row panels against every panel from the group's first on, one
            // column panel at a time: each column panel read from memory serves the whole group.
            let groups = (panels + panelGroup - 1) / panelGroup
            let exactCounts = norms.withUnsafeBufferPointer { norms in
                parallelism.map(chunks: groups) { g -> Int in
                    var exact = 0
                    var tile = [Float](repeating: 0, count: panel * panel)
                    var betweenGroups: [Int64: Float] = [:]
                    let group = (g * panelGroup)..<min(panels, (g + 1) * panelGroup)
                    for b in group.lowerBound..<panels {
                        for a in group where a <= b {
                            if useGram {
                                tile.withUnsafeMutableBufferPointer { t in
                                    ts_gram_panels(path.cValue, packed.baseAddress! + a * panel * d,
                                                   packed.baseAddress! + b * panel * d, d, t.baseAddress!)
                                }
                            }
                            for i in (a * panel)..<min(n, (a + 1) * panel) {
                                let p = matrix.rowPointer(rows[i])
                                for j in max(i, b * panel)..<min(n, (b + 1) * panel) {
                                    let distance: Float
                                    if i == j {
                                        distance = finite[i] ? 0 : .nan
                                    } else if useGram, finite[i], finite[j],
                                              let far = farDistance(gram: tile[(i - a * panel) * panel + j - b * panel],
                                                                    norms[i], norms[j], gamma: gamma, depth: d) {
                                        distance = far
                                    } else if groupOf[i] >= 0, groupOf[i] == groupOf[j] {
                                        exact += 1
                                        distance = 0
                                    } else if groupOf[i] >= 0, groupOf[j] >= 0, shared[Int(groupOf[i])] || shared[Int(groupOf[j])] {
                                        exact += 1
                                        let key = Int64(min(groupOf[i], groupOf[j])) << 32 | Int64(max(groupOf[i], groupOf[j]))
                                        if let known = betweenGroups[key] {
                                            distance = known
                                        } else {
                                            distance = Float(kernels.squaredDistance(p, matrix.rowPointer(rows[j])).squareRoot())
                                            betweenGroups[key] = distance
                                        }
                                    } else {
                                        exact += 1
                                        distance = Float(kernels.squaredDistance(p, matrix.rowPointer(rows[j])).squareRoot())
                                    }
                                    out[i * n + j] = distance
                                    out[j * n + i] = distance
                                }
                            }
                        }
                    }
                    if let progress, let finished = done.take(below: .max) {
                        progress("pairwise distances", Double(finished + 1) / Double(groups))
                    }
                    return exact
                }
            }
            return Counts(pairs: n * (n - 1) / 2, exactPairs: exactCounts.reduce(0, +))
        }

        /// The group of equal rows of each position (−1 for a row holding NaN or an infinity), and
        /// whether each group holds more than one row.
        func identicalGroups() -> (groupOf: [Int32], shared: [Bool]) {
            let distinct = Array(Set(rows)).sorted()
            let identical = IdenticalRows(matrix: matrix, rows: distinct, path: path, parallelism: parallelism)
            var groupOfRow: [Int: Int32] = [:]
            for (position, row) in distinct.enumerated() { groupOfRow[row] = identical.groupOfPosition[position] }
            let repeated = Dictionary(grouping: rows, by: { $0 }).filter { $0.value.count > 1 }.keys
            var shared = identical.groups.map { $0.count > 1 }
            for row in repeated { if let g = groupOfRow[row], g >= 0 { shared[Int(g)] = true } }
            return (rows.map { groupOfRow[$0] ?? -1 }, shared)
        }

        /// √D̂ when the pair's true distance is proven ≥ `exactBelow` (see the type's comment), else nil.
        @inline(__always)
        func farDistance(gram: Float, _ normX: Double, _ normY: Double, gamma: Double, depth: Int) -> Float? {
            let estimate = normX + normY - 2 * Double(gram)
            let bound = (gamma + 0x1p-40) * (normX + normY) + Double(depth) * 0x1p-148
            let lower = (max(0, estimate - bound)).squareRoot() - 0x1p-23 * (normX.squareRoot() + normY.squareRoot())
            guard lower >= exactBelow, estimate.isFinite else { return nil }
            return Float(estimate.squareRoot())
        }

        /// Centres the finite rows on their mean, widened to `Float`, into panels of 16 rows
        /// (element k of row r of a panel at k·16 + r), and sums each centred row's squared norm.
        func pack<E: StoredFloat>(kernels: RowKernels<E>, finite: [Bool], into packed: UnsafeMutableBufferPointer<Float>,
                                  norms: inout [Double]) {
            let n = rows.count, d = matrix.columns
            // The mean in Double over fixed chunks summed in chunk order: the same for any thread count.
            let partial = parallelism.map(count: n, chunks: 16) { part -> [Double] in
                var sum = [Double](repeating: 0, count: d)
                var row = [Float](repeating: 0, count: d)
                for i in part where finite[i] {
                    FloatConversion.widen(matrix.rowPointer(rows[i]), format: E.format, count: d, into: &row, path: path)
                    for k in 0..<d { sum[k] += Double(row[k]) }
                }
                return sum
            }
            let count = Double(max(1, finite.filter { $0 }.count))
            var centre = [Float](repeating: 0, count: d)
            for k in 0..<d { centre[k] = Float(partial.reduce(0) { $0 + $1[k] } / count) }
            let centred = RowKernels<FloatConversion.F32>(columns: d, path: path)
            norms.withUnsafeMutableBufferPointer { norms in
                parallelism.forEachRange(count: (n + panel - 1) / panel, minimumChunk: 1) { panels in
                    var row = [Float](repeating: 0, count: d)
                    for p in panels {
                        for i in (p * panel)..<min(n, (p + 1) * panel) where finite[i] {
                            FloatConversion.widen(matrix.rowPointer(rows[i]), format: E.format, count: d, into: &row, path: path)
                            for k in 0..<d { row[k] -= centre[k] }
                            norms[i] = row.withUnsafeBytes { centred.squaredNorm($0.baseAddress!) }
                            let base = packed.baseAddress! + p * panel * d + (i - p * panel)
                            for k in 0..<d { base[k * panel] = row[k] }
                        }
                    }
                }
            }
        }
    }
}
