import Foundation
import Geometry
import JSON
import TensorFormats

/// Notebook 1.4b: pairwise distances among a selection, written (by `write`) as
/// `1.4b_overdensity_distances.safetensors` = {`distances`: F32 [n, n], `spike_token_ids`: I64 [n]}.
/// Exact (from the differences) for every pair that can lie below `exactBelow` (4 T for the
/// census threshold T by default), the Gram form within its proven bound above it
/// (`PairwiseDistances`).
///
/// The only stage that holds an n × n matrix, and only on request: it is allocated once, filled in
/// place (upper triangle, mirrored), kept by the result and written from that buffer without a
/// copy, so the peak is n²·4 bytes. Streaming row blocks instead would halve nothing that matters and double the work
/// (each block would recompute the half the symmetry gives for free).
public enum DistanceStage {
    public static let fileName = "1.4b_overdensity_distances.safetensors"
    /// Keys accepted for the selection, in order of preference.
    public static let idKeys = ["spike_token_ids", "cluster_token_ids", "candidate_token_ids"]
    /// Above this many bytes of distances the caller must confirm (`allowLarge`).
    public static let confirmationBytes = 1_000_000_000
    /// Distances that can lie below this are exact: four census thresholds, the range the census reads.
    public static let defaultExactBelow = 4 * Double(ClusterParameters().threshold)

    public struct Result: StageResult, Sendable {
        /// The selection, ascending.
        public var ids: [Int]
        /// Where the ids came from, as the caller named it; nil: given.
        public var idSource: String?
        /// Pairs that can lie below this distance are exact (`PairwiseDistances`).
        public var exactBelow: Double
        /// The SIMD path the kernels used.
        public var simd: SIMDPath
        /// Off-diagonal pairs, `n(n − 1)/2`.
        public var pairs: Int
        /// Pairs computed from the differences (the exact path).
        public var exactPairs: Int
        /// Off-diagonal pairs whose distance is not finite (a row holding NaN or infinity).
        public var nonFinitePairs: Int
        /// The smallest and largest finite off-diagonal distance; nil when there is none.
        public var distanceRange: ClosedRange<Float>?
        /// The mean finite off-diagonal distance; nil when there is none.
        public var meanDistance: Double?
        public var seconds: Double
        /// The distances file, once `write` wrote it.
        public var path: String?
        /// The n × n distances, held until the result goes so that `write` needs no copy.
        let distances: FloatBuffer

        /// The distance between `ids[i]` and `ids[j]`.
        public func distance(_ i: Int, _ j: Int) -> Float { distances.values[i * ids.count + j] }

        /// The JSON summary, encoded from the fields above.
        public var summary: JSONValue {
            [
                "step": "1.4b", "output": path.map { JSONValue.string($0) } ?? nil, "ids": JSONValue(ids.count),
                "id_source": .string(idSourceName), "bytes": JSONValue(byteCount(rows: ids.count)), "pairs": JSONValue(pairs),
                "non_finite_pairs": JSONValue(nonFinitePairs),
                "min_distance": distanceRange.map { JSONValue($0.lowerBound) } ?? nil,
                "max_distance": distanceRange.map { JSONValue($0.upperBound) } ?? nil,
                "mean_distance": meanDistance.map { JSONValue($0) } ?? nil,
                "exact_below": exactBelowJSON, "exact_pairs": JSONValue(exactPairs), "simd": .string(simd.description),
                "seconds": JSONValue(seconds),
            ]
        }

        /// The ids' source and exact range as the summary and the file's provenance name them.
        var idSourceName: String { idSource ?? "given" }
        var exactBelowJSON: JSONValue { exactBelow.isFinite ? JSONValue(exactBelow) : "every pair" }
    }

    public static func byteCount(rows n: Int) -> Int { n * n * 4 }

