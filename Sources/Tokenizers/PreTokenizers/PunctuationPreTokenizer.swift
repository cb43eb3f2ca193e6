/// `Punctuation`: splits on ASCII and Unicode punctuation with a behaviour (default isolated).
struct PunctuationPreTokenizer: PreTokenizer {
    let behavior: SplitBehavior

    init(_ c: Config) throws {
        let b = try c.optionalString("behavior") ?? "Isolated"
        guard let behavior = SplitBehavior(rawValue: b) else { throw c.error("unknown split behavior \"\(b)\"") }
        self.behavior = behavior
    }

    func preTokenize(_ piece: PreToken, into out: inout [PreToken]) {
        behavior.split(piece, pattern: PredicatePattern { CharClass.isBertPunctuation($0) }, invert: false, into: &out)
    }
}
