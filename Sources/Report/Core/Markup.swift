/// Escaping for text placed in HTML and SVG (both parsed as XML-compatible markup here).
///
///     Markup.escape("<|endoftext|> & \"x\"")   // "&lt;|endoftext|&gt; &amp; &quot;x&quot;"
///     Markup.escape("a\u{0}b")                  // "a\\x00b"
public enum Markup {
    /// `s` safe as element text or as a quoted attribute value: `& < > " '` become entities, and
    /// characters that XML 1.0 and HTML forbid or hide (C0 and C1 controls other than tab, line feed
    /// and carriage return; DEL; U+FFFE, U+FFFF) become visible stand-ins: `\x1B`-style hex text for
    /// the controls (plain ASCII renders in every font, unlike the control pictures ␀…␟), U+FFFD for
    /// the two non-characters.
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for u in s.unicodeScalars {
            switch u.value {
            case 0x26: out += "&amp;"
            case 0x3C: out += "&lt;"
            case 0x3E: out += "&gt;"
            case 0x22: out += "&quot;"
            case 0x27: out += "&#39;"
            case 0x09, 0x0A, 0x0D: out.unicodeScalars.append(u)
            case 0x00...0x1F, 0x7F...0x9F: out += "\\x" + hex2(u.value)
            case 0xFFFE, 0xFFFF: out += "\u{FFFD}"
            default: out.unicodeScalars.append(u)
            }
        }
        return out
    }

    /// Like ``escape(_:)`` but whitespace made visible too, for showing token strings: space → ␣,
    /// tab → ⇥ (U+21E5), line feed → ↵ (U+21B5), carriage return → ␍.
    public static func escapeToken(_ s: String) -> String {
        var t = ""
        for u in s.unicodeScalars {
            switch u.value {
            case 0x20: t += "\u{2423}"
            case 0x09: t += "\u{21E5}"
            case 0x0A: t += "\u{21B5}"
            case 0x0D: t += "\u{240D}"
            default: t.unicodeScalars.append(u)
            }
        }
        return escape(t)
    }

    private static func hex2(_ v: UInt32) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int((v >> 4) & 0xF)], digits[Int(v & 0xF)]])
    }
}
