/// `Prepend`: adds a prefix to every non-empty piece.
struct PrependNormalizer: Normalizer {
    let prefix: String
    func normalize(_ text: String) -> String { text.isEmpty ? text : prefix + text }
}
