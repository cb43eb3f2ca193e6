/// Writes one DEFLATE block in whichever of the three block types (stored, fixed, dynamic) is smallest.
enum HuffmanBlock {
    static func write(_ tokens: ArraySlice<UInt32>, raw: ArraySlice<UInt8>, final: Bool, into w: inout BitWriter) {
        var litFreq = [Int](repeating: 0, count: 286)
        var distFreq = [Int](repeating: 0, count: 30)
        for t in tokens {
            if Token.isMatch(t) {
                litFreq[257 + Int(DeflateTables.lengthCode[Token.length(t)])] += 1
                distFreq[DeflateTables.distanceCode(Token.distance(t))] += 1
            } else {
                litFreq[Int(t)] += 1
            }
        }
        litFreq[256] = 1

        let fixedLit = fixedLiteralLengths
        let fixedDist = [Int](repeating: 5, count: 30)
        let fixedBits = 3 + payloadBits(litFreq, distFreq, fixedLit, fixedDist)

        let dynamic = DynamicHeader(litFreq: litFreq, distFreq: distFreq)
        let dynamicBits = 3 + dynamic.headerBits + payloadBits(litFreq, distFreq, dynamic.litLengths, dynamic.distLengths)

        // Stored blocks hold at most 65,535 bytes each; 3 header bits, padding, 4 length bytes per block.
        let storedCount = max(1, (raw.count + 65534) / 65535)
        let storedBits = raw.count * 8 + storedCount * (3 + 7 + 32)

        if storedBits < fixedBits && storedBits < dynamicBits {
            var start = raw.startIndex
            repeat {
                let end = min(start + 65535, raw.endIndex)
                let last = end == raw.endIndex
                w.write(final && last ? 1 : 0, 1)
                w.write(0, 2)
                w.alignToByte()
                let len = UInt32(end - start)
                w.write(len, 16)
                w.write(~len & 0xFFFF, 16)
                w.appendAligned(raw[start..<end])
                start = end
            } while start < raw.endIndex
        } else if fixedBits <= dynamicBits {
            w.write(final ? 1 : 0, 1)
            w.write(1, 2)
            emit(tokens, lit: canonicalCodes(fixedLit), litLengths: fixedLit, dist: canonicalCodes(fixedDist), distLengths: fixedDist, into: &w)
        } else {
            w.write(final ? 1 : 0, 1)
            w.write(2, 2)
            dynamic.write(into: &w)
            emit(tokens, lit: canonicalCodes(dynamic.litLengths), litLengths: dynamic.litLengths,
                 dist: canonicalCodes(dynamic.distLengths), distLengths: dynamic.distLengths, into: &w)
        }
    }

    /// Code lengths of the fixed literal/length code (RFC 1951 §3.2.6), symbols 0…287.
    static let fixedLiteralLengths: [Int] = (0..<288).map { s in
        s < 144 ? 8 : s < 256 ? 9 : s < 280 ? 7 : 8
    }

    private static func payloadBits(_ litFreq: [Int], _ distFreq: [Int], _ litLen: [Int], _ distLen: [Int]) -> Int {
        var bits = 0
        for s in 0..<286 where litFreq[s] > 0 {
            bits += litFreq[s] * (litLen[s] + (s > 256 ? DeflateTables.lengthExtra[s - 257] : 0))
        }
        for s in 0..<30 where distFreq[s] > 0 {
            bits += distFreq[s] * (distLen[s] + DeflateTables.distanceExtra[s])
        }
        return bits
    }

    private static func emit(_ tokens: ArraySlice<UInt32>, lit: [UInt32], litLengths: [Int], dist: [UInt32], distLengths: [Int], into w: inout BitWriter) {
        for t in tokens {
            if Token.isMatch(t) {
                let len = Token.length(t)
                let lc = Int(DeflateTables.lengthCode[len])
                w.writeCode(lit[257 + lc], litLengths[257 + lc])
                let le = DeflateTables.lengthExtra[lc]
                if le > 0 { w.write(UInt32(len - DeflateTables.lengthBase[lc]), le) }
                let d = Token.distance(t)
                let dc = DeflateTables.distanceCode(d)
                w.writeCode(dist[dc], distLengths[dc])
                let de = DeflateTables.distanceExtra[dc]
                if de > 0 { w.write(UInt32(d - DeflateTables.distanceBase[dc]), de) }
            } else {
                w.writeCode(lit[Int(t)], litLengths[Int(t)])
            }
        }
        w.writeCode(lit[256], litLengths[256])
    }

    /// Canonical Huffman codes for the given code lengths (RFC 1951 §3.2.2).
    static func canonicalCodes(_ lengths: [Int]) -> [UInt32] {
        let maxLen = lengths.max() ?? 0
        var blCount = [Int](repeating: 0, count: maxLen + 1)
        for l in lengths where l > 0 { blCount[l] += 1 }
        var next = [UInt32](repeating: 0, count: maxLen + 2)
        var code: UInt32 = 0
        if maxLen >= 1 {
            for bits in 1...maxLen {
                code = (code + UInt32(blCount[bits - 1])) << 1
                next[bits] = code
            }
        }
        var codes = [UInt32](repeating: 0, count: lengths.count)
        for (s, l) in lengths.enumerated() where l > 0 {
            codes[s] = next[l]
            next[l] += 1
        }
        return codes
    }

    /// Huffman code lengths for `freq`, none longer than `limit` bits. Symbols of frequency zero get
    /// length zero; when fewer than two symbols occur, two are given length one so that every inflater
    /// sees a complete code.
    static func codeLengths(_ freq: [Int], limit: Int) -> [Int] {
        var f = freq
        var used = f.indices.filter { f[$0] > 0 }
        if used.count < 2 {
            for s in f.indices where f[s] == 0 && used.count < 2 {
                f[s] = 1
                used.append(s)
            }
            used.sort()
        }
        while true {
            let lengths = unlimitedLengths(f, used)
            if (lengths.max() ?? 0) <= limit { return lengths }
            // Flatten the distribution and retry; halving keeps the order of frequencies.
            for s in used { f[s] = max(1, f[s] / 2) }
        }
    }

    private static func unlimitedLengths(_ f: [Int], _ used: [Int]) -> [Int] {
        // Two-queue Huffman construction over leaves sorted by (frequency, symbol), deterministic.
        let leaves = used.sorted { (f[$0], $0) < (f[$1], $1) }
        var weight: [Int] = leaves.map { f[$0] }
        var parent = [Int](repeating: -1, count: 2 * leaves.count)
        var internalStart = leaves.count
        var leafIndex = 0
        var internalIndex = leaves.count
        weight.reserveCapacity(2 * leaves.count)
        func takeSmallest() -> Int {
            if leafIndex < leaves.count && (internalIndex >= weight.count || weight[leafIndex] <= weight[internalIndex]) {
                leafIndex += 1
                return leafIndex - 1
            }
            internalIndex += 1
            return internalIndex - 1
        }
        for _ in 0..<(leaves.count - 1) {
            let a = takeSmallest()
            let b = takeSmallest()
            weight.append(weight[a] + weight[b])
            parent[a] = weight.count - 1
            parent[b] = weight.count - 1
        }
        internalStart = weight.count - 1
        var depth = [Int](repeating: 0, count: weight.count)
        if internalStart > 0 {
            for node in stride(from: internalStart - 1, through: 0, by: -1) { depth[node] = depth[parent[node]] + 1 }
        }
        var lengths = [Int](repeating: 0, count: f.count)
        for (k, s) in leaves.enumerated() { lengths[s] = depth[k] }
        return lengths
    }
}
