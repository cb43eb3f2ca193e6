import Foundation

/// Runs independent chunks of work on several threads and returns their results in chunk order.
///
/// Results never depend on the number of threads: work is cut into chunks by the caller's rule
/// (not by thread count), each chunk's result lands in its own slot, and slots are read in order.
public enum Parallel {
    nonisolated(unsafe) private static var configuredThreads: Int?

    /// Threads used by the hot loops: as set by the caller (the `tokenscope` command sets it from
    /// `--threads` or `TOKENSCOPE_THREADS`), else every active core.
    public static var threadCount: Int {
        get {
            if let configuredThreads { return configuredThreads }
            return ProcessInfo.processInfo.activeProcessorCount
        }
        set { configuredThreads = max(1, newValue) }
    }

    /// Calls `body` once per chunk index in `0..<chunks`, on up to `threadCount` threads, and
    /// returns the results indexed by chunk.
    public static func map<T>(chunks: Int, _ body: (Int) -> T) -> [T] {
        guard chunks > 0 else { return [] }
        let threads = min(threadCount, chunks)
        if threads == 1 { return (0..<chunks).map(body) }
        let results = UnsafeMutablePointer<T?>.allocate(capacity: chunks)
        results.initialize(repeating: nil, count: chunks)
        defer { results.deinitialize(count: chunks); results.deallocate() }
        let next = ChunkCounter()
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            while let chunk = next.take(below: chunks) {
                results[chunk] = body(chunk)
            }
        }
        return (0..<chunks).map { results[$0]! }
    }

    /// Splits `0..<count` into about `chunks` contiguous ranges of near-equal size.
    public static func ranges(count: Int, chunks: Int) -> [Range<Int>] {
        guard count > 0 else { return [] }
        let n = max(1, min(chunks, count))
        return (0..<n).map { i in (count * i / n)..<(count * (i + 1) / n) }
    }

    /// Calls `body` on contiguous ranges covering `0..<count` in parallel; for loops whose
    /// iterations write disjoint slots of a shared buffer.
    public static func forEachRange(count: Int, minimumChunk: Int = 1024, _ body: (Range<Int>) -> Void) {
        let chunks = max(1, min(count / max(1, minimumChunk), threadCount * 8))
        let parts = ranges(count: count, chunks: chunks)
        _ = map(chunks: parts.count) { body(parts[$0]) }
    }
}

/// Hands out chunk indices to worker threads.
final class ChunkCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    func take(below limit: Int) -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard value < limit else { return nil }
        value += 1
        return value - 1
    }
}
