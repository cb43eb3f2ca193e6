/// `Metaspace`: spaces become the replacement character (`▁`), which is prepended per
/// `prepend_scheme`; with `split` the piece is cut before each replacement character.
struct MetaspacePreTokenizer: PreTokenizer {
    enum PrependScheme: String { case always, first, never }
    let replacement: Unicode.Scalar
    let scheme: PrependScheme
    let split: Bool

    init(_ c: Config) throws {
        let r = Array((try c.optionalString("replacement") ?? "\u{2581}").unicodeScalars)
        guard r.count == 1 else { throw c.error("replacement must be one character") }
        replacement = r[0]
        scheme = try MetaspacePreTokenizer.scheme(c)
        split = try c.bool("split", default: true)
    }

    /// `prepend_scheme` (default "always"); the legacy `add_prefix_space: false` is accepted only
    /// with "never", as the reference.
    static func scheme(_ c: Config) throws -> PrependScheme {
        var scheme = PrependScheme.always
        if let s = try c.optionalString("prepend_scheme") {
            guard let parsed = PrependScheme(rawValue: s) else { throw c.error("unknown prepend_scheme \"\(s)\"") }
            scheme = parsed
        }
        if let add = try c.optionalBool("add_prefix_space"), !add, scheme != .never {
            throw c.error("add_prefix_space false does not match prepend_scheme \"\(scheme.rawValue)\"")
        }
        return scheme
    }

    func preTokenize(_ piece: PreToken, into out: inout [PreToken]) {
        var scalars = piece.scalars
        for k in scalars.indices where scalars[k] == " " { scalars[k] = replacement }
        let prepend: Bool
        switch scheme {
        case .always: prepend = true
        case .first: prepend = piece.isFirst
        case .never: prepend = false
        }
        if prepend && scalars.first != replacement { scalars.insert(replacement, at: 0) }
        let p = PreToken(scalars: scalars, isFirst: piece.isFirst)
        if split {
            let r = replacement
            SplitBehavior.mergedWithNext.split(p, pattern: PredicatePattern { $0 == r }, invert: false, into: &out)
        } else if !scalars.isEmpty {
            out.append(p)
        }
    }
}
