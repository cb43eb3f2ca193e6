/// `WordPiece`: later tokens lose a leading prefix or gain a space; optional cleanup of spaces
/// before punctuation and contractions, per token.
struct WordPieceDecoder: TokenDecoder {
    let prefix: String
    let cleanup: Bool

    init(_ c: Config) throws {
        prefix = try c.optionalString("prefix") ?? "##"
        cleanup = try c.bool("cleanup", default: true)
    }

    static func cleanup(_ s: String) -> String {
        s.replacingAll(" .", ".").replacingAll(" ?", "?").replacingAll(" !", "!").replacingAll(" ,", ",")
            .replacingAll(" ' ", "'").replacingAll(" n't", "n't").replacingAll(" 'm", "'m")
            .replacingAll(" do not", " don't").replacingAll(" 's", "'s").replacingAll(" 've", "'ve")
            .replacingAll(" 're", "'re")
    }

    func decodeChain(_ tokens: [[UInt8]], raw: Bool) -> [[UInt8]] {
        let p = Array(prefix.utf8)
        return tokens.enumerated().map { i, t in
            var t = t
            if i != 0 {
                if t.starts(with: p) { t.removeFirst(p.count) } else { t.insert(0x20, at: 0) }
            }
            if cleanup { return Array(WordPieceDecoder.cleanup(String(decoding: t, as: UTF8.self)).utf8) }
            return t
        }
    }
}

extension String {
    /// Replaces every non-overlapping occurrence, left to right, comparing scalars (not Characters).
    func replacingAll(_ target: String, _ replacement: String) -> String {
        let s = Array(unicodeScalars)
        return String(scalars: ReplaceNormalizer.replace(s, pattern: LiteralPattern(target), with: Array(replacement.unicodeScalars)))
    }
}
