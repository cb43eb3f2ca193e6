/// `Fuse`: all tokens joined into one.
struct FuseDecoder: TokenDecoder {
    func decodeChain(_ tokens: [[UInt8]], raw: Bool) -> [[UInt8]] {
        [Array(tokens.joined())]
    }
}
