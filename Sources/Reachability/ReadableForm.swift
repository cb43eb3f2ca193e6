/// The readable form of tokens (notebook 1.7a): what a table shows for bytes that may not be text.
public enum ReadableForm {
    /// The readable form of a token's decoded bytes (notebook 1.7a).
    ///
    /// - Valid characters are shown as themselves.
    /// - Each byte of a maximal invalid subpart is shown as `<0xE0>` (upper-case hex), so
    ///   `[E0 B8 41 F0 9F 98 C0 80]` reads `<0xE0><0xB8>A<0xF0><0x9F><0x98><0xC0><0x80>`.
    /// - Control characters are made visible: `\n`, `\t`, `\r`; other C0 controls and DEL as their
    ///   byte (`<0x00>`, `<0x7F>`); C1 controls and the line/paragraph separators as `<U+0085>`,
    ///   `<U+2028>`, `<U+2029>` (they are valid characters, not stray bytes).
    /// - A backslash is doubled, so `\n` always means a newline and `\\n` a backslash and an `n`.
    ///
    /// The form is for reading, not a reversible encoding: a token that literally holds `<0xE0>`
    /// reads the same as the invalid byte.
    public static func of(_ bytes: [UInt8]) -> String {
        var out = ""
        out.reserveCapacity(bytes.count + 8)
        var i = 0
        while i < bytes.count {
            switch utf8Step(bytes, at: i) {
            case .scalar(let scalar, let length):
                appendVisible(scalar, to: &out)
                i += length
            case .invalid(let length, _):
                for b in bytes[i..<(i + length)] { out += hexByte(b) }
                i += length
            }
        }
        return out
    }

    /// The readable form of valid text (see ``of(_:)-([UInt8])``): controls escaped.
    public static func of(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars { appendVisible(scalar, to: &out) }
        return out
    }
}

@inline(__always)
private func appendVisible(_ scalar: Unicode.Scalar, to out: inout String) {
    switch scalar.value {
    case 0x0A: out += "\\n"
    case 0x09: out += "\\t"
    case 0x0D: out += "\\r"
    case 0x5C: out += "\\\\"
    case 0x00...0x1F, 0x7F: out += hexByte(UInt8(scalar.value))
    case 0x80...0x9F, 0x2028, 0x2029: out += codePoint(scalar.value)
    default: out.unicodeScalars.append(scalar)
    }
}

private let hexDigits: [Character] = Array("0123456789ABCDEF")

private func hexByte(_ b: UInt8) -> String {
    "<0x" + String(hexDigits[Int(b >> 4)]) + String(hexDigits[Int(b & 0xF)]) + ">"
}

private func codePoint(_ v: UInt32) -> String {
    let hex = String(v, radix: 16, uppercase: true)
    return "<U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + ">"
}
