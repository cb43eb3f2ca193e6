import Dispatch
import Foundation

/// How many threads a hot loop may use: a value each caller passes down, never a process-wide
/// setting, so two computations in one process (two tests, two requests) can use different counts.
///
/// Results never depend on the number of threads: work is cut into chunks by the caller's rule
/// (not by thread count), each chunk's result lands in its own slot, and slots are read in order.
///
/// ```swift
/// let sums = Parallelism(threads: 3).map(count: values.count, chunks: 16) { range in
///     values[range].reduce(0, +)
/// }
/// ```
public struct Parallelism: Sendable, Hashable, CustomStringConvertible {
    /// The most threads the work runs on at once; at least 1.
    public let threads: Int

    /// `threads` below 1 means 1.
    public init(threads: Int) {
        self.threads = max(1, threads)
    }

    /// Every active core: the default of every public entry point.
    public static var allCores: Parallelism { Parallelism(threads: ProcessInfo.processInfo.activeProcessorCount) }

    /// The calling thread only.
    public static let serial = Parallelism(threads: 1)

    public var description: String { threads == 1 ? "1 thread" : "\(threads) threads" }

    /// Calls `body` once per chunk index in `0..<chunks`, on up to `threads` threads (the caller's
    /// alone when that is 1), and returns the results indexed by chunk.
    public func map<T>(chunks: Int, _ body: (Int) -> T) -> [T] {
        guard chunks > 0 else { return [] }
        let workers = min(threads, chunks)
        if workers == 1 { return (0..<chunks).map(body) }
        let results = UnsafeMutablePointer<T?>.allocate(capacity: chunks)
        results.initialize(repeating: nil, count: chunks)
        defer { results.deinitialize(count: chunks); results.deallocate() }
        let next = ChunkCounter()
        // One iteration per worker, each taking chunks until none are left: at most `workers`
        // bodies run at once, whatever the number of cores.
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while let chunk = next.take(below: chunks) {
                results[chunk] = body(chunk)
            }
        }
        return (0..<chunks).map { results[$0]! }
    }

    /// Calls `body` on the ranges of `ranges(count:chunks:)` and returns the results in range order.
    public func map<T>(count: Int, chunks: Int, _ body: (Range<Int>) -> T) -> [T] {
        let parts = Self.ranges(count: count, chunks: chunks)
        return map(chunks: parts.count) { body(parts[$0]) }
    }

    /// Splits `0..<count` into about `chunks` contiguous ranges of near-equal size.
    public static func ranges(count: Int, chunks: Int) -> [Range<Int>] {
        guard count > 0 else { return [] }
        let n = max(1, min(chunks, count))
        return (0..<n).map { i in (count * i / n)..<(count * (i + 1) / n) }
    }

    /// A chunk count for `count` items whose results do not depend on the cut (concatenated or
    /// written to disjoint slots): several per thread, so that uneven chunks balance out.
    public func balancedChunks(_ count: Int) -> Int {
        max(1, min(count, threads * 8))
    }

    /// Calls `body` on contiguous ranges covering `0..<count` in parallel; for loops whose
    /// iterations write disjoint slots of a shared buffer.
    public func forEachRange(count: Int, minimumChunk: Int = 1024, _ body: (Range<Int>) -> Void) {
        _ = map(count: count, chunks: min(count / max(1, minimumChunk), balancedChunks(count))) { body($0) }
    }
}

/// Hands out consecutive indices to threads that share it (chunks to workers, finished chunks to
/// a progress report).
public final class ChunkCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    public init() {}

    /// The next index, or nil once `limit` have been taken.
    public func take(below limit: Int) -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard value < limit else { return nil }
        value += 1
        return value - 1
    }
}
