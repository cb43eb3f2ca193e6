import Tokenizers

extension Tokenizer: TokenCodec {
    public func decodeKeepingSpecialTokens(_ ids: [Int]) -> String { decode(ids, skipSpecialTokens: false) }

    /// The marker of word-internal pieces, which the witness search completes with a word before it.
    public var continuingSubwordPrefix: String? { modelKind == "WordPiece" ? "##" : nil }
}
