/// `StripAccents`: removes nonspacing marks (Mn). It does not decompose; pair it with NFD.
struct StripAccentsNormalizer: Normalizer {
    func normalize(_ text: String) -> String {
        String(scalars: text.unicodeScalars.filter { !CharClass.isNonspacingMark($0) })
    }
}
