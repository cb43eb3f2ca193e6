// A small DEFLATE/zlib decoder (after Mark Adler's puff.c) so that the tests can check that the PNG
// encoder's streams decode to the right bytes without any library.

struct InflateError: Error, CustomStringConvertible {
    var description: String
}

struct Inflate {
    private let data: [UInt8]
    private var pos = 0
    private var bitBuffer = 0
    private var bitCount = 0
    private var out: [UInt8] = []

    private init(_ data: [UInt8], start: Int) {
        self.data = data
        pos = start
    }

    /// Decodes a zlib stream: header checks, DEFLATE data, Adler-32 check.
    static func zlib(_ z: [UInt8]) throws -> [UInt8] {
        try zlibDetailed(z).bytes
    }

    /// Like ``zlib(_:)``, also returning the DEFLATE block types met (0 stored, 1 fixed, 2 dynamic).
    static func zlibDetailed(_ z: [UInt8]) throws -> (bytes: [UInt8], blockTypes: [Int]) {
        guard z.count >= 6 else { throw InflateError(description: "too short") }
        guard z[0] & 0x0F == 8, (Int(z[0]) * 256 + Int(z[1])) % 31 == 0, z[1] & 0x20 == 0 else {
            throw InflateError(description: "bad zlib header")
        }
        var inf = Inflate(z, start: 2)
        try inf.run()
        let end = inf.pos
        guard end + 4 <= z.count else { throw InflateError(description: "missing Adler-32") }
        let stored = UInt32(z[end]) << 24 | UInt32(z[end + 1]) << 16 | UInt32(z[end + 2]) << 8 | UInt32(z[end + 3])
        guard stored == referenceAdler32(inf.out) else { throw InflateError(description: "Adler-32 mismatch") }
        guard end + 4 == z.count else { throw InflateError(description: "trailing bytes") }
        return (inf.out, inf.blockTypes)
    }

    /// Adler-32 by its definition, independent of the module's implementation.
    static func referenceAdler32(_ bytes: [UInt8]) -> UInt32 {
        var a = 1, b = 0
        for x in bytes {
            a = (a + Int(x)) % 65521
            b = (b + a) % 65521
        }
        return UInt32(b << 16 | a)
    }

    private mutating func bits(_ n: Int) throws -> Int {
        while bitCount < n {
            guard pos < data.count else { throw InflateError(description: "out of input") }
            bitBuffer |= Int(data[pos]) << bitCount
            pos += 1
            bitCount += 8
        }
        let v = bitBuffer & ((1 << n) - 1)
        bitBuffer >>= n
        bitCount -= n
        return v
    }

    private struct Huffman {
        var count = [Int](repeating: 0, count: 16)
        var symbol: [Int] = []
        init(_ lengths: [Int]) throws {
            for l in lengths { count[l] += 1 }
            var left = 1
            for len in 1..<16 {
                left = left * 2 - count[len]
                if left < 0 { throw InflateError(description: "over-subscribed code") }
            }
            var offs = [Int](repeating: 0, count: 16)
            for len in 1..<15 { offs[len + 1] = offs[len] + count[len] }
            symbol = [Int](repeating: 0, count: lengths.count)
            for (s, l) in lengths.enumerated() where l != 0 {
                symbol[offs[l]] = s
                offs[l] += 1
            }
        }
    }

    private mutating func decode(_ h: Huffman) throws -> Int {
        var code = 0, first = 0, index = 0
        for len in 1..<16 {
            code |= try bits(1)
            let c = h.count[len]
            if code - c < first { return h.symbol[index + (code - first)] }
            index += c
            first += c
            first <<= 1
            code <<= 1
        }
        throw InflateError(description: "bad code")
    }

    private static let lengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
    private static let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    private static let distBase = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
    private static let distExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]

    /// Block types seen, for tests that want to know which encodings were exercised.
    private(set) var blockTypes: [Int] = []

    private mutating func run() throws {
        var last = 0
        repeat {
            last = try bits(1)
            let type = try bits(2)
            blockTypes.append(type)
            switch type {
            case 0: try stored()
            case 1:
                let lit = try Huffman((0..<288).map { $0 < 144 ? 8 : $0 < 256 ? 9 : $0 < 280 ? 7 : 8 })
                let dist = try Huffman([Int](repeating: 5, count: 30))
                try codes(lit, dist)
            case 2: try dynamic()
            default: throw InflateError(description: "bad block type")
            }
        } while last == 0
    }

    private mutating func stored() throws {
        bitBuffer = 0
        bitCount = 0
        guard pos + 4 <= data.count else { throw InflateError(description: "out of input") }
        let len = Int(data[pos]) | Int(data[pos + 1]) << 8
        let nlen = Int(data[pos + 2]) | Int(data[pos + 3]) << 8
        guard len == (~nlen & 0xFFFF) else { throw InflateError(description: "stored length check") }
        pos += 4
        guard pos + len <= data.count else { throw InflateError(description: "out of input") }
        out += data[pos..<(pos + len)]
        pos += len
    }

    private mutating func codes(_ lit: Huffman, _ dist: Huffman) throws {
        while true {
            let s = try decode(lit)
            if s < 256 {
                out.append(UInt8(s))
            } else if s == 256 {
                return
            } else {
                let i = s - 257
                guard i < 29 else { throw InflateError(description: "bad length symbol") }
                let len = Self.lengthBase[i] + (try bits(Self.lengthExtra[i]))
                let ds = try decode(dist)
                guard ds < 30 else { throw InflateError(description: "bad distance symbol") }
                let d = Self.distBase[ds] + (try bits(Self.distExtra[ds]))
                guard d <= out.count else { throw InflateError(description: "distance too far back") }
                for _ in 0..<len { out.append(out[out.count - d]) }
            }
        }
    }

    private mutating func dynamic() throws {
        let nlen = try bits(5) + 257, ndist = try bits(5) + 1, ncode = try bits(4) + 4
        let order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]
        var cl = [Int](repeating: 0, count: 19)
        for k in 0..<ncode { cl[order[k]] = try bits(3) }
        let clCode = try Huffman(cl)
        var lengths: [Int] = []
        while lengths.count < nlen + ndist {
            let s = try decode(clCode)
            switch s {
            case 0...15: lengths.append(s)
            case 16:
                guard let prev = lengths.last else { throw InflateError(description: "repeat with no length") }
                lengths += Array(repeating: prev, count: 3 + (try bits(2)))
            case 17: lengths += Array(repeating: 0, count: 3 + (try bits(3)))
            default: lengths += Array(repeating: 0, count: 11 + (try bits(7)))
            }
        }
        guard lengths.count == nlen + ndist else { throw InflateError(description: "too many lengths") }
        try codes(try Huffman(Array(lengths[0..<nlen])), try Huffman(Array(lengths[nlen...])))
    }
}
