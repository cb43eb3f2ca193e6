import Foundation
import JSON
import Report
import TensorFormats

/// Notebook 1.1a: W as its own file, `W.safetensors` = {`W`: [V, d] in the stored dtype}.
public enum ExtractStage {
    public static let fileName = "W.safetensors"

    public struct Result: Sendable {
        public var path: String
        public var sha256: String
        public var summary: JSONValue
    }

    public static func run(_ loaded: LoadedMatrix, outputDirectory: String, parallelism: Parallelism = .allCores) throws -> Result {
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
        let digest = MatrixDigest.sha256(matrix)  // from the cache
        return Result(path: path, sha256: digest, summary: [
            "step": "1.1a", "output": .string(path), "tensor": .string(loaded.tensorName),
            "source_file": .string(loaded.file), "rows": JSONValue(matrix.rows), "columns": JSONValue(matrix.columns),
            "dtype": .string(matrix.format.rawValue), "tied_embeddings": loaded.tiedEmbeddings.map { JSONValue($0) } ?? nil,
            "sha256": .string(digest),
        ])
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
