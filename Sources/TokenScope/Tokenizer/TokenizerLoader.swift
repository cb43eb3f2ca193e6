import Foundation
import TensorFormats
import Tokenizers

/// Finds a tokenizer from what a user points at.
public enum TokenizerLoader {
    /// A `tokenizer.json`, a model directory holding one (or, without one, a SentencePiece
    /// `tokenizer.model`), a SentencePiece `.model` file, a GGUF file (its `tokenizer.ggml.*`
    /// vocabulary), or a tiktoken rank file (`.tiktoken`, which needs its pre-tokenisation `pattern`).
    ///
    /// A vocabulary whose ids leave gaps loads, as in the reference library: an id no token holds
    /// is a "no token" id in the reachability lists, like a row of W past the tokenizer.
    /// `parallelism`: the threads that resolve BPE merges.
    public static func load(path: String, pattern: String? = nil, parallelism: Parallelism = .allCores) throws -> Tokenizer {
        guard FileManager.default.fileExists(atPath: path) else {
            throw TensorFormatError(path: path, problem: .notFound)
        }
        try MappedFile.requireRegularFileOrDirectory(path)
        if path.hasSuffix(".tiktoken") {
            guard let pattern else {
                throw StageError.needsInput(.pretokenizationPattern, reason: "\(path): a .tiktoken rank file needs its pre-tokenisation regex")
            }
            return try Tokenizer.tiktoken(path: path, pattern: pattern)
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue, try isGGUF(path) {
            do {
                return try Tokenizer(json: GGUFTokenizerJSON.make(from: GGUFFile(path: path)), parallelism: parallelism)
            } catch let error as TokenizerError {
                throw error.inFile(path)
            }
        }
        // A SentencePiece model: a `.model` file, or a model directory with no tokenizer.json.
        let sentencePiece = isDirectory.boolValue ? path + "/tokenizer.model" : path
        if sentencePiece.hasSuffix(".model"),
           !isDirectory.boolValue || !FileManager.default.fileExists(atPath: path + "/tokenizer.json"),
           FileManager.default.fileExists(atPath: sentencePiece) {
            return try Tokenizer.sentencePiece(path: sentencePiece, parallelism: parallelism)
        }
        return try Tokenizer(path: path, parallelism: parallelism)
    }

    /// For a GGUF file, which normalisation semantics its vocabulary is read with (a GGUF carries
    /// no normaliser: see `GGUFTokenizerJSON.semantics`); nil for any other tokenizer.
    public static func semantics(path: String) -> String? {
        guard (try? isGGUF(path)) == true, let file = try? GGUFFile(path: path) else { return nil }
        return GGUFTokenizerJSON.semantics(of: file)
    }

    static func isGGUF(_ path: String) throws -> Bool {
        let file = try MappedFile(path: path)
        return withExtendedLifetime(file) { GGUFFile.hasMagic(file.bytes) }
    }
}
