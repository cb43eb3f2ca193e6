/// `Split`: a string or regex pattern with a delimiter behaviour, optionally inverted.
struct SplitPreTokenizer: PreTokenizer {
    let pattern: ScalarPattern
    let behavior: SplitBehavior
    let invert: Bool

    init(_ c: Config) throws {
        pattern = try PatternFactory.make(try c.pattern("pattern"), component: c.path)
        let b = try c.string("behavior")
        guard let behavior = SplitBehavior(rawValue: b) else { throw c.error("unknown split behavior \"\(b)\"") }
        self.behavior = behavior
        invert = try c.bool("invert", default: false)
    }

    init(pattern: ScalarPattern, behavior: SplitBehavior, invert: Bool = false) {
        self.pattern = pattern
        self.behavior = behavior
        self.invert = invert
    }

    func preTokenize(_ piece: PreToken, into out: inout [PreToken]) {
        behavior.split(piece, pattern: pattern, invert: invert, into: &out)
    }
}
