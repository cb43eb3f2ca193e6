/// `ByteFallback`: runs of `<0xHH>` tokens become the text of their bytes, or one U+FFFD per
/// byte when the run is not valid UTF-8.
struct ByteFallbackDecoder: TokenDecoder {
    /// The byte of a `<0xHH>` token (Rust's `u8::from_str_radix` on the two characters).
    static func byte(_ t: [UInt8]) -> UInt8? {
        guard t.count == 6, t[0] == 0x3C, t[1] == 0x30, t[2] == 0x78, t[5] == 0x3E else { return nil }
        func hex(_ c: UInt8) -> UInt8? {
            switch c {
            case 0x30...0x39: return c - 0x30
            case 0x41...0x46: return c - 0x41 + 10
            case 0x61...0x66: return c - 0x61 + 10
            default: return nil
            }
        }
        if t[3] == 0x2B { return hex(t[4]) }  // "+H" parses in Rust
        guard let h = hex(t[3]), let l = hex(t[4]) else { return nil }
        return h << 4 | l
    }

    func decodeChain(_ tokens: [[UInt8]], raw: Bool) -> [[UInt8]] {
        var out: [[UInt8]] = []
        var pending: [UInt8] = []
        func flush() {
            if pending.isEmpty { return }
            // Valid UTF-8 exactly when lossy decoding changes nothing (`String(validating:)` needs macOS 15).
            if raw || String(decoding: pending, as: UTF8.self).utf8.elementsEqual(pending) {
                out.append(pending)
            } else {
                for _ in pending { out.append([0xEF, 0xBF, 0xBD]) }
            }
            pending.removeAll()
        }
        for t in tokens {
            if let b = ByteFallbackDecoder.byte(t) {
                pending.append(b)
            } else {
                flush()
                out.append(t)
            }
        }
        flush()
        return out
    }
}
