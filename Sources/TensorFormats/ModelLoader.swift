import Foundation
import JSON

/// Which matrix of a model directory to read.
public enum MatrixRole: String, CaseIterable, Sendable {
    /// The output projection (`lm_head.weight`), or the input embeddings when they are tied.
    case unembedding
    /// The input embeddings (`model.embed_tokens.weight`).
    case embedding
}

/// A matrix found in a model, with what was learned on the way.
public struct LoadedMatrix: Sendable {
    public var matrix: Matrix
    /// The file the tensor lives in.
    public var file: String
    public var tensorName: String
    /// Whether input and output embeddings are one matrix; `nil` when the input is a bare file.
    public var tiedEmbeddings: Bool?
    /// The model directory, when the input was one.
    public var modelDirectory: String?
    /// The GGUF quantisation the values were expanded from ("Q8_0"); `nil` when they are the
    /// stored floats. Quantised weights are not the trained values: exact-equality findings
    /// (black holes, identical rows) may be artefacts of the quantisation.
    public var quantization: String? = nil
}

/// Finds and maps W from a safetensors file, a GGUF file (recognised by its magic) or a Hugging
/// Face model directory.
///
/// Only the shard holding the wanted tensor is mapped; the others are never opened.
public enum ModelLoader {
    /// Names tried, in order, for each role when a directory does not say more.
    static let unembeddingNames = ["lm_head.weight", "output.weight", "embed_out.weight"]
    static let embeddingNames = ["model.embed_tokens.weight", "transformer.wte.weight", "embeddings.word_embeddings.weight",
                                 "model.language_model.embed_tokens.weight", "token_embd.weight"]