    /// - Parameter outputDirectory: where to write the distances file (`write`), or `nil` for none.
    public static func run(matrix: Matrix, input: String, ids: [Int], idSource: String? = nil, allowLarge: Bool = false,
                           exactBelow: Double = defaultExactBelow, simd: SIMDPath = .best,
                           outputDirectory: String? = nil, parallelism: Parallelism = .allCores,
                           progress: ((String, Double) -> Void)? = nil) throws -> Result {
        let ids = ids.sorted()
        if let bad = ids.first(where: { $0 < 0 || $0 >= matrix.rows }) {
            throw StageError.idOutOfRange(id: bad, rowCount: matrix.rows)
        }
        for i in ids.indices.dropFirst() where ids[i] == ids[i - 1] { throw StageError.duplicateID(ids[i]) }
        let n = ids.count
        let bytes = byteCount(rows: n)
        if bytes > confirmationBytes, !allowLarge {
            throw StageError.needsInput(.consentToLargeOutput, reason: "\(n) ids make a \(n) × \(n) F32 matrix of \(formatBytes(bytes)) "
                                         + "(memory and file); it is computed only when confirmed")
        }
        let start = Date()
        // More than the machine holds could only thrash or be killed; a refused allocation is
        // said, not trapped on.
        guard UInt64(bytes) <= ProcessInfo.processInfo.physicalMemory, let buffer = FloatBuffer(count: n * n) else {
            throw StageError.outputTooLarge(what: "\(n) ids make a \(n) × \(n) F32 matrix", bytes: bytes,
                                           physicalMemory: Int(clamping: ProcessInfo.processInfo.physicalMemory))
        }
        let counts = PairwiseDistances.fill(matrix: matrix, rows: ids, into: buffer.values, exactBelow: exactBelow, path: simd,
                                            parallelism: parallelism, progress: progress)
        let seconds = Date().timeIntervalSince(start)

        var low = Float.infinity, high = -Float.infinity, sum = 0.0, counted = 0, nonFinite = 0
        for i in 0..<n {
            for j in (i + 1)..<max(i + 1, n) {
                let v = buffer.values[i * n + j]
                guard v.isFinite else { nonFinite += 1; continue }
                low = min(low, v)
                high = max(high, v)
                sum += Double(v)
                counted += 1
            }
        }
        var result = Result(ids: ids, idSource: idSource, exactBelow: exactBelow, simd: simd.usable, pairs: n * (n - 1) / 2,
                            exactPairs: counts.exactPairs, nonFinitePairs: nonFinite, distanceRange: counted > 0 ? low...high : nil,
                            meanDistance: counted > 0 ? sum / Double(counted) : nil, seconds: seconds, path: nil, distances: buffer)
        if let outputDirectory {
            progress?("writing \(fileName)", 0)
            try write(&result, matrix: matrix, input: input, outputDirectory: outputDirectory, parallelism: parallelism)
        }
        return result
    }

    /// Writes `DIR/1.4b_overdensity_distances.safetensors` from the result's buffer, with W's
    /// provenance, and records its path in the result.
    public static func write(_ result: inout Result, matrix: Matrix, input: String, outputDirectory: String,
                             parallelism: Parallelism = .allCores) throws {
        let n = result.ids.count
        var writer = try SafeTensorsWriter.stage(
            "1.4b", parameters: ["ids": .string(result.idSourceName), "exact_below": result.exactBelowJSON], input: input,
            matrix: matrix, outputDirectory: outputDirectory, parallelism: parallelism)
        writer.add("distances", dtype: .f32, shape: [n, n], borrowing: UnsafeRawBufferPointer(result.distances.values),
                   owner: result.distances)
        writer.add("spike_token_ids", int64: result.ids)
        let path = outputDirectory + "/" + fileName
        try writer.write(to: path)
        result.path = path
    }

    public static func formatBytes(_ bytes: Int) -> String {
        bytes >= 1 << 30 ? String(format: "%.2f GiB", Double(bytes) / Double(1 << 30))
            : bytes >= 1 << 20 ? String(format: "%.1f MiB", Double(bytes) / Double(1 << 20)) : "\(bytes) bytes"
    }
}

/// Heap floats that live as long as the writer holding them.
final class FloatBuffer: @unchecked Sendable {
    let values: UnsafeMutableBufferPointer<Float>
    /// Nil when the allocation is refused (Swift's own allocator would stop the process).
    init?(count: Int) {
        guard let raw = calloc(max(count, 1), MemoryLayout<Float>.size) else { return nil }
        values = UnsafeMutableBufferPointer(start: raw.assumingMemoryBound(to: Float.self), count: count)
    }
    deinit { free(values.baseAddress) }
}
