import Dispatch
import Foundation
import TokenScope

/// The exact k nearest rows of one survey's W: by `NearestRowIndex` once it is built (in the
/// background, from when the survey is opened), by the full scan until then; both give the same
/// answer, so only the time differs.
final class ExactNeighbours: @unchecked Sendable {
    private let matrix: Matrix
    private let parallelism: Parallelism
    private let lock = NSLock()
    private var index: NearestRowIndex?

    init(matrix: Matrix, parallelism: Parallelism) {
        self.matrix = matrix
        self.parallelism = parallelism
        DispatchQueue.global(qos: .utility).async { [weak self] in
            let built = NearestRowIndex(matrix: matrix, parallelism: parallelism)
            self?.lock.withLock { self?.index = built }
        }
    }

    /// "building" or "ready", as `/api/surveys` reports it.
    var status: String { lock.withLock { index == nil ? "building" : "ready" } }

    func nearest(row: Int, k: Int) -> [(id: Int, distance: Double)] {
        if let index = lock.withLock({ index }) { return index.nearest(row: row, k: k) }
        return NearestRows.scan(matrix: matrix, row: row, k: k, parallelism: parallelism)
    }
}

/// Runs neighbour queries off the server's event loops, `concurrency` at once (default: as many as
/// there are cores), so other requests are answered while they run. Refuses work beyond `limit`
/// admitted queries instead of queueing without bound.
final class KernelQueue: @unchecked Sendable {
    private let queue = DispatchQueue(label: "tokenscope.inspector.neighbours", attributes: .concurrent)
    /// Queries computing at once.
    private let running: DispatchSemaphore
    private let lock = NSLock()
    private var waiting = 0
    let limit: Int

    init(limit: Int, concurrency: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.limit = limit
        running = DispatchSemaphore(value: max(1, concurrency))
    }

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
                self.running.wait()
                let value = body()
                self.running.signal()
                self.lock.withLock { self.waiting -= 1 }
                continuation.resume(returning: value)
            }
        }
    }
}
