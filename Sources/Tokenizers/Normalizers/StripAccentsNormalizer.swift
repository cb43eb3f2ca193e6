/// `StripAccents`: removes every combining mark (Mn, Mc, Me: the reference's `is_combining_mark`).
/// It does not decompose; pair it with NFD. (BERT's own accent stripping removes only Mn.)
/// The reference's mark table is Unicode 9.0: marks assigned later are kept, as there.
struct StripAccentsNormalizer: Normalizer {
    func normalize(_ text: String) -> String {
        String(scalars: text.unicodeScalars.filter { !StripAccentsNormalizer.isOldMark($0) })
    }

    static func isOldMark(_ s: Unicode.Scalar) -> Bool {
        guard CharClass.isMark(s) else { return false }
        if let age = s.properties.age, age.major > 9 { return false }
        return true
    }
}
