import TokenScopeCore

/// Parameters of the neighbour graph (notebooks 1.4f–1.4h).
public struct ClusterParameters: Sendable {
    /// Rows are adjacent when their exact L2 distance is strictly below this. A `Float`, as the
    /// notebooks compare an F32 distance matrix with the Python literal 0.002 cast to F32.
    public var threshold: Float = 0.002
    /// Nearest-neighbour distances and voids are measured exactly up to this radius; beyond it
    /// they are reported as "at least the radius". Defaults to four thresholds, wide enough to see
    /// the void around a dead cluster while keeping the search local.
    public var neighbourRadius: Double?

    public init(threshold: Float = 0.002, neighbourRadius: Double? = nil) {
        self.threshold = threshold
        self.neighbourRadius = neighbourRadius
    }

    public var effectiveRadius: Double { max(Double(threshold), neighbourRadius ?? 4 * Double(threshold)) }
}

/// One connected component of the neighbour graph.
public struct ClusterComponent: Sendable {
    /// Token ids (rows of W), ascending.
    public var tokens: [Int]
    /// Distinct vectors among them.
    public var uniqueVectors: Int
    /// The largest internal distance; exact when `diameterIsExact`, else a lower bound.
    public var diameter: Double
    public var diameterIsExact: Bool
    /// The smallest distance from the component to a candidate outside it; `nil` when none lies
    /// within the search radius (the void is at least the radius).
    public var void: Double?
}

/// The neighbour graph of the candidate rows and its components (notebooks 1.4f, 1.4g, 1.4h).
public struct ClusterCensus: Sendable {
    public let parameters: ClusterParameters
    /// Candidate rows, ascending.
    public let candidates: [Int]
    public let identical: IdenticalRows
    /// Edges between candidate rows (identical rows are adjacent: distance 0).
    public let edgeCount: Int
    /// Components ordered by their smallest token id.
    public let components: [ClusterComponent]
    /// Index into `components` of each candidate position (−1 for non-finite rows).
    public let componentOfPosition: [Int32]
    /// The largest component (ties to the one holding the smallest token id).
    public let giantIndex: Int?
    /// Each candidate's distance to its nearest other candidate: 0 when another row is identical,
    /// `.infinity` when none lies within the search radius, NaN for non-finite rows.
    public let nearestNeighbourDistance: [Double]

    public var giant: ClusterComponent? { giantIndex.map { components[$0] } }

