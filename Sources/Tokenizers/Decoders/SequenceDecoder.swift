/// `Sequence`: the decoders in order.
struct SequenceDecoder: TokenDecoder {
    let stages: [TokenDecoder]
    func decodeChain(_ tokens: [[UInt8]], raw: Bool) -> [[UInt8]] {
        var t = tokens
        for s in stages { t = s.decodeChain(t, raw: raw) }
        return t
    }
}
