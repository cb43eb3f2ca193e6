/// `Lowercase`: each scalar's full lowercase mapping, with no context (no final sigma), as the reference.
struct LowercaseNormalizer: Normalizer {
    func normalize(_ text: String) -> String {
        LowercaseNormalizer.lower(text)
    }

    static func lower(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 < 0x80 && !($0 >= 0x41 && $0 <= 0x5A) }) { return text }
        var view = String.UnicodeScalarView()
        for s in text.unicodeScalars {
            if s.value < 0x80 {
                view.append(s.value >= 0x41 && s.value <= 0x5A ? Unicode.Scalar(s.value | 0x20)! : s)
            } else {
                view.append(contentsOf: s.properties.lowercaseMapping.unicodeScalars)
            }
        }
        return String(view)
    }
}
