/// `BertNormalizer`: clean text, pad CJK ideographs with spaces, strip accents (defaults to
/// `lowercase`), lowercase — in that order, as the reference.
struct BertNormalizer: Normalizer {
    let cleanText: Bool
    let handleChineseChars: Bool
    let stripAccents: Bool
    let lowercase: Bool

    init(_ c: Config) throws {
        cleanText = try c.bool("clean_text", default: true)
        handleChineseChars = try c.bool("handle_chinese_chars", default: true)
        lowercase = try c.bool("lowercase", default: true)
        stripAccents = try c.optionalBool("strip_accents") ?? lowercase
    }

    /// The reference's ranges (they differ from Python BERT's at U+2B820).
    static func isChineseChar(_ v: UInt32) -> Bool {
        switch v {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F,
             0x2B740...0x2B81F, 0x2B920...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
            return true
        default:
            return false
        }
    }

    func normalize(_ text: String) -> String {
        var scalars: [Unicode.Scalar] = []
        scalars.reserveCapacity(text.utf8.count)
        for s in text.unicodeScalars {
            if cleanText {
                let v = s.value
                if v == 0 || v == 0xFFFD { continue }
                if v == 9 || v == 10 || v == 13 { scalars.append(" "); continue }
                if CharClass.isBertOther(s) { continue }
                if CharClass.isWhitespace(s) { scalars.append(" "); continue }
            }
            if handleChineseChars && BertNormalizer.isChineseChar(s.value) {
                scalars.append(" "); scalars.append(s); scalars.append(" ")
            } else {
                scalars.append(s)
            }
        }
        var result = String(scalars: scalars)
        if stripAccents {
            result = String(scalars: UnicodeNormalizer(form: .nfd).normalize(result).unicodeScalars.filter { !CharClass.isBertNonspacingMark($0) })
        }
        if lowercase { result = LowercaseNormalizer.lower(result) }
        return result
    }
}
