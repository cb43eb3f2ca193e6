import Foundation
import Geometry
import JSON
import TensorFormats

/// Notebook 1.2a: the L2 norm of every row, its statistics and histograms. Writes nothing unless
/// asked; then `1.2a_norms.safetensors` = {`norms`: F32 [V]} (NaN or +∞ for non-finite rows).
public enum NormStage {
    public static let fileName = "1.2a_norms.safetensors"

    public struct Result: Sendable {
        public var norms: RowNorms
        public var histogram: LinearHistogram?
        public var zoom: LinearHistogram?
        public var path: String?
        public var summary: JSONValue
    }

    /// - Parameters:
    ///   - zoom: the zoom histogram's window; by default the 1st to 99th percentile.
    ///   - outputDirectory: where to write the norms file, or `nil` for none.
    public static func run(matrix: Matrix, input: String, bins: Int = 100, zoom: ClosedRange<Double>? = nil,
                           outputDirectory: String? = nil) throws -> Result {
        guard bins > 0 else { throw StageError("a histogram needs at least one bin (got \(bins))") }
        if let zoom, !(zoom.lowerBound.isFinite && zoom.upperBound.isFinite) {
            throw StageError("the zoom window must be finite (got \(zoom))")
        }
        let start = Date()
        let norms = RowNorms(matrix: matrix)
        let histogram = norms.histogram(bins: bins)
        let zoomHistogram = norms.zoomHistogram(window: zoom, bins: bins)
        let seconds = Date().timeIntervalSince(start)
        var path: String?
        if let outputDirectory {
            try FileManager.default.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true)
            var writer = SafeTensorsWriter(metadata: Provenance(step: "1.2a", parameters: [:], input: input,
                                                                inputSHA256: MatrixDigest.sha256(matrix)).metadata)
            writer.add("norms", float32: norms.norms.map { Float($0) })
            let file = outputDirectory + "/" + fileName
            try writer.write(to: file)
            path = file
        }
        let note: JSONValue = norms.statistics != nil ? nil
            : .string(matrix.rows == 0 ? "W has no rows: no statistics" : "no row of W is finite: no statistics")
        let summary: JSONValue = [
            "step": "1.2a", "output": path.map { JSONValue.string($0) } ?? nil, "rows": JSONValue(matrix.rows),
            "statistics": norms.statistics?.json ?? nil,
            "non_finite_rows_skipped": JSONValue(norms.nonFiniteRows),
            "histogram": histogram?.json ?? nil,
            "zoom": zoomHistogram?.json ?? nil,
            "zoom_window": zoom == nil ? "1st to 99th percentile" : "given",
            "note": note, "seconds": JSONValue(seconds),
        ]
        return Result(norms: norms, histogram: histogram, zoom: zoomHistogram, path: path, summary: summary)
    }
}
