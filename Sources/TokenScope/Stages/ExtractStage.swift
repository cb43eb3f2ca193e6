import Foundation
import JSON
import Report
import TensorFormats

/// Notebook 1.1a: W as its own file, `W.safetensors` = {`W`: [V, d] in the stored dtype}, written
/// by `write`; the result describes W and holds its digest.
public enum ExtractStage {
    public static let fileName = "W.safetensors"

    public struct Result: StageResult, Sendable {
        public var loaded: LoadedMatrix
        /// W's digest (`MatrixDigest`).
        public var sha256: String
        /// `W.safetensors`, once `write` wrote it.
        public var path: String?

        /// The JSON summary, encoded from the fields above.
        public var summary: JSONValue {
            let matrix = loaded.matrix
            return [
                "step": "1.1a", "output": path.map { JSONValue.string($0) } ?? nil, "tensor": .string(loaded.tensorName),
                "source_file": .string(loaded.file), "rows": JSONValue(matrix.rows), "columns": JSONValue(matrix.columns),
                "dtype": .string(matrix.format.rawValue), "tied_embeddings": loaded.tiedEmbeddings.map { JSONValue($0) } ?? nil,
                "sha256": .string(sha256),
            ]
        }
    }

    /// - Parameter outputDirectory: where to write `W.safetensors` (`write`), or `nil` for none.
    public static func run(_ loaded: LoadedMatrix, outputDirectory: String? = nil, parallelism: Parallelism = .allCores) throws -> Result {
        // Written first, the file's data overlaps the digest; the result then takes it from the cache.
        let path = try outputDirectory.map { try writeFile(loaded, outputDirectory: $0, parallelism: parallelism) }
        return Result(loaded: loaded, sha256: MatrixDigest.sha256(loaded.matrix, parallelism: parallelism), path: path)
    }

    /// Writes `DIR/W.safetensors` with its provenance and records its path in the result.
    public static func write(_ result: inout Result, outputDirectory: String, parallelism: Parallelism = .allCores) throws {
        result.path = try writeFile(result.loaded, outputDirectory: outputDirectory, parallelism: parallelism)
    }

    private static func writeFile(_ loaded: LoadedMatrix, outputDirectory: String, parallelism: Parallelism) throws -> String {
        try FileManager.default.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true)
        let matrix = loaded.matrix
        // The digest goes in the header, which comes first in the file; the header is completed in
        // place afterwards. With a second thread the digest is computed on the other threads while
        // the data is written; with one, after it.
        let hashing = DispatchGroup()
        if parallelism.threads > 1 {
            let others = Parallelism(threads: parallelism.threads - 1)
            DispatchQueue.global().async(group: hashing) { _ = MatrixDigest.sha256(matrix, parallelism: others) }
        }
        func metadata(_ sha256: String) -> [String: String] {
            Provenance(step: "1.1a", parameters: ["tensor": .string(loaded.tensorName)],
                       input: loaded.modelDirectory ?? loaded.file, inputSHA256: sha256).metadata
        }
        // Placeholders of the final length, so completing the header rewrites it in place rather
        // than the whole file.
        let placeholder = String(repeating: "0", count: 64)
        var placeholderMetadata = metadata(placeholder)
        if MatrixDigest.isRegistered(matrix) { placeholderMetadata["input_file_sha256"] = placeholder }
        var writer = SafeTensorsWriter(metadata: placeholderMetadata)
        writer.add("W", matrix: matrix)
        let path = outputDirectory + "/" + fileName
        try writer.write(to: path, completingMetadata: {
            hashing.wait()
            return metadata(MatrixDigest.sha256(matrix, parallelism: parallelism))  // with two threads or more: from the cache
        })
        return path
    }
}

extension LoadedMatrix {
    /// One line for people: "W: 151,936 × 2,560 BF16 (lm_head.weight, untied)".
    public var headline: String {
        let tie = tiedEmbeddings.map { $0 ? ", tied embeddings" : ", untied" } ?? ""
        return "W: \(NumberFormat.grouped(matrix.rows)) × \(NumberFormat.grouped(matrix.columns)) \(matrix.format.rawValue) (\(tensorName)\(tie))"
    }

    /// V, d, dtype, tied: what every command prints first.
    public var description: JSONValue {
        ["source": .string(modelDirectory ?? file), "tensor": .string(tensorName), "rows": JSONValue(matrix.rows),
         "columns": JSONValue(matrix.columns), "dtype": .string(matrix.format.rawValue),
         "tied_embeddings": tiedEmbeddings.map { JSONValue($0) } ?? nil]
    }
}
