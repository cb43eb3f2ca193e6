import TensorFormats

/// Exact L2 distances among chosen rows, as an n × n `Float` matrix (notebook 1.4b).
///
/// Each distance is `RowKernels.squaredDistance` (the sum of squared differences in `Double`),
/// square-rooted in `Double`, then rounded once to `Float`: within half an F32 ulp of the true
/// distance. Only the upper triangle is computed, in 32 × 32 tiles so that both tiles' rows stay
/// in cache, and mirrored; the diagonal is 0, and a row holding NaN or an infinity has NaN
/// distances (0 to itself is kept only for finite rows).
public enum PairwiseDistances {
    public static let tile = 32

    /// Fills `out` (n × n, row-major, caller-allocated) with the distances among `rows`.
    /// - Complexity: n(n − 1)/2 · d, in parallel over tiles.
    public static func fill(matrix: Matrix, rows: [Int], into out: UnsafeMutableBufferPointer<Float>,
                            progress: ((String, Double) -> Void)? = nil) {
        let n = rows.count
        precondition(out.count == n * n, "the output must hold n × n values")
        matrix.run(Fill(matrix: matrix, rows: rows, out: out, progress: progress))
    }

    /// The distances as a new array (small selections, tests).
    public static func matrix(_ matrix: Matrix, rows: [Int]) -> [Float] {
        var out = [Float](repeating: 0, count: rows.count * rows.count)
        out.withUnsafeMutableBufferPointer { fill(matrix: matrix, rows: rows, into: $0) }
        return out
    }

    private struct Fill: FormatGeneric {
        let matrix: Matrix
        let rows: [Int]
        let out: UnsafeMutableBufferPointer<Float>
        let progress: ((String, Double) -> Void)?

        func run<E: StoredFloat>(_ format: E.Type) {
            let kernels = RowKernels<E>(columns: matrix.columns)
            let n = rows.count
            let tiles = (n + tile - 1) / tile
            // Tile pairs (a ≤ b) in row-major order of the upper triangle.
            var pairs: [(Int, Int)] = []
            pairs.reserveCapacity(tiles * (tiles + 1) / 2)
            for a in 0..<tiles { for b in a..<tiles { pairs.append((a, b)) } }
            let done = ChunkCounter()
            _ = Parallel.map(chunks: pairs.count) { t in
                let (a, b) = pairs[t]
                for i in (a * tile)..<min(n, (a + 1) * tile) {
                    let p = matrix.rowPointer(rows[i])
                    for j in max(i, b * tile)..<min(n, (b + 1) * tile) {
                        let distance = i == j ? (kernels.squaredNorm(p).isFinite ? 0 : Float.nan)
                            : Float(kernels.squaredDistance(p, matrix.rowPointer(rows[j])).squareRoot())
                        out[i * n + j] = distance
                        out[j * n + i] = distance
                    }
                }
                if let progress, let finished = done.take(below: .max), finished % 64 == 0 {
                    progress("pairwise distances", Double(finished) / Double(pairs.count))
                }
                return ()
            }
        }
    }
}
