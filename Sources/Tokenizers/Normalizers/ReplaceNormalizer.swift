/// `Replace`: every match of a literal or regex pattern becomes `content`.
struct ReplaceNormalizer: Normalizer {
    let pattern: ScalarPattern
    let content: [Unicode.Scalar]

    init(_ c: Config) throws {
        pattern = try PatternFactory.make(try c.pattern("pattern"), component: c.path)
        content = Array(try c.string("content").unicodeScalars)
    }

    init(pattern: ScalarPattern, content: String) {
        self.pattern = pattern
        self.content = Array(content.unicodeScalars)
    }

    func normalize(_ text: String) -> String {
        String(scalars: ReplaceNormalizer.replace(Array(text.unicodeScalars), pattern: pattern, with: content))
    }

    static func replace(_ s: [Unicode.Scalar], pattern: ScalarPattern, with content: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(s.count)
        var prev = 0
        s.withUnsafeBufferPointer { buf in
            pattern.findMatches(in: buf) { start, end in
                out.append(contentsOf: buf[prev..<start])
                out.append(contentsOf: content)
                prev = end
            }
        }
        out.append(contentsOf: s[prev...])
        return out
    }
}
