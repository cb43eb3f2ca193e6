import Foundation
import Tokenizers

/// Finds a tokenizer from what a user points at.
public enum TokenizerLoader {
    /// A `tokenizer.json`, a model directory holding one, or a tiktoken rank file (`.tiktoken`,
    /// which needs its pre-tokenisation `pattern`).
    public static func load(path: String, pattern: String? = nil) throws -> Tokenizer {
        guard FileManager.default.fileExists(atPath: path) else {
            throw StageError("\(path): no such file or directory")
        }
        if path.hasSuffix(".tiktoken") {
            guard let pattern else {
                throw StageError("\(path): a .tiktoken rank file needs its pre-tokenisation regex: pass --pattern")
            }
            return try Tokenizer.tiktoken(contentsOf: URL(fileURLWithPath: path), pattern: pattern)
        }
        return try Tokenizer(contentsOf: URL(fileURLWithPath: path))
    }
}
