import Foundation
import Geometry
import JSON
import TensorFormats

/// Notebooks 1.11a, 1.11h, 1.11i: black holes of the cluster, the Big One, ULP shells, core and
/// halo, written (by `write`) as `1.11i_core_cluster_tokens.safetensors` (a drop-in for the 1.4h file).
public enum CoreStage {
    public static let fileName = "1.11i_core_cluster_tokens.safetensors"

    public struct Result: StageResult, Sendable {
        public var census: CoreCensus
        public var seconds: Double
        /// The core file, once `write` wrote it.
        public var path: String?

        /// The JSON summary, encoded from the fields above.
        public var summary: JSONValue {
            let big = census.bigOne
            let holes = census.blackHoles.sorted { $0.population != $1.population ? $0.population > $1.population : $0.tokens[0] < $1.tokens[0] }
            func vectorJSON(_ v: ClusterVector) -> JSONValue {
                ["representative": JSONValue(v.tokens[0]), "population": JSONValue(v.population), "norm": JSONValue(v.norm),
                 "distance_ulp": JSONValue(v.distanceULP), "shell": JSONValue(v.shell), "lattice_max_steps": JSONValue(Int(v.latticeMaximum)),
                 "lattice_total_steps": JSONValue(Int(v.latticeTotal)), "differing_dimensions": JSONValue(v.differingDimensions)]
            }
            return [
                "step": "1.11i", "output": path.map { JSONValue.string($0) } ?? nil,
                "cluster_tokens": JSONValue(census.vectors.reduce(0) { $0 + $1.population }),
                "unique_vectors": JSONValue(census.vectors.count),
                "black_holes": ["vectors": JSONValue(holes.count), "tokens": JSONValue(holes.reduce(0) { $0 + $1.population }),
                                "singletons": JSONValue(census.vectors.count - holes.count)],
                "big_one": ["population": JSONValue(big.population), "norm": JSONValue(big.norm), "representative": JSONValue(big.tokens[0]),
                            "first_token_ids": JSONValue(Array(big.tokens.prefix(20)))],
                "median_abs_component": JSONValue(census.medianComponent), "ulp_unit": JSONValue(census.ulpUnit),
                "dtype": .string(census.format.rawValue),
                "shells": .array(census.shells.map { ["shell": JSONValue($0.shell), "vectors": JSONValue($0.vectors), "tokens": JSONValue($0.tokens)] }),
                "max_core_radius_ulp": JSONValue(census.maxCoreRadiusULP),
                "core": ["vectors": JSONValue(census.coreVectors.count), "tokens": JSONValue(census.coreTokens.count)],
                "halo": ["vectors": JSONValue(census.haloVectors.count), "tokens": JSONValue(census.haloTokens.count),
                         "token_ids": JSONValue(census.haloTokens),
                         "distances_ulp": JSONValue(census.haloVectors.map(\.distanceULP))],
                "black_hole_table": .array(holes.map(vectorJSON)),
                "vectors": .array(census.vectors.map(vectorJSON)),
                "seconds": JSONValue(seconds),
            ]
        }
    }

    /// Reads `cluster_token_ids` from a 1.4h (or 1.11i) file, checked against W.
    public static func clusterTokens(fromFile path: String, rowCount: Int) throws -> [Int] {
        let ids = try TokenIDFile.read(path, keys: ["cluster_token_ids"], rowCount: rowCount)
        guard !ids.isEmpty else { throw TensorFormatError(path: path, problem: .unusableTensor(name: "cluster_token_ids", reason: "is empty: no cluster to measure")) }
        return ids
    }

    /// - Parameter outputDirectory: where to write the core file (`write`), or `nil` for none.
    public static func run(matrix: Matrix, input: String, clusterTokens: [Int], maxCoreRadiusULP: Double = 3,
                           outputDirectory: String? = nil, parallelism: Parallelism = .allCores) throws -> Result {
        guard maxCoreRadiusULP >= 0, maxCoreRadiusULP.isFinite else {
            throw StageError.invalidParameter(name: "core radius", requirement: "a non-negative number of ULP", value: "\(maxCoreRadiusULP)")
        }
        guard !clusterTokens.isEmpty else { throw StageError.nothingToMeasure("the cluster is empty") }
        let start = Date()
        let census = CoreCensus(matrix: matrix, clusterTokens: clusterTokens, maxCoreRadiusULP: maxCoreRadiusULP, parallelism: parallelism)
        var result = Result(census: census, seconds: Date().timeIntervalSince(start), path: nil)
        if let outputDirectory {
            try write(&result, matrix: matrix, input: input, outputDirectory: outputDirectory, parallelism: parallelism)
        }
        return result
    }

    /// Writes `DIR/1.11i_core_cluster_tokens.safetensors` with W's provenance and records its path in the result.
    public static func write(_ result: inout Result, matrix: Matrix, input: String, outputDirectory: String,
                             parallelism: Parallelism = .allCores) throws {
        let census = result.census, core = census.coreTokens, halo = census.haloTokens
        var writer = try SafeTensorsWriter.stage(
            "1.11i", parameters: ["max_core_radius_ulp": JSONValue(census.maxCoreRadiusULP)],
            input: input, matrix: matrix, outputDirectory: outputDirectory, parallelism: parallelism)
        writer.add("cluster_token_ids", int64: core)
        writer.add("max_core_radius_ulp", float32: [Float(census.maxCoreRadiusULP)])
        writer.add("n_core_tokens", int64: [core.count])
        writer.add("n_halo_tokens", int64: [halo.count])
        writer.add("halo_token_ids", int64: halo)
        let path = outputDirectory + "/" + fileName
        try writer.write(to: path)
        result.path = path
    }
}
