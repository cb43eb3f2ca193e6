/// `Strip`: removes leading and/or trailing Unicode whitespace.
struct StripNormalizer: Normalizer {
    let left: Bool
    let right: Bool

    func normalize(_ text: String) -> String {
        var s = Array(text.unicodeScalars)[...]
        if left { while let f = s.first, CharClass.isWhitespace(f) { s = s.dropFirst() } }
        if right { while let l = s.last, CharClass.isWhitespace(l) { s = s.dropLast() } }
        return String(scalars: s)
    }
}
