/// The header of a dynamic-Huffman DEFLATE block (RFC 1951 §3.2.7): the literal/length and distance
/// code lengths, run-length coded and themselves Huffman coded.
struct DynamicHeader {
    let litLengths: [Int]
    let distLengths: [Int]
    private let hlit: Int
    private let hdist: Int
    private let hclen: Int
    // Run-length coded code lengths: (symbol 0…18, extra-bit value).
    private let runs: [(symbol: Int, extra: Int)]
    private let clLengths: [Int]
    private let clCodes: [UInt32]

    init(litFreq: [Int], distFreq: [Int]) {
        litLengths = HuffmanBlock.codeLengths(litFreq, limit: 15)
        distLengths = HuffmanBlock.codeLengths(distFreq, limit: 15)
        hlit = max(257, (litLengths.lastIndex { $0 > 0 } ?? 0) + 1)
        hdist = max(1, (distLengths.lastIndex { $0 > 0 } ?? 0) + 1)
        let all = Array(litLengths[0..<hlit]) + Array(distLengths[0..<hdist])

        var runs: [(symbol: Int, extra: Int)] = []
        var i = 0
        while i < all.count {
            let v = all[i]
            var run = 1
            while i + run < all.count && all[i + run] == v { run += 1 }
            if v == 0 && run >= 3 {
                let take = min(run, 138)
                runs.append(take >= 11 ? (18, take - 11) : (17, take - 3))
                i += take
            } else if v != 0 && run >= 4 {
                // The first copy goes literally; code 16 repeats the previous length 3–6 times.
                runs.append((v, 0))
                let take = min(run - 1, 6)
                runs.append((16, take - 3))
                i += 1 + take
            } else {
                runs.append((v, 0))
                i += 1
            }
        }
        self.runs = runs
        var clFreq = [Int](repeating: 0, count: 19)
        for r in runs { clFreq[r.symbol] += 1 }
        let clLengths = HuffmanBlock.codeLengths(clFreq, limit: 7)
        self.clLengths = clLengths
        clCodes = HuffmanBlock.canonicalCodes(clLengths)
        let order = DeflateTables.codeLengthOrder
        hclen = max(4, (order.lastIndex { clLengths[$0] > 0 } ?? 0) + 1)
    }

    /// Size of the header in bits (after the 3 block-type bits).
    var headerBits: Int {
        var bits = 5 + 5 + 4 + 3 * hclen
        for r in runs {
            bits += clLengths[r.symbol]
            bits += r.symbol == 16 ? 2 : r.symbol == 17 ? 3 : r.symbol == 18 ? 7 : 0
        }
        return bits
    }

    func write(into w: inout BitWriter) {
        w.write(UInt32(hlit - 257), 5)
        w.write(UInt32(hdist - 1), 5)
        w.write(UInt32(hclen - 4), 4)
        for k in 0..<hclen { w.write(UInt32(clLengths[DeflateTables.codeLengthOrder[k]]), 3) }
        for r in runs {
            w.writeCode(clCodes[r.symbol], clLengths[r.symbol])
            switch r.symbol {
            case 16: w.write(UInt32(r.extra), 2)
            case 17: w.write(UInt32(r.extra), 3)
            case 18: w.write(UInt32(r.extra), 7)
            default: break
            }
        }
    }
}
