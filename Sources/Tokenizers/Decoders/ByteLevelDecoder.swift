/// `ByteLevel`: each token's characters back to bytes (a token with a character outside the
/// alphabet keeps its own UTF-8); everything joined into one string.
struct ByteLevelDecoder: TokenDecoder {
    func decodeChain(_ tokens: [[UInt8]], raw: Bool) -> [[UInt8]] {
        var out: [UInt8] = []
        out.reserveCapacity(tokens.count * 4)
        for t in tokens { t.withUnsafeBufferPointer { ByteLevelDecoder.append($0, to: &out) } }
        return [raw ? out : lossyUTF8(out)]
    }

    /// Appends one token's bytes: its characters mapped back, or its own UTF-8 when one of them is
    /// outside the alphabet.
    static func append(_ token: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        let table = ByteLevelAlphabet.scalarToByte
        let start = out.count
        var i = 0
        // The alphabet lies below U+0144: one- or two-byte UTF-8 only.
        while i < token.count {
            let b0 = token[i]
            var v: Int
            if b0 < 0x80 {
                v = Int(b0); i += 1
            } else if b0 & 0xE0 == 0xC0 && i + 1 < token.count {
                v = Int(b0 & 0x1F) << 6 | Int(token[i + 1] & 0x3F); i += 2
            } else {
                break
            }
            let b = v < table.count ? table[v] : 0
            if b == 0 { i = -1; break }
            out.append(UInt8(b - 1))
        }
        if i != token.count {
            out.removeSubrange(start...)
            out.append(contentsOf: token)
        }
    }
}
