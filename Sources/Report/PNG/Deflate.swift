/// A DEFLATE (RFC 1951) compressor inside a zlib (RFC 1950) wrapper, written here so that the report
/// needs no library to embed PNG images.
///
/// LZ77 matching over a 32 KiB window (hash chains, greedy with one step of lazy evaluation), then per
/// block the smallest of three encodings: stored, fixed Huffman codes, or dynamic Huffman codes.
/// Output is a pure function of the input bytes.
///
///     let z = Deflate.zlib(Array(repeating: 0, count: 1000))   // 0x78 0x01 … adler32
public enum Deflate {
    /// A zlib stream (CMF/FLG header, DEFLATE data, big-endian Adler-32) holding `data`.
    public static func zlib(_ data: [UInt8]) -> [UInt8] {
        // CMF 0x78: method 8 (deflate), 32 KiB window; FLG 0x01 makes (CMF·256 + FLG) a multiple of 31.
        var out: [UInt8] = [0x78, 0x01]
        out += deflate(data)
        let a = Checksum.adler32(data)
        out += [UInt8(a >> 24), UInt8((a >> 16) & 0xFF), UInt8((a >> 8) & 0xFF), UInt8(a & 0xFF)]
        return out
    }

    /// Raw DEFLATE data for `data`, no wrapper.
    public static func deflate(_ data: [UInt8]) -> [UInt8] {
        let tokens = LZ77.tokens(data)
        var writer = BitWriter()
        // Blocks of at most 2^15 tokens keep each Huffman code adapted to its stretch of the input.
        let blockTokens = 1 << 15
        var start = 0
        var byteStart = 0
        repeat {
            let end = min(start + blockTokens, tokens.count)
            let slice = tokens[start..<end]
            var byteCount = 0
            for t in slice { byteCount += Token.isMatch(t) ? Token.length(t) : 1 }
            let isFinal = end == tokens.count
            HuffmanBlock.write(slice, raw: data[byteStart..<(byteStart + byteCount)], final: isFinal, into: &writer)
            start = end
            byteStart += byteCount
        } while start < tokens.count
        return writer.finish()
    }
}

/// An LZ77 token packed in 32 bits: a literal byte (bit 31 clear) or a match (bit 31 set, length in
/// bits 16–24, distance in bits 0–15 minus one).
enum Token {
    static func literal(_ b: UInt8) -> UInt32 { UInt32(b) }
    static func match(length: Int, distance: Int) -> UInt32 {
        0x8000_0000 | (UInt32(length) << 16) | UInt32(distance - 1)
    }
    static func isMatch(_ t: UInt32) -> Bool { t & 0x8000_0000 != 0 }
    static func length(_ t: UInt32) -> Int { Int((t >> 16) & 0x1FF) }
    static func distance(_ t: UInt32) -> Int { Int(t & 0xFFFF) + 1 }
}

/// The tables of RFC 1951 §3.2.5 that map lengths and distances to symbols and extra bits.
enum DeflateTables {
    static let lengthBase: [Int] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59,
                                    67, 83, 99, 115, 131, 163, 195, 227, 258]
    static let lengthExtra: [Int] = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3,
                                     4, 4, 4, 4, 5, 5, 5, 5, 0]
    static let distanceBase: [Int] = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385,
                                      513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
    static let distanceExtra: [Int] = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8,
                                       9, 9, 10, 10, 11, 11, 12, 12, 13, 13]
    /// Index into `lengthBase` for every length 3…258.
    static let lengthCode: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 259)
        for code in 0..<29 {
            let hi = code == 28 ? 258 : lengthBase[code + 1] - 1
            for len in lengthBase[code]...hi where len <= 258 { table[len] = UInt8(code) }
        }
        // Length 258 has its own code (285) although 227 + 31 also reaches it; RFC 1951 requires 285.
        table[258] = 28
        return table
    }()
    static func distanceCode(_ d: Int) -> Int {
        // Binary search: 30 codes.
        var lo = 0, hi = 29
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if distanceBase[mid] <= d { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }
    /// Transmission order of the code-length code lengths (RFC 1951 §3.2.7).
    static let codeLengthOrder: [Int] = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]
}

/// Bits packed least-significant first, as DEFLATE requires.
struct BitWriter {
    private(set) var bytes: [UInt8] = []
    private var buffer: UInt64 = 0
    private var count = 0

    /// Appends the low `n` bits of `value` (n ≤ 32), first bit first.
    mutating func write(_ value: UInt32, _ n: Int) {
        buffer |= UInt64(value) << UInt64(count)
        count += n
        while count >= 8 {
            bytes.append(UInt8(truncatingIfNeeded: buffer))
            buffer >>= 8
            count -= 8
        }
    }

    /// Appends a Huffman code, which DEFLATE sends most-significant bit first.
    mutating func writeCode(_ code: UInt32, _ length: Int) {
        var reversed: UInt32 = 0
        var c = code
        for _ in 0..<length {
            reversed = (reversed << 1) | (c & 1)
            c >>= 1
        }
        write(reversed, length)
    }

    /// Pads to a byte boundary with zero bits.
    mutating func alignToByte() {
        if count > 0 { write(0, 8 - count) }
    }

    mutating func appendAligned(_ raw: ArraySlice<UInt8>) {
        bytes.append(contentsOf: raw)
    }

    mutating func finish() -> [UInt8] {
        alignToByte()
        return bytes
    }

    /// Number of bits written so far.
    var bitCount: Int { bytes.count * 8 + count }
}
