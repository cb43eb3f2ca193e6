/// `Replace`: every match of a pattern in each token becomes `content`.
struct ReplaceDecoder: TokenDecoder {
    let pattern: ScalarPattern
    let content: [Unicode.Scalar]

    init(_ c: Config) throws {
        pattern = try PatternFactory.make(try c.pattern("pattern"), component: c.path)
        content = Array(try c.string("content").unicodeScalars)
    }

    func decodeChain(_ tokens: [[UInt8]], raw: Bool) -> [[UInt8]] {
        tokens.map { t in
            let s = Array(String(decoding: t, as: UTF8.self).unicodeScalars)
            return Array(String(scalars: ReplaceNormalizer.replace(s, pattern: pattern, with: content)).utf8)
        }
    }
}
