/// `BPEDecoder`: the end-of-word suffix becomes a space, or nothing on the last token.
struct BPEDecoder: TokenDecoder {
    let suffix: String

    func decodeChain(_ tokens: [[UInt8]], raw: Bool) -> [[UInt8]] {
        let s = Array(suffix.utf8)
        return tokens.enumerated().map { i, t in
            replaceBytes(t, s, i == tokens.count - 1 ? [] : [0x20])
        }
    }
}
