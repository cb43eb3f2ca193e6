import Foundation
import Geometry
import JSON
import TensorFormats

/// Notebooks 1.11j/1.11k: the lattice graph of a cluster's (or core's) distinct vectors. Writes
/// nothing; the summary carries the graph's figures.
public enum LatticeStage {
    /// Keys accepted for the token list: a 1.11i core file or a 1.4h cluster file.
    public static let tokenKeys = ["cluster_token_ids"]

    public struct Result: StageResult, Sendable {
        public var graph: LatticeGraph
        /// Where the tokens came from, as the caller named it.
        public var source: String?
        /// Distinct tokens given.
        public var tokenCount: Int
        /// How many representatives and varying dimensions the summary lists.
        public var listLimit: Int
        public var seconds: Double

        /// The JSON summary, encoded from the fields above.
        public var summary: JSONValue {
            let sizes = graph.components.map(\.count)
            let order = graph.components.indices.sorted { sizes[$0] != sizes[$1] ? sizes[$0] > sizes[$1] : $0 < $1 }
            return [
                "step": "1.11j", "source": source.map { JSONValue.string($0) } ?? nil,
                "tokens": JSONValue(tokenCount), "non_finite_rows_skipped": JSONValue(graph.nonFiniteRows),
                "nodes": JSONValue(graph.nodes.count), "edges": JSONValue(graph.edges.count),
                "degree_distribution": .array(graph.degreeDistribution.map { ["degree": JSONValue($0.degree), "count": JSONValue($0.count)] }),
                "components": JSONValue(graph.components.count),
                "component_sizes": JSONValue(order.map { sizes[$0] }),
                "largest_component": order.first.map { i in
                    ["nodes": JSONValue(sizes[i]), "diameter": JSONValue(graph.componentDiameters[i]),
                     "representatives": JSONValue(graph.components[i].prefix(listLimit).map { graph.nodes[$0][0] })]
                } ?? nil,
                "diameter": JSONValue(graph.diameter),
                "varying_dimensions": JSONValue(graph.varyingDimensions.count),
                "dimensions": .array(graph.varyingDimensions.prefix(listLimit).map {
                    ["dimension": JSONValue($0.dimension), "distinct_values": JSONValue($0.distinctValues),
                     "nodes_off_mode": JSONValue($0.nodesOffMode), "span_steps": JSONValue(Int($0.span))]
                }),
                "seconds": JSONValue(seconds),
            ]
        }
    }

    public static func run(matrix: Matrix, tokens: [Int], source: String? = nil, listLimit: Int = 64,
                           parallelism: Parallelism = .allCores) throws -> Result {
        guard !tokens.isEmpty else { throw StageError.nothingToMeasure("no tokens: the lattice graph needs at least one") }
        if let bad = tokens.first(where: { $0 < 0 || $0 >= matrix.rows }) {
            throw StageError.idOutOfRange(id: bad, rowCount: matrix.rows)
        }
        let start = Date()
        let graph = LatticeGraph(matrix: matrix, tokens: tokens, parallelism: parallelism)
        return Result(graph: graph, source: source, tokenCount: Set(tokens).count, listLimit: listLimit,
                      seconds: Date().timeIntervalSince(start))
    }
}
