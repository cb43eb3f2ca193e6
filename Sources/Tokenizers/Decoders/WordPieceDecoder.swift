/// `WordPiece`: later tokens lose a leading prefix or gain a space; optional cleanup of spaces
/// before punctuation and contractions, per token.
struct WordPieceDecoder: TokenDecoder {
    let prefix: String
    let cleanup: Bool

    init(_ c: Config) throws {
        prefix = try c.optionalString("prefix") ?? "##"
        cleanup = try c.bool("cleanup", default: true)
    }

    static let cleanups: [([UInt8], [UInt8])] = [
        (" .", "."), (" ?", "?"), (" !", "!"), (" ,", ","), (" ' ", "'"), (" n't", "n't"), (" 'm", "'m"),
        (" do not", " don't"), (" 's", "'s"), (" 've", "'ve"), (" 're", "'re"),
    ].map { (Array($0.0.utf8), Array($0.1.utf8)) }

    static func cleanup(_ t: [UInt8]) -> [UInt8] {
        var t = t
        for (a, b) in cleanups { t = replaceBytes(t, a, b) }
        return t
    }

    func decodeChain(_ tokens: [[UInt8]], raw: Bool) -> [[UInt8]] {
        let p = Array(prefix.utf8)
        return tokens.enumerated().map { i, t in
            var t = t
            if i != 0 {
                if t.starts(with: p) { t.removeFirst(p.count) } else { t.insert(0x20, at: 0) }
            }
            if cleanup { return WordPieceDecoder.cleanup(t) }
            return t
        }
    }
}

