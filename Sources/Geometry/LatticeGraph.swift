import TokenScopeCore

/// The lattice graph of a set of tokens' distinct vectors (notebooks 1.11j, 1.11k).
///
/// Nodes are the distinct vectors (exact equality of stored values, +0 = −0) of the given rows;
/// an edge joins two vectors exactly one lattice step apart: the largest, over dimensions, count
/// of representable values of the stored type between their components (`StoredFloat.rank`) is 1.
/// Rows holding NaN or an infinity have no rank distance and are left out.
public struct LatticeGraph: Sendable {
    /// Distinct vectors, ordered by their smallest token; `nodes[i]` lists its tokens ascending.
    public let nodes: [[Int]]
    /// Edges (i, j), i < j, indices into `nodes`, ascending.
    public let edges: [(Int, Int)]
    /// Neighbours of each node, ascending.
    public let adjacency: [[Int]]
    /// Connected components as ascending node indices, ordered by their first node.
    public let components: [[Int]]
    /// Largest eccentricity within each component (BFS from every node; exact).
    public let componentDiameters: [Int]
    /// Dimensions on which not all nodes agree.
    public let varyingDimensions: [VaryingDimension]
    public let nonFiniteRows: [Int]

    public struct VaryingDimension: Sendable, Equatable {
        public var dimension: Int
        /// Distinct values the nodes take there.
        public var distinctValues: Int
        /// Nodes whose value differs from the most common one (ties to the smallest value).
        public var nodesOffMode: Int
        /// Lattice steps between the smallest and largest value.
        public var span: Int64
    }

    /// The graph diameter: the largest component diameter (components are not joined, so
    /// distances between them are infinite and left out).
    public var diameter: Int { componentDiameters.max() ?? 0 }

    /// Degree → number of nodes with it, ascending by degree.
    public var degreeDistribution: [(degree: Int, count: Int)] {
        var counts: [Int: Int] = [:]
        for neighbours in adjacency { counts[neighbours.count, default: 0] += 1 }
        return counts.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// - Complexity: O(u²·d) for u distinct vectors (edge test with an early exit), then
    ///   O(u·(u + e)) for the diameters.
    public init(matrix: Matrix, tokens: [Int], parallelism: Parallelism = .allCores) {
        let identical = IdenticalRows(matrix: matrix, rows: Array(Set(tokens)).sorted(), parallelism: parallelism)
        nodes = identical.groups
        nonFiniteRows = identical.nonFiniteRows
        let measured = matrix.run(Measure(matrix: matrix, representatives: identical.representatives, parallelism: parallelism))
        edges = measured.edges
        varyingDimensions = measured.varying
        var adjacency = [[Int]](repeating: [], count: nodes.count)
        for (i, j) in edges {
            adjacency[i].append(j)
            adjacency[j].append(i)
        }
        adjacency = adjacency.map { $0.sorted() }
        self.adjacency = adjacency

        var component = [Int](repeating: -1, count: nodes.count)
        var components: [[Int]] = []
        for start in nodes.indices where component[start] < 0 {
            var members = [start]
            component[start] = components.count
            var head = 0
            while head < members.count {
                for next in adjacency[members[head]] where component[next] < 0 {
                    component[next] = components.count
                    members.append(next)
                }
                head += 1
            }
            components.append(members.sorted())
        }
        self.components = components
        componentDiameters = components.map { members in
            var diameter = 0
            var distance = [Int](repeating: -1, count: adjacency.count)
            for source in members {
                for m in members { distance[m] = -1 }
                distance[source] = 0
                var queue = [source]
                var head = 0
                while head < queue.count {
                    let node = queue[head]
                    head += 1
                    diameter = max(diameter, distance[node])
                    for next in adjacency[node] where distance[next] < 0 {
                        distance[next] = distance[node] + 1
                        queue.append(next)
                    }
                }
            }
            return diameter
        }
    }

    private struct Measure: FormatGeneric {
        let matrix: Matrix
        let representatives: [Int]
        let parallelism: Parallelism

        func run<E: StoredFloat>(_ format: E.Type) -> (edges: [(Int, Int)], varying: [VaryingDimension]) {
            let d = matrix.columns
            let u = representatives.count
            // Ranks of every node's components, node-major.
            var ranks = [Int64](repeating: 0, count: u * d)
            for (i, row) in representatives.enumerated() {
                let p = matrix.rowPointer(row)
                for j in 0..<d { ranks[i * d + j] = E.rank(p + j * E.size) }
            }
            let perNode: [[(Int, Int)]] = ranks.withUnsafeBufferPointer { ranks in
                parallelism.map(chunks: u) { i in
                    var found: [(Int, Int)] = []
                    for j in (i + 1)..<max(i + 1, u) {
                        var maximum: Int64 = 0
                        for c in 0..<d {
                            maximum = max(maximum, abs(ranks[i * d + c] - ranks[j * d + c]))
                            if maximum > 1 { break }
                        }
                        if maximum == 1 { found.append((i, j)) }
                    }
                    return found
                }
            }
            var varying: [VaryingDimension] = []
            for c in 0..<d where u > 0 {
                var counts: [Int64: Int] = [:]
                for i in 0..<u { counts[ranks[i * d + c], default: 0] += 1 }
                guard counts.count > 1 else { continue }
                let mode = counts.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }!
                varying.append(VaryingDimension(dimension: c, distinctValues: counts.count, nodesOffMode: u - mode.value,
                                                 span: counts.keys.max()! - counts.keys.min()!))
            }
            return (perNode.flatMap { $0 }, varying)
        }
    }
}
