/// `Whitespace`: the reference's `\w+|[^\w\s]+`, keeping the matches.
struct WhitespacePreTokenizer: PreTokenizer {
    struct Pattern: ScalarPattern {
        func findMatches(in t: UnsafeBufferPointer<Unicode.Scalar>, _ found: (Int, Int) -> Void) {
            var i = 0
            let n = t.count
            while i < n {
                let c = CharClass.of(t[i])
                if c & CharClass.word != 0 {
                    var j = i + 1
                    while j < n && CharClass.isWord(t[j]) { j += 1 }
                    found(i, j); i = j
                } else if c & CharClass.whitespace == 0 {
                    var j = i + 1
                    while j < n && CharClass.of(t[j]) & (CharClass.word | CharClass.whitespace) == 0 { j += 1 }
                    found(i, j); i = j
                } else {
                    i += 1
                }
            }
        }
    }

    func preTokenize(_ piece: PreToken, into out: inout [PreToken]) {
        SplitBehavior.removed.split(piece, pattern: Pattern(), invert: true, into: &out)
    }
}
