/// The five id lists of `1.8d_full_vocab_reachability.safetensors`, with the rows of W that have
/// no token kept apart.
///
/// Definitions, with T = tokenizer ids `0..<idCount`, R = rows of W `0..<rowCount`, C = cluster:
/// - `allReachable` = ids of T that pass the round trip.
/// - `allUnreachable` = ids of T that fail it.
/// - `unreachableInCluster` = `allUnreachable` ∩ C.
/// - `unreachableOutsideCluster` = `allUnreachable` \ C.
/// - `clusterButReachable` = C ∩ `allReachable` (tokenizer ids only).
/// - `clusterWithoutToken` = C \ T: cluster rows with no token, never in the four lists above;
///   "no token" are the rows past the tokenizer and the ids inside it that no token holds (gaps).
///
/// So `allReachable`, `allUnreachable` and `noTokenIDs` partition T; the in/outside lists partition
/// `allUnreachable`; C is the disjoint union of `unreachableInCluster`, `clusterButReachable` and
/// `clusterWithoutToken`. The notebook's `cluster_but_reachable` was C minus the unreachable ids,
/// which counts tokenless cluster rows in (278 on Qwen3-4B): that is ``clusterNotUnreachable``.
/// All lists are ascending.
public struct ReachabilityLists: Sendable, Equatable {
    /// Number of tokenizer ids.
    public let idCount: Int
    /// Number of rows of W.
    public let rowCount: Int
    public let allReachable: [Int]
    public let allUnreachable: [Int]
    public let unreachableInCluster: [Int]
    public let unreachableOutsideCluster: [Int]
    public let clusterButReachable: [Int]
    /// Cluster rows with no token: at or beyond `idCount`, or a gap of the vocabulary's ids.
    public let clusterWithoutToken: [Int]
    /// Ids below `idCount` (and below `rowCount`) that no token holds, ascending.
    public let noTokenIDs: [Int]
    /// The cluster, deduplicated and ascending.
    public let cluster: [Int]

    /// Rows of W past the tokenizer (`idCount..<rowCount`, empty when W is not larger).
    public var tokenlessRows: Range<Int> { min(idCount, rowCount)..<rowCount }

    /// Every row of W with no token: the gaps, then the rows past the tokenizer; ascending.
    public var rowsWithoutToken: [Int] { noTokenIDs + Array(tokenlessRows) }

    /// Tokenizer ids with no row of W (`rowCount..<idCount`, empty when W is not smaller).
    public var tokensWithoutRow: Range<Int> { min(idCount, rowCount)..<idCount }

    /// The notebook's `cluster_but_reachable`: cluster rows that are not unreachable tokens
    /// (`clusterButReachable` ∪ `clusterWithoutToken`).
    public var clusterNotUnreachable: [Int] { clusterButReachable + clusterWithoutToken }

    /// Builds the lists.
    /// - Parameters:
    ///   - roundTrip: the round trip over the tokenizer.
    ///   - clusterIds: the cluster's row ids in any order (duplicates ignored), or nil for none.
    ///   - rowCount: rows of W; nil means one row per tokenizer id.
    /// - Throws: ``ReachabilityError/clusterIdOutOfRange(id:rowCount:)`` for a cluster id outside W.
    public init(roundTrip: RoundTripResult, clusterIds: [Int]? = nil, rowCount: Int? = nil) throws {
        let rows = rowCount ?? roundTrip.idCount
        let ids = roundTrip.idCount
        var inCluster = [Bool](repeating: false, count: rows)
        for id in clusterIds ?? [] {
            guard id >= 0 && id < rows else { throw ReachabilityError.clusterIdOutOfRange(id: id, rowCount: rows) }
            inCluster[id] = true
        }
        self.idCount = ids
        self.rowCount = rows
        self.allReachable = roundTrip.reachable
        self.allUnreachable = roundTrip.unreachable
        // Tokens beyond the rows of W are outside any cluster.
        func member(_ id: Int) -> Bool { id < rows && inCluster[id] }
        self.unreachableInCluster = roundTrip.unreachable.filter(member)
        self.unreachableOutsideCluster = roundTrip.unreachable.filter { !member($0) }
        self.clusterButReachable = roundTrip.reachable.filter(member)
        self.noTokenIDs = roundTrip.noTokenIDs.filter { $0 < rows }
        self.clusterWithoutToken = noTokenIDs.filter { inCluster[$0] } + (ids < rows ? (ids..<rows).filter { inCluster[$0] } : [])
        self.cluster = (0..<rows).filter { inCluster[$0] }
    }

    /// The masks of `1.8e_unreachable_tokens.safetensors`, one entry per row of W: unreachable
    /// tokens, the halo (unreachable outside the cluster) and the cluster. Tokens beyond the rows
    /// of W are left out.
    public func populationMasks() -> (unreachable: [Bool], halo: [Bool], cluster: [Bool]) {
        var unreachable = [Bool](repeating: false, count: rowCount)
        var halo = unreachable, clusterMask = unreachable
        for id in allUnreachable where id < rowCount { unreachable[id] = true }
        for id in unreachableOutsideCluster where id < rowCount { halo[id] = true }
        for id in cluster { clusterMask[id] = true }
        return (unreachable, halo, clusterMask)
    }

    /// The population of every row of W, a partition (the report's corrected split).
    public func rowPopulations() -> [RowPopulation] {
        var result = [RowPopulation](repeating: .reachableOutsideCluster, count: rowCount)
        for id in rowsWithoutToken { result[id] = .noToken }
        for id in unreachableOutsideCluster where id < rowCount { result[id] = .unreachableOutsideCluster }
        for id in unreachableInCluster { result[id] = .unreachableInCluster }
        for id in clusterButReachable { result[id] = .reachableInCluster }
        for id in clusterWithoutToken { result[id] = .noTokenInCluster }
        return result
    }
}

/// The population of one row of W; the cases partition the rows.
public enum RowPopulation: UInt8, CaseIterable, Sendable, Comparable, CustomStringConvertible {
    /// An unreachable token in the cluster.
    case unreachableInCluster
    /// A reachable token in the cluster.
    case reachableInCluster
    /// An unreachable token outside the cluster (the notebook's halo).
    case unreachableOutsideCluster
    /// A reachable token outside the cluster (the bulk).
    case reachableOutsideCluster
    /// A row with no token, in the cluster.
    case noTokenInCluster
    /// A row with no token, outside the cluster.
    case noToken

    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }

    /// A short label for tables.
    public var description: String {
        switch self {
        case .unreachableInCluster: return "unreachable in cluster"
        case .reachableInCluster: return "reachable in cluster"
        case .unreachableOutsideCluster: return "unreachable outside cluster"
        case .reachableOutsideCluster: return "reachable outside cluster"
        case .noTokenInCluster: return "no token, in cluster"
        case .noToken: return "no token"
        }
    }
}
