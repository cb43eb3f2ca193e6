/// `Strip`: removes up to `start` leading and `stop` trailing occurrences of `content` from each token.
struct StripDecoder: TokenDecoder {
    let content: Unicode.Scalar
    let start: Int
    let stop: Int

    init(_ c: Config) throws {
        let s = Array(try c.string("content").unicodeScalars)
        guard s.count == 1 else { throw c.error("content must be one character") }
        content = s[0]
        start = try c.int("start", default: 0)
        stop = try c.int("stop", default: 0)
    }

    func decodeChain(_ tokens: [[UInt8]], raw: Bool) -> [[UInt8]] {
        tokens.map { t in
            let chars = Array(String(decoding: t, as: UTF8.self).unicodeScalars)
            var startCut = 0
            for (i, c) in chars.prefix(start).enumerated() {
                if c == content { startCut = i + 1 } else { break }
            }
            var stopCut = chars.count
            var i = 0
            while i < stop && i < chars.count {
                let index = chars.count - i - 1
                if chars[index] == content { stopCut = index } else { break }
                i += 1
            }
            if stopCut < startCut { return [] }
            return Array(String(scalars: chars[startCut..<stopCut]).utf8)
        }
    }
}
