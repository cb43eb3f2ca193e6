import Foundation
import Geometry
import Reachability
import TensorFormats
import Tokenizers

/// What the census knows about every row, in the form the indicators need: the default
/// reference set, the round-trip category that sets Magikarp's threshold, and each candidate's
/// verdict.
public struct IndicatorCensus: Sendable {
    /// The tokenizer's side of the census.
    public struct Tokens: Sendable {
        public var tokenizer: Tokenizer
        /// Round-trip category of every tokenizer id.
        public var categories: [TokenCategory]
        /// Ids that fail the round trip, ascending.
        public var unreachable: [Int]
        /// Ids with no witness within the search's bounds, ascending; `nil` when not searched.
        public var unreachableInAnyContext: [Int]?

        public init(tokenizer: Tokenizer, categories: [TokenCategory], unreachable: [Int], unreachableInAnyContext: [Int]?) {
            self.tokenizer = tokenizer
            self.categories = categories
            self.unreachable = unreachable
            self.unreachableInAnyContext = unreachableInAnyContext
        }
    }

    public var rowCount: Int
    /// The dead cluster (the giant component of the neighbour graph), ascending.
    public var clusterTokens: [Int]
    /// Rows sharing their exact vector with at least one other row.
    public var blackHoleRows: Set<Int>
    /// `nil` when there is no tokenizer.
    public var tokens: Tokens?

    public init(rowCount: Int, clusterTokens: [Int], blackHoleRows: Set<Int>, tokens: Tokens?) {
        self.rowCount = rowCount
        self.clusterTokens = clusterTokens
        self.blackHoleRows = blackHoleRows
        self.tokens = tokens
    }

    /// Rows past the tokenizer's ids (none without a tokenizer: nothing is known about them).
    public var tokenlessRows: Range<Int> {
        guard let tokens else { return rowCount..<rowCount }
        return min(tokens.categories.count, rowCount)..<rowCount
    }

    /// The census computed in memory, writing nothing: the neighbour graph over every row at the
    /// default threshold, and with a tokenizer the round trip and the witness search.
    public static func compute(matrix: Matrix, tokenizer: Tokenizer?, searchWitnesses witnessSearch: Bool = true,
                               parallelism: Parallelism = .allCores,
                               progress: ((String, Double) -> Void)? = nil) throws -> IndicatorCensus {
        if let tokenizer, tokenizer.idCount > matrix.rows {
            throw StageError.mismatchedInputs("the tokenizer has \(tokenizer.idCount) ids but W only \(matrix.rows) rows: they do not belong together")
        }
        progress?("census: neighbour graph and black holes", 0)
        let clusters = ClusterCensus(matrix: matrix, parallelism: parallelism, progress: progress)
        let holes = clusters.identical.groups.filter { $0.count >= 2 }.flatMap { $0 }
        var tokens: Tokens?
        if let tokenizer {
            progress?("census: round trip of every id", 0)
            let trip = RoundTrip.run(tokenizer, parallelism: parallelism)
            let witnesses = witnessSearch ? WitnessSearch.run(tokenizer, roundTrip: trip, parallelism: parallelism) : nil
            tokens = Tokens(tokenizer: tokenizer, categories: trip.categories, unreachable: trip.unreachable,
                            unreachableInAnyContext: witnesses?.unreachableInAnyContext)
        }
        return IndicatorCensus(rowCount: matrix.rows, clusterTokens: clusters.giant?.tokens ?? [], blackHoleRows: Set(holes), tokens: tokens)
    }
}

extension IndicatorCensus {
    /// The tokenizer a survey would use for this model: the directory's tokenizer.json or the
    /// GGUF file's vocabulary.
    public static func defaultTokenizerPath(modelPath: String, loaded: LoadedMatrix) -> String? {
        SurveyStage.defaultTokenizerPath(modelPath: modelPath, loaded: loaded)
    }
}
