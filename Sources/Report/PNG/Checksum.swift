/// The two checksums a PNG file needs: CRC-32 (ISO 3309, over every chunk) and Adler-32 (RFC 1950, over
/// the zlib stream's uncompressed bytes).
public enum Checksum {
    // Reflected polynomial 0xEDB88320, one table entry per byte value, built once.
    private static let crcTable: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = (c & 1) != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    /// CRC-32 of `bytes`, continuing from `crc` (pass the result of a previous call to checksum in pieces).
    ///
    ///     Checksum.crc32(Array("123456789".utf8)) == 0xCBF4_3926
    public static func crc32<C: Collection>(_ bytes: C, continuing crc: UInt32 = 0) -> UInt32 where C.Element == UInt8 {
        var c = ~crc
        for b in bytes { c = crcTable[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        return ~c
    }

    /// Adler-32 of `bytes` (RFC 1950 §8).
    ///
    ///     Checksum.adler32(Array("Wikipedia".utf8)) == 0x11E6_0398
    public static func adler32(_ bytes: [UInt8]) -> UInt32 {
        var a: UInt32 = 1
        var b: UInt32 = 0
        var i = 0
        // 5552 is the largest run for which b cannot overflow 32 bits before the modulo (zlib's NMAX).
        while i < bytes.count {
            let end = min(i + 5552, bytes.count)
            while i < end {
                a &+= UInt32(bytes[i])
                b &+= a
                i += 1
            }
            a %= 65521
            b %= 65521
        }
        return (b << 16) | a
    }
}
