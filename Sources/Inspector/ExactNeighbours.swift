import Dispatch
import Foundation
import TokenScope

/// The k nearest rows of W to one row, by the library's exact distance kernel over every row
/// (`DistancesFromRow`, parallel over rows); ties go to the smaller id, the row itself is left out,
/// rows holding NaN or infinity are never neighbours.
public enum ExactNeighbours {
    public static func nearest(matrix: Matrix, row: Int, k: Int) -> [(id: Int, distance: Double)] {
        guard k > 0 else { return [] }
        let distances = DistancesFromRow(matrix: matrix, row: row).distances
        var best: [(id: Int, distance: Double)] = []
        best.reserveCapacity(k + 1)
        // Ids arrive ascending, so a candidate equal to the current k-th is already beaten by its smaller id.
        for (id, distance) in distances.enumerated() where id != row && !distance.isNaN {
            if best.count == k, let worst = best.last, !(distance < worst.distance) { continue }
            var low = 0, high = best.count
            while low < high {
                let mid = (low + high) / 2
                if best[mid].distance <= distance { low = mid + 1 } else { high = mid }
            }
            best.insert((id, distance), at: low)
            if best.count > k { best.removeLast() }
        }
        return best
    }
}

/// Runs neighbour queries one at a time on their own queue, off the server's event loops, so other
/// requests are answered while one runs; each query is itself parallel over rows. Refuses work
/// beyond `limit` waiting queries instead of queueing without bound.
final class KernelQueue: @unchecked Sendable {
    private let queue = DispatchQueue(label: "tokenscope.inspector.neighbours")
    private let lock = NSLock()
    private var waiting = 0
    let limit: Int

    init(limit: Int) { self.limit = limit }

    /// Queries admitted and not yet finished.
    var waitingCount: Int { lock.withLock { waiting } }

    /// nil when `limit` queries are already waiting.
    func run<T>(_ body: @escaping () -> T) async -> T? {
        let admitted: Bool = lock.withLock {
            guard waiting < limit else { return false }
            waiting += 1
            return true
        }
        guard admitted else { return nil }
        return await withCheckedContinuation { continuation in
            queue.async {
                let value = body()
                self.lock.withLock { self.waiting -= 1 }
                continuation.resume(returning: value)
            }
        }
    }
}
