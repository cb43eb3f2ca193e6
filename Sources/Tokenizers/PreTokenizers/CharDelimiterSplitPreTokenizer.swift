/// `CharDelimiterSplit`: splits on one character, dropping it.
struct CharDelimiterSplitPreTokenizer: PreTokenizer {
    let delimiter: Unicode.Scalar

    init(_ c: Config) throws {
        let d = Array(try c.string("delimiter").unicodeScalars)
        guard d.count == 1 else { throw c.error("delimiter must be one character") }
        delimiter = d[0]
    }

    func preTokenize(_ piece: PreToken, into out: inout [PreToken]) {
        let d = delimiter
        SplitBehavior.removed.split(piece, pattern: PredicatePattern { $0 == d }, invert: false, into: &out)
    }
}
