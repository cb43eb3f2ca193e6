import Foundation
import Geometry
import JSON
import TensorFormats

/// Notebooks 1.4f–1.4h: the neighbour graph, its components and the giant cluster, written (by
/// `write`) as `1.4h_cluster_tokens.safetensors`. Besides the notebook's keys the file holds `n_rows`
/// (I64 [1]): the row count of W, so that later steps (reachability) know which ids past the
/// tokenizer are rows with no token.
public enum ClusterStage {
    public static let fileName = "1.4h_cluster_tokens.safetensors"
    /// The tensor that records W's row count, in every file of ours that knows it (1.4h, 1.8d, 1.8e).
    public static let rowCountKey = "n_rows"
    /// Keys accepted for a candidate list: the notebooks' spike box, or our own output.
    public static let candidateKeys = ["spike_token_ids", "candidate_token_ids"]

    public struct Result: StageResult, Sendable {
        public var census: ClusterCensus
        /// Where the candidates came from, as the caller named it; nil: every row.
        public var candidateSource: String?
        public var seconds: Double
        /// The clusters file, once `write` wrote it.
        public var path: String?

        /// The JSON summary, encoded from the fields above.
        public var summary: JSONValue {
            let radius = census.parameters.effectiveRadius
            var giantJSON: JSONValue = nil
            if let giant = census.giant {
                giantJSON = [
                    "tokens": JSONValue(giant.tokens.count), "unique_vectors": JSONValue(giant.uniqueVectors),
                    "diameter": JSONValue(giant.diameter), "diameter_exact": JSONValue(giant.diameterIsExact),
                    "void": giant.void.map { JSONValue($0) } ?? nil, "void_at_least": JSONValue(giant.void ?? radius),
                    "min_token_id": JSONValue(giant.tokens.first ?? -1), "max_token_id": JSONValue(giant.tokens.last ?? -1),
                    "first_token_ids": JSONValue(Array(giant.tokens.prefix(20))),
                ]
            }
            return [
                "step": "1.4h", "output": path.map { JSONValue.string($0) } ?? nil,
                "threshold": JSONValue(census.parameters.threshold), "neighbour_radius": JSONValue(radius),
                "candidates": JSONValue(census.candidates.count), "candidate_source": .string(candidateSourceName),
                "non_finite_rows_skipped": JSONValue(census.identical.nonFiniteRows),
                "unique_vectors": JSONValue(census.identical.groups.count),
                "edges": JSONValue(census.edgeCount), "components": JSONValue(census.components.count),
                "singletons": JSONValue(census.singletonCount),
                "size_distribution": .array(census.sizeDistribution.map { ["size": JSONValue($0.size), "count": JSONValue($0.count)] }),
                "giant": giantJSON,
                "nearest_neighbour_histogram": Binning.log10(census.nearestNeighbourDistance, from: 1e-6, to: radius).json,
                "seconds": JSONValue(seconds),
            ]
        }

        /// The candidates' source as the summary and the file's provenance name it.
        var candidateSourceName: String { candidateSource ?? "all rows" }
    }

    /// Runs the census over `candidates` (every row when `nil`).
    /// - Parameters:
    ///   - rowNorms: W's row norms (`RowNorms.norms`, as `NormStage` found them), when known: the
    ///     neighbour search then does not compute them again.
    ///   - outputDirectory: where to write the clusters file (`write`), or `nil` for none.
    public static func run(matrix: Matrix, input: String, candidates: [Int]? = nil, candidateSource: String? = nil,
                           parameters: ClusterParameters = ClusterParameters(), rowNorms: [Double]? = nil, outputDirectory: String? = nil,
                           parallelism: Parallelism = .allCores, progress: ((String, Double) -> Void)? = nil) throws -> Result {
        guard parameters.threshold > 0, parameters.threshold.isFinite else {
            throw StageError.invalidParameter(name: "threshold", requirement: "a positive number", value: "\(parameters.threshold)")
        }
        if let radius = parameters.neighbourRadius, !(radius > 0 && radius.isFinite) {
            throw StageError.invalidParameter(name: "neighbour radius", requirement: "a positive number", value: "\(radius)")
        }
        let start = Date()
        let census = ClusterCensus(matrix: matrix, candidates: candidates, parameters: parameters, rowNorms: rowNorms,
                                   parallelism: parallelism, progress: progress)
        var result = Result(census: census, candidateSource: candidateSource, seconds: Date().timeIntervalSince(start), path: nil)
        if let outputDirectory {
            try write(&result, matrix: matrix, input: input, outputDirectory: outputDirectory, parallelism: parallelism)
        }
        return result
    }

    /// Writes `DIR/1.4h_cluster_tokens.safetensors` with W's provenance and records its path in the result.
    public static func write(_ result: inout Result, matrix: Matrix, input: String, outputDirectory: String,
                             parallelism: Parallelism = .allCores) throws {
        let census = result.census, threshold = census.parameters.threshold
        var writer = try SafeTensorsWriter.stage(
            "1.4h", parameters: ["threshold": JSONValue(threshold), "candidates": .string(result.candidateSourceName)],
            input: input, matrix: matrix, outputDirectory: outputDirectory, parallelism: parallelism)
        writer.add("cluster_token_ids", int64: census.giant?.tokens ?? [])
        writer.add("cluster_mask", bool: census.giantMask)
        writer.add("adjacency_threshold", float32: [threshold])
        writer.add("candidate_token_ids", int64: census.candidates)
        writer.add(rowCountKey, int64: [matrix.rows])
        let path = outputDirectory + "/" + fileName
        try writer.write(to: path)
        result.path = path
    }

    /// W's row count as `path` records it (``rowCountKey``), or nil for a file without it (the
    /// notebooks' own files).
    public static func recordedRowCount(inFile path: String) throws -> Int? {
        let file = try SafeTensorsFile(path: path)
        guard let info = file[rowCountKey] else { return nil }
        let values = info.shape == [1] ? try file.integers(rowCountKey) : []
        guard values.count == 1, values[0] > 0 else {
            throw TensorFormatError(path: path, problem: .unusableTensor(name: rowCountKey, reason: "must hold one positive row count (shape [1])"))
        }
        return values[0]
    }
}
