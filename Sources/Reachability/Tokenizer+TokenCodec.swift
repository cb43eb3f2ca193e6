import Tokenizers

extension Tokenizer: TokenCodec {
    public func decodeKeepingSpecialTokens(_ ids: [Int]) -> String { decode(ids, skipSpecialTokens: false) }
}
