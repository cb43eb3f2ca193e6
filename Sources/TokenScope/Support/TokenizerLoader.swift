import Foundation
import TensorFormats
import Tokenizers

/// Finds a tokenizer from what a user points at.
public enum TokenizerLoader {
    /// A `tokenizer.json`, a model directory holding one, a GGUF file (its `tokenizer.ggml.*`
    /// vocabulary), or a tiktoken rank file (`.tiktoken`, which needs its pre-tokenisation `pattern`).
    ///
    /// A vocabulary whose ids leave gaps is refused: the reference library loads it, but the ids in
    /// the gaps decode to nothing, and every per-id population would count them wrongly.
    public static func load(path: String, pattern: String? = nil) throws -> Tokenizer {
        let tokenizer = try loadUnchecked(path: path, pattern: pattern)
        let missing = (0..<tokenizer.idCount).filter { tokenizer.tokenString($0) == nil }
        guard missing.isEmpty else {
            let shown = missing.prefix(5).map(String.init).joined(separator: ", ") + (missing.count > 5 ? ", …" : "")
            throw StageError("\(path): the vocabulary's ids have gaps: \(missing.count) of 0..<\(tokenizer.idCount) have no token (\(shown))")
        }
        return tokenizer
    }

    static func loadUnchecked(path: String, pattern: String?) throws -> Tokenizer {
        guard FileManager.default.fileExists(atPath: path) else {
            throw StageError("\(path): no such file or directory")
        }
        try MappedFile.requireRegularFileOrDirectory(path)
        if path.hasSuffix(".tiktoken") {
            guard let pattern else {
                throw StageError("\(path): a .tiktoken rank file needs its pre-tokenisation regex: pass --pattern")
            }
            return try Tokenizer.tiktoken(contentsOf: URL(fileURLWithPath: path), pattern: pattern)
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue, try isGGUF(path) {
            do {
                return try Tokenizer(json: GGUFTokenizerJSON.make(from: GGUFFile(path: path)))
            } catch let error as TokenizerError {
                throw StageError("\(path): \(error)")
            }
        }
        return try Tokenizer(contentsOf: URL(fileURLWithPath: path))
    }

    static func isGGUF(_ path: String) throws -> Bool {
        let file = try MappedFile(path: path)
        return withExtendedLifetime(file) { GGUFFile.hasMagic(file.bytes) }
    }
}
