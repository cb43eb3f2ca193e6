/// Unicode character classes used by the pre-tokenizers, normalizers and the pattern scanner.
///
/// The Basic Multilingual Plane is tabulated once (64 KiB, built on first use) because the scanners
/// ask for every scalar of the input; the rest of the code space asks `Unicode.Scalar.Properties`.
/// Classes follow the reference's engines: `\s` (Oniguruma and Rust) is the White_Space property,
/// `\w` (Rust `regex`, used by added-token `single_word` and the `Whitespace` pre-tokenizer) is
/// Alphabetic, marks, decimal digits, connector punctuation and Join_Control.
enum CharClass {
    static let letter: UInt8 = 1
    static let number: UInt8 = 2
    static let whitespace: UInt8 = 4
    static let word: UInt8 = 8
    static let punctuation: UInt8 = 16
    static let nonspacingMark: UInt8 = 32
    static let other: UInt8 = 64  // Cc, Cf, Co, Cs: what BERT's clean_text drops
    static let mark: UInt8 = 128  // Mn, Mc, Me: what `StripAccents` drops

    static let bmp: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 0x10000)
        for v in 0..<0x10000 {
            guard let s = Unicode.Scalar(UInt32(v)) else { continue }
            table[v] = compute(s)
        }
        return table
    }()

    static func compute(_ s: Unicode.Scalar) -> UInt8 {
        let p = s.properties
        var bits: UInt8 = 0
        switch p.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            bits |= letter
        case .decimalNumber:
            bits |= number | word
        case .letterNumber, .otherNumber:
            bits |= number
        case .nonspacingMark:
            bits |= nonspacingMark | mark | word
        case .spacingMark, .enclosingMark:
            bits |= mark | word
        case .connectorPunctuation:
            bits |= punctuation | word
        case .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
             .finalPunctuation, .otherPunctuation:
            bits |= punctuation
        case .control, .format, .privateUse, .surrogate:
            bits |= other
        default:
            break
        }
        if p.isWhitespace { bits |= whitespace }
        if p.isAlphabetic || p.isJoinControl { bits |= word }
        return bits
    }

    @inline(__always)
    static func of(_ s: Unicode.Scalar) -> UInt8 {
        let v = s.value
        if v < 0x10000 { return bmp.withUnsafeBufferPointer { $0[Int(v)] } }
        return compute(s)
    }

    @inline(__always) static func isLetter(_ s: Unicode.Scalar) -> Bool { of(s) & letter != 0 }
    @inline(__always) static func isNumber(_ s: Unicode.Scalar) -> Bool { of(s) & number != 0 }
    @inline(__always) static func isWhitespace(_ s: Unicode.Scalar) -> Bool { of(s) & whitespace != 0 }
    @inline(__always) static func isWord(_ s: Unicode.Scalar) -> Bool { of(s) & word != 0 }
    @inline(__always) static func isPunctuation(_ s: Unicode.Scalar) -> Bool { of(s) & punctuation != 0 }
    @inline(__always) static func isMark(_ s: Unicode.Scalar) -> Bool { of(s) & mark != 0 }
    @inline(__always) static func isNonspacingMark(_ s: Unicode.Scalar) -> Bool { of(s) & nonspacingMark != 0 }

    /// Whether the scalar was assigned by Unicode 8.0, the version of the `unicode_categories`
    /// tables the reference uses for BERT and `Punctuation` (checked: U+2E42 is punctuation there,
    /// U+2E43 of Unicode 9.0 is not; U+1E94A, a 9.0 Mn, is not stripped as an accent).
    @inline(__always)
    static func inUnicode8(_ s: Unicode.Scalar) -> Bool {
        guard let age = s.properties.age else { return false }
        return age.major < 8 || (age.major == 8 && age.minor == 0)
    }

    /// Rust's `char::is_ascii_punctuation() || is_punctuation()` (BERT, `Punctuation`), with the
    /// reference's Unicode 8.0 table. Symbols such as `€` are not punctuation.
    @inline(__always)
    static func isBertPunctuation(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v < 0x80 {
            return (v >= 33 && v <= 47) || (v >= 58 && v <= 64) || (v >= 91 && v <= 96) || (v >= 123 && v <= 126)
        }
        return isPunctuation(s) && inUnicode8(s)
    }

    /// `unicode_categories`' `is_mark_nonspacing` (Unicode 8.0), for BERT's accent stripping.
    @inline(__always)
    static func isBertNonspacingMark(_ s: Unicode.Scalar) -> Bool { isNonspacingMark(s) && inUnicode8(s) }

    /// `unicode_categories`' `is_other` (Cc, Cf, Co, Cs as of Unicode 8.0), for BERT's clean_text.
    @inline(__always)
    static func isBertOther(_ s: Unicode.Scalar) -> Bool { of(s) & other != 0 && inUnicode8(s) }
}
