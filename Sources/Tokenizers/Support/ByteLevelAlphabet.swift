/// GPT-2's reversible map from bytes to printable characters (`bytes_char` in the reference):
/// printable Latin-1 bytes map to themselves, the other 68 to U+0100 onwards in byte order.
enum ByteLevelAlphabet {
    static let byteToScalar: [Unicode.Scalar] = {
        var table = [Unicode.Scalar](repeating: " ", count: 256)
        var next: UInt32 = 256
        for b in 0..<256 {
            if (33...126).contains(b) || (161...172).contains(b) || (174...255).contains(b) {
                table[b] = Unicode.Scalar(UInt8(b))
            } else {
                table[b] = Unicode.Scalar(next)!
                next += 1
            }
        }
        return table
    }()

    /// Scalar value → byte + 1 (0 = not in the alphabet), for scalars below U+0144.
    static let scalarToByte: [UInt16] = {
        var table = [UInt16](repeating: 0, count: 0x144)
        for (b, s) in byteToScalar.enumerated() { table[Int(s.value)] = UInt16(b + 1) }
        return table
    }()

    @inline(__always)
    static func byte(for s: Unicode.Scalar) -> UInt8? {
        let v = Int(s.value)
        if v >= 0x144 { return nil }
        let b = scalarToByte[v]
        return b == 0 ? nil : UInt8(b - 1)
    }

    /// The byte-level form of a UTF-8 byte string.
    static func encode<C: Sequence>(_ bytes: C) -> String where C.Element == UInt8 {
        String(scalars: bytes.lazy.map { byteToScalar[Int($0)] })
    }

    /// The bytes a byte-level string stands for, or nil when a character is outside the alphabet.
    static func decode(_ s: String) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            guard let b = byte(for: c) else { return nil }
            out.append(b)
        }
        return out
    }
}
