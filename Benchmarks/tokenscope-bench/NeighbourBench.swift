// The inspector's exact neighbour query (issue 10): NearestRowIndex's build, then k = 10 for 50
// random rows by the index and by the full scan, answers compared.
import Foundation
import TokenScope

func neighbourBenchmarks(matrix: Matrix) {
    say("\n## Exact 10 nearest rows (\(SIMDPath.best), \(Parallelism.allCores.threads) threads)")
    let (index, build) = seconds { NearestRowIndex(matrix: matrix) }
    say(String(format: "index build %.2f s", build))
    var random = SplitMix64(seed: 10)
    var indexed: [Double] = [], scanned: [Double] = []
    for _ in 0..<50 {
        let row = Int(random.next() % UInt64(matrix.rows))
        let (fast, t1) = seconds { index.nearest(row: row, k: 10) }
        let (slow, t2) = seconds { NearestRows.scan(matrix: matrix, row: row, k: 10) }
        guard fast.map(\.id) == slow.map(\.id), fast.map(\.distance) == slow.map(\.distance) else {
            say("row \(row): the index and the scan disagree"); exit(1)
        }
        indexed.append(t1); scanned.append(t2)
    }
    func summary(_ times: [Double]) -> String {
        let sorted = times.sorted()
        return String(format: "p50 %.1f ms, max %.1f ms", sorted[sorted.count / 2] * 1e3, sorted.last! * 1e3)
    }
    say("index: \(summary(indexed)); full scan: \(summary(scanned)); 50 rows, answers identical")
}
