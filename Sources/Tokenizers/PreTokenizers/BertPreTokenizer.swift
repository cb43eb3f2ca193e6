/// `BertPreTokenizer`: splits on whitespace (removed), then isolates each punctuation character.
struct BertPreTokenizer: PreTokenizer {
    func preTokenize(_ piece: PreToken, into out: inout [PreToken]) {
        var words: [PreToken] = []
        SplitBehavior.removed.split(piece, pattern: PredicatePattern { CharClass.isWhitespace($0) }, invert: false, into: &words)
        let punct = PredicatePattern { CharClass.isBertPunctuation($0) }
        for w in words { SplitBehavior.isolated.split(w, pattern: punct, invert: false, into: &out) }
    }
}
