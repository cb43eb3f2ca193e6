import ArgumentParser
import Foundation
import Geometry
import JSON
import Report
import TokenScope

extension TokenScopeCommand {
    struct Clusters: ToolCommand {
        static let configuration = CommandConfiguration(
            abstract: "Find the neighbour graph's components and the giant cluster (notebooks 1.4f–1.4h).",
            discussion: """
                Two rows are adjacent when their exact L2 distance is strictly below the threshold. Candidates \
                are every row, or the ids of --candidate-ids (a safetensors file with spike_token_ids, as the \
                notebooks' spike box).

                Writes DIR/1.4h_cluster_tokens.safetensors with cluster_token_ids, cluster_mask (over the \
                candidates), adjacency_threshold and candidate_token_ids.
                """)

        @Argument(help: "W: a safetensors file (W.safetensors) or a model directory.")
        var model: String

        @Option(help: ArgumentHelp("Output directory.", valueName: "dir"))
        var out: String

        @Option(parsing: .unconditional, help: "Adjacency threshold: rows closer than this (exact L2, an F32 value) are neighbours (default: 0.002).",
                transform: ArgumentValue.positiveFloat)
        var threshold: Float = 0.002

        @Option(name: .customLong("candidate-ids"), help: ArgumentHelp("Safetensors file with spike_token_ids: restrict the graph to these rows.", valueName: "file"))
        var candidateIDs: String?

        @Option(name: .customLong("neighbour-radius"), help: ArgumentHelp("Measure nearest-neighbour distances and voids exactly up to this distance (default: 4 × threshold).", valueName: "r"),
                transform: ArgumentValue.positiveDouble)
        var neighbourRadius: Double?

        @OptionGroup var source: MatrixOptions
        @OptionGroup var common: CommonOptions

        var inputs: JSONValue {
            .inputs(["model": model, "out": out, "threshold": threshold, "candidate_ids": candidateIDs, "neighbour_radius": neighbourRadius], source)
        }

        func body(_ terminal: Terminal) throws -> CommandOutput {
            let loaded = try source.load(model, parallelism: common.parallelism)
            let candidates = try candidateIDs.map {
                try TokenIDFile.read($0, keys: ClusterStage.candidateKeys, rowCount: loaded.matrix.rows)
            }
            let result = try ClusterStage.run(
                matrix: loaded.matrix, input: model, candidates: candidates, candidateSource: candidateIDs,
                parameters: ClusterParameters(threshold: threshold, neighbourRadius: neighbourRadius),
                outputDirectory: out, parallelism: common.parallelism, progress: terminal.progress)
            let summary: JSONValue = ["matrix": loaded.description, "clusters": result.summary]
            return CommandOutput(result: summary) { printReadable(result, loaded: loaded) }
        }

        func printReadable(_ result: ClusterStage.Result, loaded: LoadedMatrix) {
            let census = result.census
            let radius = census.parameters.effectiveRadius
            print(loaded.headline)
            print("candidates \(NumberFormat.grouped(census.candidates.count)) (\(candidateIDs ?? "all rows")), threshold \(census.parameters.threshold)")
            if !census.identical.nonFiniteRows.isEmpty {
                print("skipped \(NumberFormat.grouped(census.identical.nonFiniteRows.count)) rows holding NaN or infinity")
            }
            print("edges \(NumberFormat.grouped(census.edgeCount)), components \(NumberFormat.grouped(census.components.count)), singletons \(NumberFormat.grouped(census.singletonCount))")
            if let giant = census.giant {
                let void = giant.void.map { String(format: "%.6g", $0) } ?? "≥ \(radius)"
                print("giant cluster: \(NumberFormat.grouped(giant.tokens.count)) tokens on \(NumberFormat.grouped(giant.uniqueVectors)) vectors, "
                      + "diameter \(String(format: "%.6g", giant.diameter))\(giant.diameterIsExact ? "" : " (lower bound)"), void \(void)")
                print("  ids \(giant.tokens.prefix(12).map(String.init).joined(separator: ", "))\(giant.tokens.count > 12 ? ", …" : "")")
            }
            let sizes = census.sizeDistribution.suffix(8).map { "\(NumberFormat.grouped($0.size))×\(NumberFormat.grouped($0.count))" }.joined(separator: " ")
            print("component sizes (size×count, largest): \(sizes)")
            if let path = result.path { print("wrote \(path)") }
        }
    }
}
