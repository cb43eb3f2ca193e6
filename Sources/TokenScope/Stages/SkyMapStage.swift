import Foundation
import Geometry
import JSON
import TensorFormats

/// Notebooks 1.3a/1.3b: the principal-axis frame and every row's sky coordinates, written (by
/// `write`) as `1.3a_sky_coordinates.safetensors`:
///
/// | key | type | content |
/// |---|---|---|
/// | `x`, `y`, `z` | F32 [V] | uncentred projections on meridian, equinox, north |
/// | `r`, `latitude`, `longitude` | F32 [V] | spherical coordinates, degrees (NaN: no direction or non-finite row) |
/// | `basis` | F32 [3, d] | the x, y, z axes (meridian, equinox, north), signs applied |
/// | `basis_pc` | I64 [3] | their signed 1-based PC indices (default [1, 3, 2]) |
/// | `eigenvalues` | F64 [3] | covariance eigenvalues of PC1, PC2, PC3 (divided by the rows used) |
/// | `density` | I64 [360, 180] | 1° counts, longitude-major (see `SkyMap.densityGrid`) |
///
/// Besides the provenance, the metadata holds `pca_error_bounds` (per axis, the bound on the sine
/// of its angle to the true eigenvector) and `pca_unresolved` (clusters of eigenvalues too close
/// for their axes to be determined: each such axis is any unit vector of the cluster's span).
public enum SkyMapStage {
    public static let fileName = "1.3a_sky_coordinates.safetensors"

    public struct Result: StageResult, Sendable {
        public var axes: PrincipalAxes
        public var map: SkyMap
        /// `SkyMap.densityGrid`: [360, 180], longitude-major.
        public var density: [Int]
        /// The principal axes' share of `seconds`.
        public var pcaSeconds: Double
        public var seconds: Double
        /// The coordinates file, once `write` wrote it.
        public var path: String?
        /// The sky map, density map and equatorial map as SVG, when written.
        public var images: [String]

        /// The JSON summary, encoded from the fields above.
        public var summary: JSONValue {
            let peak = density.indices.max { density[$0] != density[$1] ? density[$0] < density[$1] : $0 > $1 } ?? 0
            let radii = map.r.filter { $0.isFinite }
            return [
                "step": "1.3a", "output": path.map { JSONValue.string($0) } ?? nil,
                "rows": JSONValue(map.r.count), "rows_used": JSONValue(axes.rowsUsed),
                "non_finite_rows_skipped": JSONValue(axes.nonFiniteRows),
                "rows_at_origin": JSONValue(map.rowsAtOrigin),
                "frame": parameters(map.frame),
                "eigenvalues": JSONValue(axes.eigenvalues),
                "pca": ["method": "block Krylov (block Lanczos, full reorthogonalisation) with Rayleigh–Ritz; single-precision passes, then double",
                        "passes": JSONValue(axes.passes), "single_precision_passes": JSONValue(axes.singlePrecisionPasses),
                        "converged": JSONValue(axes.converged),
                        "error_bounds": JSONValue(axes.errorBounds), "error_bound_meaning": "sine of the angle to the true eigenvector (Davis–Kahan residual / gap)",
                        "unresolved": unresolvedJSON(axes), "block_size": JSONValue(PrincipalAxes.blockSize),
                        "simd_path": .string(axes.simdPath.description),
                        "pass_log": .array(axes.passLog.map { ["kind": .string($0.kind), "seconds": JSONValue($0.seconds),
                                                               "kernel_seconds": JSONValue($0.kernelSeconds),
                                                               "error_bound": JSONValue($0.errorBound)] }),
                        "seconds": JSONValue(pcaSeconds)],
                "radius": SummaryStatistics(radii)?.json ?? nil,
                "density_peak": ["longitude": JSONValue(Double(peak / 180 - 180)), "latitude": JSONValue(Double(peak % 180 - 90)),
                                 "count": JSONValue(density.isEmpty ? 0 : density[peak]), "bin_degrees": 1],
                "seconds": JSONValue(seconds),
            ]
        }
    }

    /// Computes the frame and the coordinates; writes the file (and, with `images`, the three
    /// maps as SVG) when `outputDirectory` is given (`write`).
    public static func run(matrix: Matrix, input: String, frame: SkyFrame = SkyFrame(), outputDirectory: String? = nil,
                           images: Bool = true, parallelism: Parallelism = .allCores,
                           progress: ((String, Double) -> Void)? = nil) throws -> Result {
        if let problem = frame.problem { throw DegenerateInputError.invalidFrame(problem) }
        let start = Date()
        let axes = try PrincipalAxes(matrix: matrix, count: max(3, frame.axesNeeded), parallelism: parallelism, progress: progress)
        let pcaSeconds = Date().timeIntervalSince(start)
        let map = try SkyMap(axes: axes, frame: frame)
        let density = map.densityGrid
        var result = Result(axes: axes, map: map, density: density, pcaSeconds: pcaSeconds, seconds: Date().timeIntervalSince(start),
                            path: nil, images: [])
        if let outputDirectory {
            try write(&result, matrix: matrix, input: input, outputDirectory: outputDirectory, images: images,
                      parallelism: parallelism, progress: progress)
        }
        return result
    }

