import TokenScopeCore

/// Rows of W grouped by exact equality of their stored values (+0 equal to −0): the black holes.
///
/// Groups are ordered by their smallest row id, and each group's rows ascend, so the result is
/// the same however many threads built it.
public struct IdenticalRows: Sendable {
    /// The rows that were grouped, ascending (the candidates).
    public let rows: [Int]
    /// For each group, its rows in ascending order; `groups[g][0]` is its representative.
    public let groups: [[Int]]
    /// For each position in `rows`, the index of its group.
    public let groupOfPosition: [Int32]
    /// Rows holding NaN or an infinity: never grouped, never anyone's neighbour.
    public let nonFiniteRows: [Int]

    public var representatives: [Int] { groups.map { $0[0] } }
    public var populations: [Int] { groups.map(\.count) }

    /// Groups `rows` (ascending row ids of `matrix`; every row when `nil`). The grouping is the same
    /// on every SIMD path (the hash is computed in the same lanes on each).
    public init(matrix: Matrix, rows: [Int]? = nil, path: SIMDPath = .best, parallelism: Parallelism = .allCores) {
        self = matrix.run(Grouping(matrix: matrix, rows: rows ?? Array(0..<matrix.rows), path: path, parallelism: parallelism))
    }

    init(rows: [Int], groups: [[Int]], groupOfPosition: [Int32], nonFiniteRows: [Int]) {
        self.rows = rows
        self.groups = groups
        self.groupOfPosition = groupOfPosition
        self.nonFiniteRows = nonFiniteRows
    }
}

private struct Grouping: FormatGeneric {
    let matrix: Matrix
    let rows: [Int]
    let path: SIMDPath
    let parallelism: Parallelism

    func run<E: StoredFloat>(_ format: E.Type) -> IdenticalRows {
        let kernels = RowKernels<E>(columns: matrix.columns, path: path)
        let n = rows.count
        // Hash every row (finite ones only) in parallel; a non-finite row gets no hash.
        var hashes = [UInt64](repeating: 0, count: n)
        var finite = [Bool](repeating: true, count: n)
        hashes.withUnsafeMutableBufferPointer { h in
            finite.withUnsafeMutableBufferPointer { f in
                parallelism.forEachRange(count: n, minimumChunk: 512) { range in
                    for i in range {
                        let p = matrix.rowPointer(rows[i])
                        if let hash = kernels.finiteHash(p) { h[i] = hash } else { f[i] = false }
                    }
                }
            }
        }
        // Sort positions by (hash, position); equal rows then sit in runs of equal hash.
        var order = (0..<n).filter { finite[$0] }
        order.sort { hashes[$0] != hashes[$1] ? hashes[$0] < hashes[$1] : $0 < $1 }

        var groupsByFirstPosition: [(first: Int, positions: [Int])] = []
        var start = 0
        while start < order.count {
            var end = start + 1
            while end < order.count, hashes[order[end]] == hashes[order[start]] { end += 1 }
            if end - start == 1 {
                groupsByFirstPosition.append((order[start], [order[start]]))
            } else {
                // Hash collisions are possible: split the run by actual equality, in position order.
                var run: [[Int]] = []
                for position in order[start..<end] {
                    let p = matrix.rowPointer(rows[position])
                    if let k = run.firstIndex(where: { kernels.equal(matrix.rowPointer(rows[$0[0]]), p) }) {
                        run[k].append(position)
                    } else {
                        run.append([position])
                    }
                }
                for members in run { groupsByFirstPosition.append((members[0], members)) }
            }
            start = end
        }
        groupsByFirstPosition.sort { $0.first < $1.first }

        var groupOf = [Int32](repeating: -1, count: n)
        var groups: [[Int]] = []
        groups.reserveCapacity(groupsByFirstPosition.count)
        for (g, entry) in groupsByFirstPosition.enumerated() {
            for position in entry.positions { groupOf[position] = Int32(g) }
            groups.append(entry.positions.map { rows[$0] })
        }
        let nonFinite = (0..<n).filter { !finite[$0] }.map { rows[$0] }
        return IdenticalRows(rows: rows, groups: groups, groupOfPosition: groupOf, nonFiniteRows: nonFinite)
    }
}
