/// `Digits`: separates numeric characters (Nd, Nl, No) from the rest, one by one or in runs.
struct DigitsPreTokenizer: PreTokenizer {
    let individualDigits: Bool

    init(_ c: Config) throws {
        individualDigits = try c.bool("individual_digits", default: false)
    }

    func preTokenize(_ piece: PreToken, into out: inout [PreToken]) {
        let behavior: SplitBehavior = individualDigits ? .isolated : .contiguous
        behavior.split(piece, pattern: PredicatePattern { CharClass.isNumber($0) }, invert: false, into: &out)
    }
}
