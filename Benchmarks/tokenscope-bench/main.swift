import Foundation
import TokenScope
func time<T>(_ label: String, _ body: () throws -> T) rethrows -> T {
    let t = Date(); let r = try body(); print(label, String(format: "%.3f s", Date().timeIntervalSince(t))); return r
}
let loaded = try ModelLoader.load(path: CommandLine.arguments[1])
let m = loaded.matrix
let ident = time("identical") { IdenticalRows(matrix: m) }
let pairs = time("search") { NeighbourSearch(matrix: m, points: ident.representatives, radius: 0.008).pairs() }
print(pairs.count)
_ = time("census") { ClusterCensus(matrix: m) }
_ = time("sha") { SHA256.hex(m.bytes) }