    /// - Parameter parallelism: the threads that expand a quantised GGUF tensor (other tensors are
    ///   viewed in place).
    public static func load(path: String, tensor: String? = nil, role: MatrixRole = .unembedding,
                            parallelism: Parallelism = .allCores) throws -> LoadedMatrix {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw TensorFormatError(path: path, problem: .notFound)
        }
        if isDirectory.boolValue { return try loadDirectory(path, tensor: tensor, role: role) }
        let mapped = try MappedFile(path: path)
        if GGUFFile.hasMagic(mapped.bytes) { return try loadGGUF(GGUFFile(file: mapped), tensor: tensor, role: role, parallelism: parallelism) }
        let file = try SafeTensorsFile(file: mapped)
        let info: TensorInfo
        if let tensor {
            info = try file.tensor(tensor)
        } else if let w = file["W"] {
            info = w
        } else {
            let matrices = file.tensors.filter { $0.shape.count == 2 }
            guard matrices.count == 1 else {
                throw TensorFormatError(path: path, problem: matrices.isEmpty
                    ? .noMatrix("no 2-D tensor in the file")
                    : .ambiguousMatrix(candidates: Array(matrices.map(\.name).sorted().prefix(6))))
            }
            info = matrices[0]
        }
        return LoadedMatrix(matrix: try matrix(info, in: file), file: path, tensorName: info.name, tiedEmbeddings: nil, modelDirectory: nil)
    }

    /// A view of a 2-D floating-point tensor.
    public static func matrix(_ info: TensorInfo, in file: SafeTensorsFile) throws -> Matrix {
        guard info.shape.count == 2 else {
            throw TensorFormatError(path: file.path, problem: .unusableTensor(name: info.name, reason: "has shape \(info.shape); a matrix (2-D) is needed"))
        }
        guard let format = FloatFormat(info.dtype) else {
            throw TensorFormatError(path: file.path, problem: .unusableTensor(name: info.name, reason: "is \(info.dtype.rawValue); BF16, F16 or F32 is needed"))
        }
        guard info.shape[0] > 0, info.shape[1] > 0 else {
            throw TensorFormatError(path: file.path, problem: .unusableTensor(name: info.name, reason: "is empty (\(info.shape))"))
        }
        guard let base = file.data(info).baseAddress else {
            throw TensorFormatError(path: file.path, problem: .unusableTensor(name: info.name, reason: "has no data"))
        }
        return Matrix(rows: info.shape[0], columns: info.shape[1], format: format, base: base,
                      origin: "\(file.path): \(info.name)", storage: file)
    }

    /// W from a GGUF file: `output.weight`, or `token_embd.weight` when there is none (tied).
    static func loadGGUF(_ file: GGUFFile, tensor: String?, role: MatrixRole, parallelism: Parallelism) throws -> LoadedMatrix {
        let output = file.tensor(named: "output.weight")
        let embedding = file.tensor(named: "token_embd.weight")
        let tied = output == nil
        let info: GGUFTensorInfo
        if let tensor {
            guard let found = file.tensor(named: tensor) else {
                throw TensorFormatError(path: file.path, problem: .noSuchTensor(names: [tensor], available: Array(file.tensors.map(\.name).sorted().prefix(8))))
            }
            info = found
        } else {
            switch role {
            case .unembedding:
                guard let chosen = output ?? embedding else {
                    throw TensorFormatError(path: file.path, problem: .noMatrix("no output.weight or token_embd.weight tensor"))
                }
                info = chosen
            case .embedding:
                guard let embedding else { throw TensorFormatError(path: file.path, problem: .noMatrix("no token_embd.weight tensor")) }
                info = embedding
            }
        }
        let matrix = try file.matrix(info, parallelism: parallelism)
        return LoadedMatrix(matrix: matrix, file: file.path, tensorName: info.name, tiedEmbeddings: tied, modelDirectory: nil,
                            quantization: info.type.floatFormat == nil ? info.type.name : nil)
    }

    static func loadDirectory(_ directory: String, tensor: String?, role: MatrixRole) throws -> LoadedMatrix {
        let config = try readJSON(directory + "/config.json", required: false)
        // Hugging Face's default for tie_word_embeddings is true; many configs omit it.
        let tiedSetting = config?["tie_word_embeddings"]?.boolValue
            ?? config?["text_config"]?["tie_word_embeddings"]?.boolValue

        // tensor name → shard file
        var shardOf: [String: String] = [:]
        let indexPath = directory + "/model.safetensors.index.json"
        if let index = try readJSON(indexPath, required: false) {
            guard let map = index["weight_map"]?.objectValue else {
                throw TensorFormatError(path: indexPath, problem: .malformed("no weight_map object"))
            }
            for member in map {
                guard let shard = member.value.stringValue, !shard.contains("/"), shard != "..", !shard.isEmpty else {
                    throw TensorFormatError(path: indexPath, problem: .malformed("invalid shard name for \"\(member.key)\""))
                }
                shardOf[member.key] = shard
            }
        } else if FileManager.default.fileExists(atPath: directory + "/model.safetensors") {
            let file = try SafeTensorsFile(path: directory + "/model.safetensors")
            for info in file.tensors { shardOf[info.name] = "model.safetensors" }
        } else {
            throw TensorFormatError(path: directory, problem: .noMatrix("no model.safetensors or model.safetensors.index.json"))
        }

        let name: String
        let tied: Bool
        if let tensor {
            name = tensor
            tied = tiedSetting ?? (shardOf.keys.contains { unembeddingNames.contains($0) } == false)
        } else {
            let unembedding = unembeddingNames.first { shardOf[$0] != nil }
            let embedding = embeddingNames.first { shardOf[$0] != nil }
            tied = unembedding == nil ? (tiedSetting ?? true) : false
            switch role {
            case .embedding:
                guard let embedding else { throw TensorFormatError(path: directory, problem: .noMatrix("no input embedding tensor (tried \(embeddingNames.joined(separator: ", ")))")) }
                name = embedding
            case .unembedding:
                if let unembedding {
                    name = unembedding
                } else if tied, let embedding {
                    name = embedding
                } else {
                    throw TensorFormatError(path: directory, problem: .noMatrix(tiedSetting == false
                        ? "no lm_head.weight, and config.json says the embeddings are not tied"
                        : "no output or embedding matrix found"))
                }
            }
        }
        guard let shard = shardOf[name] else {
            throw TensorFormatError(path: directory, problem: .noSuchTensor(names: [name], available: Array(shardOf.keys.sorted().prefix(8))))
        }
        let shardPath = directory + "/" + shard
        let file = try SafeTensorsFile(path: shardPath)
        let info = try file.tensor(name)
        return LoadedMatrix(matrix: try matrix(info, in: file), file: shardPath, tensorName: name, tiedEmbeddings: tied, modelDirectory: directory)
    }

    static func readJSON(_ path: String, required: Bool) throws -> JSONValue? {
        guard FileManager.default.fileExists(atPath: path) else {
            if required { throw TensorFormatError(path: path, problem: .notFound) }
            return nil
        }
        let file = try MappedFile(path: path)
        switch JSONParser().parseBuffer(file.bytes) {
        case .success(let value): return value
        case .failure(let error): throw TensorFormatError(path: path, problem: .malformed(error.description))
        }
    }
}
