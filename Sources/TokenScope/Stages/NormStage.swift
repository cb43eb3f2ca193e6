import Foundation
import Geometry
import JSON
import TensorFormats

/// Notebook 1.2a: the L2 norm of every row, its statistics and histograms. Writes nothing unless
/// asked; then `1.2a_norms.safetensors` = {`norms`: F32 [V]} (NaN or +∞ for non-finite rows).
public enum NormStage {
    public static let fileName = "1.2a_norms.safetensors"

    public struct Result: StageResult, Sendable {
        public var norms: RowNorms
        public var histogram: Binning?
        public var zoom: Binning?
        /// Whether the zoom window was given (else the 1st to 99th percentile).
        public var zoomWindowGiven: Bool
        public var seconds: Double
        /// The norms file, once `write` wrote it.
        public var path: String?

        /// The JSON summary, encoded from the fields above.
        public var summary: JSONValue {
            let rows = norms.norms.count
            let note: JSONValue = norms.statistics != nil ? nil
                : .string(rows == 0 ? "W has no rows: no statistics" : "no row of W is finite: no statistics")
            return [
                "step": "1.2a", "output": path.map { JSONValue.string($0) } ?? nil, "rows": JSONValue(rows),
                "statistics": norms.statistics?.json ?? nil,
                "non_finite_rows_skipped": JSONValue(norms.nonFiniteRows),
                "histogram": histogram?.json ?? nil,
                "zoom": zoom?.json ?? nil,
                "zoom_window": zoomWindowGiven ? "given" : "1st to 99th percentile",
                "note": note, "seconds": JSONValue(seconds),
            ]
        }
    }

    /// - Parameters:
    ///   - zoom: the zoom histogram's window; by default the 1st to 99th percentile.
    ///   - outputDirectory: where to write the norms file (`write`), or `nil` for none.
    public static func run(matrix: Matrix, input: String, bins: Int = 100, zoom: ClosedRange<Double>? = nil,
                           outputDirectory: String? = nil, parallelism: Parallelism = .allCores) throws -> Result {
        guard bins > 0 else { throw StageError.invalidParameter(name: "number of histogram bins", requirement: "1 or more", value: "\(bins)") }
        if let zoom, !(zoom.lowerBound.isFinite && zoom.upperBound.isFinite) {
            throw StageError.invalidParameter(name: "zoom window", requirement: "finite", value: "\(zoom)")
        }
        let start = Date()
        let norms = RowNorms(matrix: matrix, parallelism: parallelism)
        let histogram = norms.histogram(bins: bins)
        let zoomHistogram = norms.zoomHistogram(window: zoom, bins: bins)
        var result = Result(norms: norms, histogram: histogram, zoom: zoomHistogram, zoomWindowGiven: zoom != nil,
                            seconds: Date().timeIntervalSince(start), path: nil)
        if let outputDirectory {
            try write(&result, matrix: matrix, input: input, outputDirectory: outputDirectory, parallelism: parallelism)
        }
        return result
    }

    /// Writes `DIR/1.2a_norms.safetensors` with W's provenance and records its path in the result.
    public static func write(_ result: inout Result, matrix: Matrix, input: String, outputDirectory: String,
                             parallelism: Parallelism = .allCores) throws {
        var writer = try SafeTensorsWriter.stage("1.2a", parameters: [:], input: input, matrix: matrix,
                                                 outputDirectory: outputDirectory, parallelism: parallelism)
        writer.add("norms", float32: result.norms.norms.map { Float($0) })
        let file = outputDirectory + "/" + fileName
        try writer.write(to: file)
        result.path = file
    }
}
