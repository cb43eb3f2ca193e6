import Foundation
import Geometry
import JSON
import TensorFormats

/// Every group of two or more identical rows in W (the vocabulary-wide 1.11a census).
public enum BlackHoleStage {
    public struct Result: StageResult, Sendable {
        public var census: BlackHoleCensus
        /// How many of the largest groups the summary lists.
        public var listLimit: Int
        public var seconds: Double

        /// The JSON summary, encoded from the fields above.
        public var summary: JSONValue {
            [
                "rows": JSONValue(census.rowCount), "unique_vectors": JSONValue(census.uniqueVectors),
                "groups": JSONValue(census.holes.count), "tokens_in_groups": JSONValue(census.tokensInHoles),
                "non_finite_rows_skipped": JSONValue(census.nonFiniteRows),
                "largest": .array(census.holes.prefix(listLimit).map {
                    ["population": JSONValue($0.tokens.count), "norm": JSONValue($0.norm), "representative": JSONValue($0.tokens[0]),
                     "token_ids": JSONValue(Array($0.tokens.prefix(50)))]
                }),
                "seconds": JSONValue(seconds),
            ]
        }
    }

    /// - Parameter identical: W's rows already grouped, every row of them (`ClusterCensus.identical`
    ///   over all rows), so that they are not hashed again.
    public static func run(matrix: Matrix, identical: IdenticalRows? = nil, listLimit: Int = 100,
                           parallelism: Parallelism = .allCores) -> Result {
        precondition(identical.map { $0.rows.count == matrix.rows } ?? true, "a grouping of every row of W")
        let start = Date()
        let census = identical.map { BlackHoleCensus(matrix: matrix, identical: $0) } ?? BlackHoleCensus(matrix: matrix, parallelism: parallelism)
        return Result(census: census, listLimit: listLimit, seconds: Date().timeIntervalSince(start))
    }
}
