/// `Replace`: every match of a pattern in each token becomes `content`.
struct ReplaceDecoder: TokenDecoder {
    let pattern: ScalarPattern
    let content: [Unicode.Scalar]
    /// The literal of a `{"String": ...}` pattern, replaced on bytes.
    let literal: [UInt8]?

    init(_ c: Config) throws {
        let spec = try c.pattern("pattern")
        pattern = try PatternFactory.make(spec, component: c.path)
        content = Array(try c.string("content").unicodeScalars)
        if case .string(let s) = spec { literal = Array(s.utf8) } else { literal = nil }
    }

    func decodeChain(_ tokens: [[UInt8]], raw: Bool) -> [[UInt8]] {
        if let literal {
            let with = Array(String(scalars: content).utf8)
            return tokens.map { replaceBytes($0, literal, with) }
        }
        return tokens.map { t in
            let s = Array(String(decoding: t, as: UTF8.self).unicodeScalars)
            return Array(String(scalars: ReplaceNormalizer.replace(s, pattern: pattern, with: content)).utf8)
        }
    }
}
