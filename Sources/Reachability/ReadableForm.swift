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
        bytes.withUnsafeBufferPointer { readable($0) }
    }

    /// The readable form of valid text (see ``of(_:)-([UInt8])``): controls escaped.
    public static func of(_ text: String) -> String {
        var text = text
        return text.withUTF8 { readable($0) }
    }

    /// Built as bytes: appending scalar by scalar to a `String` was most of writing the token table.
    private static func readable(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 8)
        append(bytes, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// The readable form of `bytes` appended to `out` as UTF-8.
    static func append(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            // Printable ASCII but the backslash stands for itself.
            if byte >= 0x20 && byte < 0x7F && byte != 0x5C {
                out.append(byte)
                i += 1
                continue
            }
            switch utf8Step(bytes, at: i) {
            case .scalar(let scalar, let length):
                appendVisible(scalar, encodedAs: UnsafeBufferPointer(rebasing: bytes[i..<(i + length)]), to: &out)
                i += length
            case .invalid(let length, _):
                for b in bytes[i..<(i + length)] { appendHexByte(b, to: &out) }
                i += length
            }
        }
    }
}

@inline(__always)
private func appendVisible(_ scalar: Unicode.Scalar, encodedAs utf8: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
    switch scalar.value {
    case 0x0A: out += [0x5C, UInt8(ascii: "n")]
    case 0x09: out += [0x5C, UInt8(ascii: "t")]
    case 0x0D: out += [0x5C, UInt8(ascii: "r")]
    case 0x5C: out += [0x5C, 0x5C]
    case 0x00...0x1F, 0x7F: appendHexByte(UInt8(scalar.value), to: &out)
    case 0x80...0x9F, 0x2028, 0x2029: out += Array(codePoint(scalar.value).utf8)
    default: out.append(contentsOf: utf8)
    }
}

private let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

/// `<0xHH>`, upper-case hex.
private func appendHexByte(_ b: UInt8, to out: inout [UInt8]) {
    out += [UInt8(ascii: "<"), UInt8(ascii: "0"), UInt8(ascii: "x"), hexDigits[Int(b >> 4)], hexDigits[Int(b & 0xF)], UInt8(ascii: ">")]
}

private func codePoint(_ v: UInt32) -> String {
    let hex = String(v, radix: 16, uppercase: true)
    return "<U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + ">"
}
