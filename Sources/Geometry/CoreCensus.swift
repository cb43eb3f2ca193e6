import TokenScopeCore

/// A distinct vector of the cluster and the tokens that share it (notebook 1.11a).
public struct ClusterVector: Sendable {
    /// Tokens holding this exact vector, ascending; the first is the representative.
    public var tokens: [Int]
    public var population: Int { tokens.count }
    public var norm: Double
    /// L∞ distance to the Big One in units of `CoreCensus.ulpUnit` (notebook 1.11h).
    public var distanceULP: Double
    /// Exact lattice distance to the Big One: representable values of the stored type between the
    /// two components, at most over the dimensions, in total, and how many dimensions differ.
    public var latticeMaximum: Int64
    public var latticeTotal: Int64
    public var differingDimensions: Int
    /// Shell index: ⌊distanceULP⌋, so shell 0 holds everything closer than one unit. A distance
    /// beyond `Int`'s range (a zero Big One makes the unit the smallest subnormal, so any other
    /// vector is ~10⁴⁰ units away) or not finite falls in the last shell, `Int.max`.
    public var shell: Int { distanceULP < 0x1p63 ? Int(distanceULP.rounded(.down)) : Int.max }
}

/// Black holes, the Big One, ULP shells, core and halo of a cluster (1.11a, 1.11h, 1.11i).
public struct CoreCensus: Sendable {
    public let format: FloatFormat
    /// Distinct vectors of the cluster ordered by their smallest token id.
    public let vectors: [ClusterVector]
    /// Index of the Big One in `vectors`: the most populated vector, ties to the smallest token id.
    public let bigOneIndex: Int
    /// Median absolute non-zero component of the Big One (NumPy's median: the mean of the two
    /// middle values for an even count); 0 when the Big One is the zero vector.
    public let medianComponent: Double
    /// 2^(⌊log₂ m⌋ − mantissa bits): one step of the stored grid at the Big One's typical component.
    public let ulpUnit: Double
    public let maxCoreRadiusULP: Double

    public var bigOne: ClusterVector { vectors[bigOneIndex] }
    public var coreVectors: [ClusterVector] { vectors.filter { $0.distanceULP <= maxCoreRadiusULP } }
    public var haloVectors: [ClusterVector] { vectors.filter { !($0.distanceULP <= maxCoreRadiusULP) } }
    public var coreTokens: [Int] { coreVectors.flatMap(\.tokens).sorted() }
    public var haloTokens: [Int] { haloVectors.flatMap(\.tokens).sorted() }

    /// Shell → (vectors, tokens), ascending by shell.
    public var shells: [(shell: Int, vectors: Int, tokens: Int)] {
        var table: [Int: (Int, Int)] = [:]
        for vector in vectors {
            let entry = table[vector.shell, default: (0, 0)]
            table[vector.shell] = (entry.0 + 1, entry.1 + vector.population)
        }
        return table.sorted { $0.key < $1.key }.map { ($0.key, $0.value.0, $0.value.1) }
    }

    /// Vectors shared by two tokens or more.
    public var blackHoles: [ClusterVector] { vectors.filter { $0.population >= 2 } }

