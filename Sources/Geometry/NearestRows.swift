import TensorFormats

/// The k rows of W nearest to one row, by the exact distance kernel; ties go to the smaller id, the
/// row itself is left out, rows holding NaN or infinity are never neighbours.
///
/// Each chunk of rows keeps its own k best and hands the kernel its current k-th squared distance
/// as `stopAt`, so a row already known to be farther stops being read part-way. That changes which
/// rows are read in full, never the answer: a row is admitted only on its complete sum, and the
/// chunks' lists are merged by (distance, id), so the result is the same for any chunking, thread
/// count or SIMD path.
public struct NearestRows: Sendable {
    public let neighbours: [(id: Int, distance: Double)]

    public init(matrix: Matrix, row: Int, k: Int, path: SIMDPath = .best) {
        neighbours = k > 0 && matrix.rows > 0 ? matrix.run(Search(matrix: matrix, row: row, k: k, path: path)) : []
    }

    private struct Search: FormatGeneric {
        let matrix: Matrix
        let row: Int
        let k: Int
        let path: SIMDPath

        func run<E: StoredFloat>(_ format: E.Type) -> [(id: Int, distance: Double)] {
            let kernels = RowKernels<E>(columns: matrix.columns, path: path)
            let origin = matrix.rowPointer(row)
            // A fixed number of chunks (not one per thread), so each chunk's work is the same on any machine.
            let parts = Parallel.ranges(count: matrix.rows, chunks: 64)
            let lists = Parallel.map(chunks: parts.count) { chunk -> [(id: Int, distance: Double, squared: Double)] in
                var best: [(id: Int, distance: Double, squared: Double)] = []
                best.reserveCapacity(k + 1)
                for r in parts[chunk] where r != row {
                    let stop = best.count == k ? best[k - 1].squared : .infinity
                    let squared = kernels.squaredDistance(origin, matrix.rowPointer(r), stopAt: stop)
                    // Rows arrive by ascending id, so one at the k-th's distance is beaten by its smaller id.
                    guard squared < stop else { continue }
                    let distance = squared.squareRoot()
                    if best.count == k, !(distance < best[k - 1].distance) { continue }
                    let slot = best.firstIndex { $0.distance > distance } ?? best.count
                    best.insert((r, distance, squared), at: slot)
                    if best.count > k { best.removeLast() }
                }
                return best
            }
            let merged = lists.joined().sorted { $0.distance != $1.distance ? $0.distance < $1.distance : $0.id < $1.id }
            return merged.prefix(k).map { ($0.id, $0.distance) }
        }
    }
}
