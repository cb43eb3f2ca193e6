/// `WhitespaceSplit`: splits on Unicode whitespace, dropping it.
struct WhitespaceSplitPreTokenizer: PreTokenizer {
    func preTokenize(_ piece: PreToken, into out: inout [PreToken]) {
        SplitBehavior.removed.split(piece, pattern: PredicatePattern { CharClass.isWhitespace($0) }, invert: false, into: &out)
    }
}