    public init(matrix: Matrix, clusterTokens: [Int], maxCoreRadiusULP: Double = 3, parallelism: Parallelism = .allCores) {
        precondition(!clusterTokens.isEmpty, "the cluster is empty")
        format = matrix.format
        self.maxCoreRadiusULP = maxCoreRadiusULP
        let identical = IdenticalRows(matrix: matrix, rows: clusterTokens.sorted(), parallelism: parallelism)
        var groups = identical.groups
        // Non-finite rows have no distance to anything; each stands alone, after the others.
        groups += identical.nonFiniteRows.map { [$0] }
        var big = 0
        for (g, group) in groups.enumerated() where group.count > groups[big].count { big = g }
        bigOneIndex = big
        let bigRow = groups[big][0]

        let components = matrix.row(bigRow).filter { $0 != 0 }.map { abs(Double($0)) }.sorted()
        if components.isEmpty {
            medianComponent = 0
        } else if components.count % 2 == 1 {
            medianComponent = components[components.count / 2]
        } else {
            medianComponent = (components[components.count / 2 - 1] + components[components.count / 2]) / 2
        }
        // ⌊log₂ m⌋ is read from the binary exponent, exactly; for the zero vector the notebook's
        // rule falls back to the smallest subnormal of the type.
        let smallestSubnormal: Double
        switch matrix.format {
        case .bf16: smallestSubnormal = 0x1p-133
        case .f16: smallestSubnormal = 0x1p-24
        case .f32: smallestSubnormal = 0x1p-149
        }
        ulpUnit = medianComponent > 0
            ? Double(sign: .plus, exponent: Int(medianComponent.exponent) - matrix.format.mantissaBits, significand: 1)
            : smallestSubnormal
        vectors = matrix.run(Measure(matrix: matrix, groups: groups, bigRow: bigRow, ulpUnit: ulpUnit, parallelism: parallelism))
    }

    private struct Measure: FormatGeneric {
        let matrix: Matrix
        let groups: [[Int]]
        let bigRow: Int
        let ulpUnit: Double
        let parallelism: Parallelism

        func run<E: StoredFloat>(_ format: E.Type) -> [ClusterVector] {
            let kernels = RowKernels<E>(columns: matrix.columns)
            let big = matrix.rowPointer(bigRow)
            return parallelism.map(chunks: groups.count) { g in
                let p = matrix.rowPointer(groups[g][0])
                let lattice = kernels.latticeSteps(p, big)
                return ClusterVector(
                    tokens: groups[g], norm: kernels.squaredNorm(p).squareRoot(),
                    distanceULP: kernels.maxAbsDifference(p, big) / ulpUnit,
                    latticeMaximum: lattice.maximum, latticeTotal: lattice.total, differingDimensions: lattice.differing)
            }
        }
    }
}

/// Every group of two or more identical rows in a set of rows (the vocabulary-wide census).
public struct BlackHoleCensus: Sendable {
    public struct Hole: Sendable {
        public var tokens: [Int]
        public var norm: Double
    }

    /// Groups of at least two rows, ordered by population (descending), then smallest token id.
    public let holes: [Hole]
    public let rowCount: Int
    public let uniqueVectors: Int
    public let nonFiniteRows: [Int]

    public var tokensInHoles: Int { holes.reduce(0) { $0 + $1.tokens.count } }

    public init(matrix: Matrix, rows: [Int]? = nil, parallelism: Parallelism = .allCores) {
        self.init(matrix: matrix, identical: IdenticalRows(matrix: matrix, rows: rows, parallelism: parallelism))
    }

    /// The census of a grouping already made (a cluster census over every row holds one).
    public init(matrix: Matrix, identical: IdenticalRows) {
        rowCount = identical.rows.count
        uniqueVectors = identical.groups.count
        nonFiniteRows = identical.nonFiniteRows
        let multi = identical.groups.filter { $0.count >= 2 }
        holes = matrix.run(Norms(matrix: matrix, rows: multi.map { $0[0] })).enumerated()
            .map { Hole(tokens: multi[$0.offset], norm: $0.element) }
            .sorted { $0.tokens.count != $1.tokens.count ? $0.tokens.count > $1.tokens.count : $0.tokens[0] < $1.tokens[0] }
    }
}

/// L2 norms of chosen rows.
struct Norms: FormatGeneric {
    let matrix: Matrix
    let rows: [Int]

    func run<E: StoredFloat>(_ format: E.Type) -> [Double] {
        let kernels = RowKernels<E>(columns: matrix.columns)
        return rows.map { kernels.squaredNorm(matrix.rowPointer($0)).squareRoot() }
    }
}