    /// Component sizes (tokens) → how many components have that size, ascending by size.
    public var sizeDistribution: [(size: Int, count: Int)] {
        var counts: [Int: Int] = [:]
        for component in components { counts[component.tokens.count, default: 0] += 1 }
        return counts.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    public var singletonCount: Int { components.lazy.filter { $0.tokens.count == 1 }.count }

    /// The giant cluster as a mask over the candidates, in candidate order.
    public var giantMask: [Bool] {
        guard let giantIndex else { return [Bool](repeating: false, count: candidates.count) }
        return componentOfPosition.map { $0 == Int32(giantIndex) }
    }

    /// Components whose exact diameter costs more than this many pairs of unique vectors get a
    /// lower bound instead (about 10 s of work at d = 2560).
    public static let exactDiameterPairLimit = 8_000_000

    /// Builds the graph over `candidates` (ascending row ids; every row when `nil`). The census is
    /// the same for any `parallelism`.
    /// - Parameter rowNorms: W's row norms (`RowNorms.norms`), when known: the neighbour search then
    ///   reads only a few values of each row instead of all of it.
    public init(matrix: Matrix, candidates: [Int]? = nil, parameters: ClusterParameters = ClusterParameters(),
                rowNorms: [Double]? = nil, parallelism: Parallelism = .allCores, progress: ((String, Double) -> Void)? = nil) {
        self.parameters = parameters
        let candidates = candidates ?? Array(0..<matrix.rows)
        self.candidates = candidates
        progress?("grouping identical rows", 0)
        let identical = IdenticalRows(matrix: matrix, rows: candidates, parallelism: parallelism)
        self.identical = identical
        let representatives = identical.representatives
        let radius = parameters.effectiveRadius
        let search = NeighbourSearch(matrix: matrix, points: representatives, radius: radius, rowNorms: rowNorms,
                                     parallelism: parallelism)
        let thresholdSquared = Double(parameters.threshold) * Double(parameters.threshold)  // exact: 48 bits

        // Pairs are streamed, never stored: a set of mutually close rows has n²/2 of them. The
        // first pass merges components, counts edges and keeps each vector's nearest distance;
        // the voids need the components, so a second pass measures the pairs that cross them.
        let populations = identical.populations
        var unionFind = UnionFind(count: representatives.count)
        var edges = populations.reduce(0) { $0 + $1 * ($1 - 1) / 2 }
        var nearestSquared = [Double](repeating: .infinity, count: representatives.count)
        search.forEachPair(progress: { progress?("searching neighbours", $0) }) { batch in
            for pair in batch {
                let i = Int(pair.i), j = Int(pair.j)
                nearestSquared[i] = min(nearestSquared[i], pair.squaredDistance)
                nearestSquared[j] = min(nearestSquared[j], pair.squaredDistance)
                if pair.squaredDistance < thresholdSquared {
                    unionFind.union(i, j)
                    edges += populations[i] * populations[j]
                }
            }
        }
        edgeCount = edges

        // Number components by smallest token id: groups are already ordered by smallest row id,
        // so the first group seen of each root names the component.
        var componentOfGroup = [Int](repeating: -1, count: representatives.count)
        var componentOfRoot: [Int: Int] = [:]
        var groupsOfComponent: [[Int]] = []
        for g in 0..<representatives.count {
            let root = unionFind.find(g)
            if let c = componentOfRoot[root] {
                componentOfGroup[g] = c
                groupsOfComponent[c].append(g)
            } else {
                componentOfRoot[root] = groupsOfComponent.count
                componentOfGroup[g] = groupsOfComponent.count
                groupsOfComponent.append([g])
            }
        }
        componentOfPosition = identical.groupOfPosition.map { $0 < 0 ? -1 : Int32(componentOfGroup[Int($0)]) }

        // Voids: the smallest distance across components, from the pairs that cross them only.
        var voidSquared = [Double](repeating: .infinity, count: groupsOfComponent.count)
        if groupsOfComponent.count > 1 {
            let component = componentOfGroup
            search.forEachPair(skip: { component[$0] == component[$1] },
                               progress: { progress?("measuring voids", $0) }) { batch in
                for pair in batch {
                    let ci = componentOfGroup[Int(pair.i)], cj = componentOfGroup[Int(pair.j)]
                    voidSquared[ci] = min(voidSquared[ci], pair.squaredDistance)
                    voidSquared[cj] = min(voidSquared[cj], pair.squaredDistance)
                }
            }
        }
        nearestNeighbourDistance = identical.groupOfPosition.map { g in
            if g < 0 { return .nan }
            return populations[Int(g)] > 1 ? 0 : nearestSquared[Int(g)].squareRoot()
        }

        progress?("measuring diameters", 0)
        var components: [ClusterComponent] = []
        components.reserveCapacity(groupsOfComponent.count)
        for (c, groups) in groupsOfComponent.enumerated() {
            let tokens = groups.flatMap { identical.groups[$0] }.sorted()
            let (diameter, exact) = Diameter.of(matrix: matrix, rows: groups.map { representatives[$0] },
                                                pairLimit: Self.exactDiameterPairLimit, parallelism: parallelism)
            components.append(ClusterComponent(
                tokens: tokens, uniqueVectors: groups.count, diameter: diameter, diameterIsExact: exact,
                void: voidSquared[c].isFinite ? voidSquared[c].squareRoot() : nil))
        }
        self.components = components
        var giant: Int?
        for (c, component) in components.enumerated() where component.tokens.count > (giant.map { components[$0].tokens.count } ?? 0) {
            giant = c  // strictly larger only: ties keep the earlier component, which has the smaller id
        }
        giantIndex = giant
    }
}

/// Disjoint sets with path halving and union by size.
struct UnionFind {
    private var parent: [Int]
    private var size: [Int]

    init(count: Int) {
        parent = Array(0..<count)
        size = [Int](repeating: 1, count: count)
    }

    mutating func find(_ x: Int) -> Int {
        var x = x
        while parent[x] != x {
            parent[x] = parent[parent[x]]
            x = parent[x]
        }
        return x
    }

    mutating func union(_ a: Int, _ b: Int) {
        var ra = find(a), rb = find(b)
        guard ra != rb else { return }
        if size[ra] < size[rb] { swap(&ra, &rb) }
        parent[rb] = ra
        size[ra] += size[rb]
    }
}
