import Dispatch
import Foundation

// Work is split into contiguous chunks whose results are concatenated in chunk order, so the output
// is the same whatever the number of chunks or threads.

/// Default number of chunks for `count` items: several per core so that uneven chunks balance out.
func defaultChunkCount(_ count: Int) -> Int {
    guard count > 0 else { return 1 }
    return max(1, min(count, ProcessInfo.processInfo.activeProcessorCount * 8))
}

/// The half-open range of chunk `chunk` out of `chunks` over `0..<count`.
@inline(__always)
func chunkRange(_ chunk: Int, of chunks: Int, count: Int) -> Range<Int> {
    (chunk * count / chunks)..<((chunk + 1) * count / chunks)
}

/// Runs `body` on contiguous chunks of `0..<count` in parallel and returns the per-chunk results in
/// chunk order.
func parallelChunks<T>(count: Int, chunks requested: Int? = nil, _ body: (Range<Int>) -> T) -> [T] {
    let chunks = max(1, min(requested ?? defaultChunkCount(count), max(count, 1)))
    var results = [T?](repeating: nil, count: chunks)
    results.withUnsafeMutableBufferPointer { out in
        let base = out  // each iteration writes only its own slot
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            base[chunk] = body(chunkRange(chunk, of: chunks, count: count))
        }
    }
    return results.compactMap { $0 }  // every slot was written above
}
