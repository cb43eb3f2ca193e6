import Foundation
import Testing
import TokenScopeCore

@Suite struct ParallelismTests {
    /// What the bodies of one run saw: the most running at once and the threads they ran on.
    final class Observer: @unchecked Sendable {
        private let lock = NSLock()
        private var running = 0
        private(set) var mostAtOnce = 0
        private(set) var threads = Set<UInt>()

        func enter() {
            lock.withLock {
                running += 1
                mostAtOnce = max(mostAtOnce, running)
                threads.insert(UInt(bitPattern: Int(bitPattern: pthread_self())))
            }
        }

        func leave() { lock.withLock { running -= 1 } }
    }

    @Test(arguments: [1, 2, 3])
    func neverMoreBodiesAtOnceThanThreads(threads: Int) {
        let observer = Observer()
        // Bodies that sleep leave the cores idle, so nothing but the count keeps more from starting.
        let results = Parallelism(threads: threads).map(chunks: 48) { chunk -> Int in
            observer.enter()
            usleep(2_000)
            observer.leave()
            return chunk * chunk
        }
        #expect(results == (0..<48).map { $0 * $0 })
        #expect(observer.mostAtOnce <= threads && observer.threads.count <= threads,
                "\(observer.mostAtOnce) at once on \(observer.threads.count) threads for \(threads)")
    }

    @Test func oneThreadIsTheCallersAlone() {
        let observer = Observer()
        let caller = UInt(bitPattern: Int(bitPattern: pthread_self()))
        Parallelism.serial.forEachRange(count: 10_000, minimumChunk: 100) { _ in
            observer.enter()
            observer.leave()
        }
        #expect(observer.mostAtOnce == 1 && observer.threads == [caller])
    }

    @Test(arguments: [1, 3])
    func everyIndexIsCoveredOnce(threads: Int) {
        let parallelism = Parallelism(threads: threads)
        var seen = [Int](repeating: 0, count: 5_000)
        seen.withUnsafeMutableBufferPointer { slots in
            parallelism.forEachRange(count: slots.count, minimumChunk: 64) { range in
                for i in range { slots[i] += 1 }
            }
        }
        #expect(seen.allSatisfy { $0 == 1 })
        let pieces = parallelism.map(count: 1_001, chunks: 7) { Array($0) }
        #expect(pieces.count == 7 && pieces.flatMap { $0 } == Array(0..<1_001))
    }

    @Test func rangesAreCutByTheCallersRuleOnly() {
        #expect(Parallelism.ranges(count: 10, chunks: 3) == [0..<3, 3..<6, 6..<10])
        #expect(Parallelism.ranges(count: 2, chunks: 5) == [0..<1, 1..<2])
        #expect(Parallelism.ranges(count: 0, chunks: 5).isEmpty)
        #expect(Parallelism(threads: 0).threads == 1)
        #expect(Parallelism(threads: 1).map(chunks: 0) { $0 }.isEmpty)
    }
}
