/// The script class of a token (notebook 1.10d): one Unicode script, or a class for tokens that
/// have none or several.
///
/// Han, Hiragana, Katakana and Bopomofo are merged into ``cjk`` so that Japanese text mixing kanji
/// and kana is one class; Hangul stays its own class (as in the SPEC's list). Every other main
/// script keeps its Unicode name (``UnicodeScript/name``).
public struct TokenScript: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Han, Hiragana, Katakana, Bopomofo.
    public static let cjk = TokenScript(rawValue: "CJK")
    /// Characters of two or more script classes (Common and Inherited ignored).
    public static let mixed = TokenScript(rawValue: "Mixed")
    /// Only White_Space characters.
    public static let whitespace = TokenScript(rawValue: "Whitespace")
    /// Only Common/Inherited characters (digits, punctuation, symbols, marks), not all whitespace.
    public static let common = TokenScript(rawValue: "Common")
    /// The decoded bytes are not valid UTF-8 (a fragment of a character).
    public static let bytes = TokenScript(rawValue: "Bytes")
    /// A special added token.
    public static let special = TokenScript(rawValue: "Special")
    /// The token decodes to no bytes.
    public static let empty = TokenScript(rawValue: "Empty")
    public static let latin = TokenScript(rawValue: "Latin")
    public static let cyrillic = TokenScript(rawValue: "Cyrillic")
    public static let arabic = TokenScript(rawValue: "Arabic")
    public static let thai = TokenScript(rawValue: "Thai")
    public static let hangul = TokenScript(rawValue: "Hangul")

    /// The class of a single script.
    public init(_ script: UnicodeScript) {
        switch script {
        case .han, .hiragana, .katakana, .bopomofo: self = .cjk
        default: self.init(rawValue: script.name)
        }
    }

    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
    public var description: String { rawValue }
}

extension TokenScript {
    /// The script class of a token from its decoded bytes.
    ///
    /// Special tokens are ``TokenScript/special``; bytes that are not valid UTF-8 are
    /// ``TokenScript/bytes``; otherwise the scripts of the characters decide, ignoring Common and
    /// Inherited: none → ``TokenScript/whitespace`` if every character is White_Space, else
    /// ``TokenScript/common``; one → that script; several → ``TokenScript/mixed``.
    ///
    /// ```swift
    /// TokenScript.classify(Array(" мир".utf8))   // Cyrillic
    /// TokenScript.classify(Array("東京です".utf8)) // CJK
    /// ```
    public static func classify(_ bytes: [UInt8], isSpecial: Bool = false) -> TokenScript {
        if isSpecial { return .special }
        if bytes.isEmpty { return .empty }
        var found: UnicodeScript? = nil
        var mixed = false
        var allWhitespace = true
        var i = 0
        while i < bytes.count {
            guard case .scalar(let scalar, let length) = utf8Step(bytes, at: i) else { return .bytes }
            i += length
            let script = UnicodeScript(of: scalar)
            if script == .common || script == .inherited {
                if allWhitespace && !isWhiteSpace(scalar) { allWhitespace = false }
                continue
            }
            allWhitespace = false
            let merged = cjkMerged(script)
            if let f = found { if f != merged { mixed = true } } else { found = merged }
        }
        if mixed { return .mixed }
        if let f = found { return TokenScript(f) }
        return allWhitespace ? .whitespace : .common
    }
}

/// White_Space, with ASCII (tab to carriage return, and space) answered without the Unicode
/// property lookup, which was a tenth of building the token table: most tokens start with a space.
@inline(__always)
private func isWhiteSpace(_ scalar: Unicode.Scalar) -> Bool {
    scalar.value < 0x80 ? scalar.value == 0x20 || (0x09...0x0D).contains(scalar.value) : scalar.properties.isWhitespace
}

// Maps the CJK scripts to one representative so that comparing classes is comparing scripts.
@inline(__always)
private func cjkMerged(_ s: UnicodeScript) -> UnicodeScript {
    switch s {
    case .hiragana, .katakana, .bopomofo: return .han
    default: return s
    }
}
