import TokenScopeCore

/// The largest distance between rows of a set.
public enum Diameter {
    /// Exact over all pairs when there are at most `pairLimit` of them; otherwise the double-sweep
    /// lower bound (farthest from the first row, then farthest from that), flagged as inexact.
    public static func of(matrix: Matrix, rows: [Int], pairLimit: Int = Int.max,
                          parallelism: Parallelism = .allCores) -> (value: Double, exact: Bool) {
        guard rows.count >= 2 else { return (0, true) }
        return matrix.run(Sweep(matrix: matrix, rows: rows, pairLimit: pairLimit, parallelism: parallelism))
    }

    private struct Sweep: FormatGeneric {
        let matrix: Matrix
        let rows: [Int]
        let pairLimit: Int
        let parallelism: Parallelism

        func run<E: StoredFloat>(_ format: E.Type) -> (value: Double, exact: Bool) {
            let kernels = RowKernels<E>(columns: matrix.columns)
            let n = rows.count
            if n * (n - 1) / 2 <= pairLimit {
                // The maximum does not depend on the cut.
                let maxima = parallelism.map(count: n, chunks: parallelism.balancedChunks(n)) { part -> Double in
                    var best = 0.0
                    for i in part {
                        for j in (i + 1)..<n {
                            best = max(best, kernels.squaredDistance(matrix.rowPointer(rows[i]), matrix.rowPointer(rows[j])))
                        }
                    }
                    return best
                }
                return (maxima.max()!.squareRoot(), true)
            }
            func farthest(from a: Int) -> (index: Int, squared: Double) {
                var best = (index: a, squared: 0.0)
                for i in 0..<n {
                    let d = kernels.squaredDistance(matrix.rowPointer(rows[a]), matrix.rowPointer(rows[i]))
                    if d > best.squared { best = (i, d) }
                }
                return best
            }
            let first = farthest(from: 0)
            return (farthest(from: first.index).squared.squareRoot(), false)
        }
    }
}