    /// Writes `DIR/1.3a_sky_coordinates.safetensors` with W's provenance (and, with `images`, the
    /// three maps as SVG) and records the paths in the result.
    public static func write(_ result: inout Result, matrix: Matrix, input: String, outputDirectory: String, images: Bool = true,
                             parallelism: Parallelism = .allCores, progress: ((String, Double) -> Void)? = nil) throws {
        progress?("writing \(fileName)", 0)
        try FileManager.default.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true)
        let axes = result.axes, map = result.map
        var metadata = Provenance(step: "1.3a", parameters: parameters(map.frame), input: input,
                                  inputSHA256: MatrixDigest.sha256(matrix, parallelism: parallelism)).metadata
        metadata["pca_error_bounds"] = JSONValue(axes.errorBounds).serialized()
        metadata["pca_unresolved"] = unresolvedJSON(axes).serialized()
        var writer = SafeTensorsWriter(metadata: metadata)
        for (name, values) in [("x", map.x), ("y", map.y), ("z", map.z), ("r", map.r), ("latitude", map.latitude), ("longitude", map.longitude)] {
            writer.add(name, float32: values.map { Float($0) })
        }
        writer.add("basis", float32: map.basis.flatMap { $0.map { Float($0) } }, shape: [3, matrix.columns])
        writer.add("basis_pc", int64: map.frame.signedIndices)
        writer.add("eigenvalues", float64: Array(axes.eigenvalues.prefix(3)))
        writer.add("density", int64: result.density, shape: [360, 180])
        let file = outputDirectory + "/" + fileName
        try writer.write(to: file)
        result.path = file
        if images {
            progress?("drawing the maps", 0)
            result.images = try SkyPlots.write(map: map, density: result.density, to: outputDirectory, parallelism: parallelism)
        }
    }

    /// Axes whose eigenvalues are too close to separate: each is any unit vector of its cluster's
    /// subspace (as arbitrary in a dense solver's output).
    static func unresolvedJSON(_ axes: PrincipalAxes) -> JSONValue {
        .array(axes.unresolved.map {
            ["components": JSONValue($0.components), "eigenvalues": JSONValue($0.eigenvalues),
             "relative_gap": JSONValue($0.relativeGap), "subspace_error_bound": JSONValue($0.subspaceErrorBound),
             "meaning": .string("each of PC\($0.components.map(String.init).joined(separator: ", PC")) is any unit vector of their span")]
        })
    }

    static func parameters(_ frame: SkyFrame) -> JSONValue {
        ["north": JSONValue(frame.north), "meridian": JSONValue(frame.meridian), "equinox": JSONValue(frame.equinox)]
    }
}

/// Notebook 1.4a: the rows inside a box of sky coordinates, written (by `write`) as
/// `1.4a_spike_token_ids.safetensors` = {`spike_token_ids`: I64 ascending} (the candidate list
/// `tokenscope clusters --candidate-ids` reads).
public enum SpikeStage {
    public static let fileName = "1.4a_spike_token_ids.safetensors"

    public struct Result: StageResult, Sendable {
        public var ids: [Int]
        public var sky: SkyMapStage.Result
        public var box: SkyBox
        /// The ids file, once `write` wrote it.
        public var path: String?

        /// The box and the rows in it, without the sky map's own summary.
        public var selection: JSONValue {
            ["step": "1.4a", "output": path.map { JSONValue.string($0) } ?? nil, "box": boxJSON, "inclusive": true,
             "rows": JSONValue(ids.count), "first_token_ids": JSONValue(Array(ids.prefix(20)))]
        }

        /// The JSON summary: the selection, then the sky map's summary.
        public var summary: JSONValue {
            .object((selection.objectValue ?? []) + [JSONMember(key: "sky", value: sky.summary)])
        }

        /// The box as the summary and the file's provenance give it.
        var boxJSON: JSONValue {
            [
                "latitude": JSONValue([box.latitude.lowerBound, box.latitude.upperBound]),
                "longitude": JSONValue([box.longitude.lowerBound, box.longitude.upperBound]),
                "r": JSONValue([box.radius.lowerBound, box.radius.upperBound]),
            ]
        }
    }

    /// Computes the sky map (or takes `sky`, already computed with the same frame) and selects
    /// the rows in `box`.
    /// - Parameter outputDirectory: where to write the ids file (`write`), or `nil` for none.
    public static func run(matrix: Matrix, input: String, frame: SkyFrame = SkyFrame(), box: SkyBox = .spike,
                           sky: SkyMapStage.Result? = nil, outputDirectory: String? = nil, parallelism: Parallelism = .allCores,
                           progress: ((String, Double) -> Void)? = nil) throws -> Result {
        let sky = try sky ?? SkyMapStage.run(matrix: matrix, input: input, frame: frame, outputDirectory: nil,
                                             parallelism: parallelism, progress: progress)
        var result = Result(ids: box.rows(of: sky.map), sky: sky, box: box, path: nil)
        if let outputDirectory {
            try write(&result, matrix: matrix, input: input, outputDirectory: outputDirectory, parallelism: parallelism)
        }
        return result
    }

    /// Writes `DIR/1.4a_spike_token_ids.safetensors` with W's provenance and records its path in the result.
    public static func write(_ result: inout Result, matrix: Matrix, input: String, outputDirectory: String,
                             parallelism: Parallelism = .allCores) throws {
        var writer = try SafeTensorsWriter.stage(
            "1.4a", parameters: ["box": result.boxJSON, "frame": SkyMapStage.parameters(result.sky.map.frame)],
            input: input, matrix: matrix, outputDirectory: outputDirectory, parallelism: parallelism)
        writer.add("spike_token_ids", int64: result.ids)
        let path = outputDirectory + "/" + fileName
        try writer.write(to: path)
        result.path = path
    }
}
