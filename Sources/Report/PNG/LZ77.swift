/// LZ77 parsing for DEFLATE: hash chains over 3-byte prefixes in a 32 KiB window.
enum LZ77 {
    static let windowSize = 1 << 15
    static let minMatch = 3
    static let maxMatch = 258
    // Chain walks per position: enough for images (long runs are found on the first candidate) while
    // bounding the worst case on unmatched data.
    static let maxChain = 48
    // A match this long is taken at once, without looking one byte ahead for a longer one.
    static let lazyLimit = 32

    /// The token sequence for `data`; decoding the tokens reproduces `data` exactly.
    static func tokens(_ data: [UInt8]) -> [UInt32] {
        let n = data.count
        var out: [UInt32] = []
        out.reserveCapacity(n / 4 + 16)
        if n < minMatch {
            for b in data { out.append(Token.literal(b)) }
            return out
        }
        let hashBits = 15
        let hashMask = (1 << hashBits) - 1
        var head = [Int32](repeating: -1, count: 1 << hashBits)
        var prev = [Int32](repeating: -1, count: windowSize)

        data.withUnsafeBufferPointer { src in
            head.withUnsafeMutableBufferPointer { head in
                prev.withUnsafeMutableBufferPointer { prev in
                    @inline(__always) func hash(_ i: Int) -> Int {
                        let v = (Int(src[i]) << 16) | (Int(src[i + 1]) << 8) | Int(src[i + 2])
                        return ((v &* 2_654_435_761) >> 13) & hashMask
                    }
                    @inline(__always) func insert(_ i: Int) {
                        guard i + minMatch <= n else { return }
                        let h = hash(i)
                        prev[i & (windowSize - 1)] = head[h]
                        head[h] = Int32(i)
                    }
                    // The longest match for position i among earlier positions in the window.
                    @inline(__always) func longest(_ i: Int) -> (length: Int, distance: Int) {
                        guard i + minMatch <= n else { return (0, 0) }
                        var best = 0
                        var bestDistance = 0
                        let limit = min(maxMatch, n - i)
                        var candidate = Int(head[hash(i)])
                        var chain = maxChain
                        while candidate >= 0, chain > 0 {
                            let distance = i - candidate
                            if distance > windowSize || distance <= 0 { break }
                            // Check the byte that would extend the best match first: most candidates fail there.
                            if src[candidate + best] == src[i + best] || best == 0 {
                                var len = 0
                                while len < limit && src[candidate + len] == src[i + len] { len += 1 }
                                if len > best {
                                    best = len
                                    bestDistance = distance
                                    if len == limit { break }
                                }
                            }
                            let next = Int(prev[candidate & (windowSize - 1)])
                            if next >= candidate { break }
                            candidate = next
                            chain -= 1
                        }
                        return best >= minMatch ? (best, bestDistance) : (0, 0)
                    }

                    var i = 0
                    while i < n {
                        var m = longest(i)
                        if m.length > 0 && m.length < lazyLimit && i + 1 < n {
                            // One step of lazy matching: a literal now may let a longer match start at i + 1.
                            insert(i)
                            let next = longest(i + 1)
                            if next.length > m.length {
                                out.append(Token.literal(src[i]))
                                i += 1
                                m = next
                            } else {
                                out.append(Token.match(length: m.length, distance: m.distance))
                                for k in (i + 1)..<(i + m.length) { insert(k) }
                                i += m.length
                                continue
                            }
                        }
                        if m.length > 0 {
                            out.append(Token.match(length: m.length, distance: m.distance))
                            for k in i..<(i + m.length) { insert(k) }
                            i += m.length
                        } else {
                            out.append(Token.literal(src[i]))
                            insert(i)
                            i += 1
                        }
                    }
                }
            }
        }
        return out
    }
}
