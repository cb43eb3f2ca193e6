import TokenScopeCore

/// The exact L2 distance from one row to every row (NaN for rows holding NaN or infinity), in
/// parallel: one pass over W.
public struct DistancesFromRow: Sendable {
    public let distances: [Double]

    public init(matrix: Matrix, row: Int, path: SIMDPath = .best, parallelism: Parallelism = .allCores) {
        distances = matrix.run(Pass(matrix: matrix, row: row, path: path, parallelism: parallelism))
    }

    private struct Pass: FormatGeneric {
        let matrix: Matrix
        let row: Int
        let path: SIMDPath
        let parallelism: Parallelism

        func run<E: StoredFloat>(_ format: E.Type) -> [Double] {
            let kernels = RowKernels<E>(columns: matrix.columns, path: path)
            let origin = matrix.rowPointer(row)
            var out = [Double](repeating: 0, count: matrix.rows)
            out.withUnsafeMutableBufferPointer { buffer in
                parallelism.forEachRange(count: matrix.rows, minimumChunk: 512) { range in
                    for r in range { buffer[r] = kernels.squaredDistance(origin, matrix.rowPointer(r)).squareRoot() }
                }
            }
            return out
        }
    }
}
