/// `ByteLevel`: each token's characters back to bytes (a token with a character outside the
/// alphabet keeps its own UTF-8); everything joined into one string.
struct ByteLevelDecoder: TokenDecoder {
    func decodeChain(_ tokens: [[UInt8]], raw: Bool) -> [[UInt8]] {
        var out: [UInt8] = []
        for t in tokens {
            let start = out.count
            var ok = true
            let s = String(decoding: t, as: UTF8.self)
            for c in s.unicodeScalars {
                guard let b = ByteLevelAlphabet.byte(for: c) else { ok = false; break }
                out.append(b)
            }
            if !ok {
                out.removeSubrange(start...)
                out.append(contentsOf: t)
            }
        }
        return [raw ? out : lossyUTF8(out)]
    }
}
