/// `ByteLevel`: each token's characters back to bytes (a token with a character outside the
/// alphabet keeps its own UTF-8); everything joined into one string.
struct ByteLevelDecoder: TokenDecoder {
    func decodeChain(_ tokens: [[UInt8]], raw: Bool) -> [[UInt8]] {
        var out: [UInt8] = []
        out.reserveCapacity(tokens.count * 4)
        let table = ByteLevelAlphabet.scalarToByte
        for t in tokens {
            let start = out.count
            var ok = true
            var i = 0
            // The alphabet lies below U+0144: one- or two-byte UTF-8 only.
            while i < t.count {
                let b0 = t[i]
                var v: Int
                if b0 < 0x80 {
                    v = Int(b0); i += 1
                } else if b0 & 0xE0 == 0xC0 && i + 1 < t.count {
                    v = Int(b0 & 0x1F) << 6 | Int(t[i + 1] & 0x3F); i += 2
                } else {
                    ok = false; break
                }
                let b = v < table.count ? table[v] : 0
                if b == 0 { ok = false; break }
                out.append(UInt8(b - 1))
            }
            if !ok {
                out.removeSubrange(start...)
                out.append(contentsOf: t)
            }
        }
        return [raw ? out : lossyUTF8(out)]
    }
}
