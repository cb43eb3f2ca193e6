import Foundation
import Geometry
import JSON
import TensorFormats

/// Notebook 1.4b: pairwise distances among a selection, written as
/// `1.4b_overdensity_distances.safetensors` = {`distances`: F32 [n, n], `spike_token_ids`: I64 [n]}.
/// Exact (from the differences) for every pair that can lie below `exactBelow` (4 T for the
/// census threshold T by default), the Gram form within its proven bound above it
/// (`PairwiseDistances`).
///
/// The only stage that holds an n × n matrix, and only on request: it is allocated once, filled in
/// place (upper triangle, mirrored) and written from that buffer without a copy, so the peak is
/// n²·4 bytes. Streaming row blocks instead would halve nothing that matters and double the work
/// (each block would recompute the half the symmetry gives for free).
public enum DistanceStage {
    public static let fileName = "1.4b_overdensity_distances.safetensors"
    /// Keys accepted for the selection, in order of preference.
    public static let idKeys = ["spike_token_ids", "cluster_token_ids", "candidate_token_ids"]
    /// Above this many bytes of distances the caller must confirm (`allowLarge`).
    public static let confirmationBytes = 1_000_000_000
    /// Distances that can lie below this are exact: four census thresholds, the range the census reads.
    public static let defaultExactBelow = 4 * Double(ClusterParameters().threshold)

    public struct Result: Sendable {
        public var ids: [Int]
        public var path: String
        /// Off-diagonal pairs, `n(n − 1)/2`.
        public var pairs: Int
        /// Pairs computed from the differences (the exact path).
        public var exactPairs: Int
        /// The smallest and largest finite off-diagonal distance; nil when there is none.
        public var distanceRange: ClosedRange<Float>?
        public var summary: JSONValue
    }

    public static func byteCount(rows n: Int) -> Int { n * n * 4 }

    public static func run(matrix: Matrix, input: String, ids: [Int], idSource: String? = nil, allowLarge: Bool = false,
                           exactBelow: Double = defaultExactBelow, simd: SIMDPath = .best,
                           outputDirectory: String, parallelism: Parallelism = .allCores,
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
        try FileManager.default.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true)
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
        let exactRange: JSONValue = exactBelow.isFinite ? JSONValue(exactBelow) : "every pair"

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
        progress?("writing \(fileName)", 0)
        var writer = SafeTensorsWriter(metadata: Provenance(
            step: "1.4b", parameters: ["ids": .string(idSource ?? "given"), "exact_below": exactRange], input: input,
            inputSHA256: MatrixDigest.sha256(matrix, parallelism: parallelism)).metadata)
        writer.add("distances", dtype: .f32, shape: [n, n], borrowing: UnsafeRawBufferPointer(buffer.values), owner: buffer)
        writer.add("spike_token_ids", int64: ids)
        let path = outputDirectory + "/" + fileName
        try writer.write(to: path)
        return Result(ids: ids, path: path, pairs: n * (n - 1) / 2, exactPairs: counts.exactPairs,
                      distanceRange: counted > 0 ? low...high : nil, summary: [
            "step": "1.4b", "output": .string(path), "ids": JSONValue(n), "id_source": .string(idSource ?? "given"),
            "bytes": JSONValue(bytes), "pairs": JSONValue(n * (n - 1) / 2 ), "non_finite_pairs": JSONValue(nonFinite),
            "min_distance": counted > 0 ? JSONValue(low) : nil, "max_distance": counted > 0 ? JSONValue(high) : nil,
            "mean_distance": counted > 0 ? JSONValue(sum / Double(counted)) : nil,
            "exact_below": exactRange, "exact_pairs": JSONValue(counts.exactPairs), "simd": .string(simd.usable.description),
            "seconds": JSONValue(seconds),
        ])
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
