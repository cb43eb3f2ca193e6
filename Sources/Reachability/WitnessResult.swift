/// How the witness search ended for one token.
public enum WitnessOutcome: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    /// A text whose encoding contains the token was found.
    case found
    /// No witness among the candidates the bounds allow.
    case notFoundWithinBounds
    /// Proved: the token's decoded bytes cannot occur in any valid UTF-8 text (an invalid byte, or
    /// a broken sequence in its middle), so no text encodes to it. Assumes a byte-exact decoder,
    /// where a text's bytes are the concatenation of its tokens' decoded bytes.
    case impossible

    public var description: String {
        switch self {
        case .found: return "found"
        case .notFoundWithinBounds: return "not found within bounds"
        case .impossible: return "impossible"
        }
    }
}

/// The witness search's answer for one token.
public struct TokenWitness: Sendable, Equatable {
    /// The token id.
    public let id: Int
    /// A valid text whose encoding contains `id`, or nil.
    public let witness: String?
    /// How many texts were encoded.
    public let candidatesTried: Int
    public let outcome: WitnessOutcome
}

/// The witness search over a set of tokens.
public struct WitnessSearchResult: Sendable, Equatable {
    /// One entry per searched id, ascending by id.
    public let witnesses: [TokenWitness]
    /// The bounds used.
    public let bounds: WitnessBounds

    /// The entry for `id`, or nil when it was not searched.
    /// - Complexity: O(log n).
    public func witness(for id: Int) -> TokenWitness? {
        var low = 0, high = witnesses.count
        while low < high {
            let mid = (low + high) / 2
            if witnesses[mid].id < id { low = mid + 1 } else { high = mid }
        }
        return low < witnesses.count && witnesses[low].id == id ? witnesses[low] : nil
    }

    /// Ids with a witness, ascending.
    public var reachableInContext: [Int] { witnesses.filter { $0.outcome == .found }.map(\.id) }

    /// The population "unreachable in any context (within bounds)": ids with no witness, ascending
    /// (those proved impossible included).
    public var unreachableInAnyContext: [Int] { witnesses.filter { $0.outcome != .found }.map(\.id) }

    /// Ids proved unreachable whatever the bounds, ascending.
    public var provablyUnreachable: [Int] { witnesses.filter { $0.outcome == .impossible }.map(\.id) }
}
