/// `Sequence`: the normalizers in order.
struct SequenceNormalizer: Normalizer {
    let stages: [Normalizer]
    func normalize(_ text: String) -> String {
        var t = text
        for s in stages { t = s.normalize(t) }
        return t
    }
}
