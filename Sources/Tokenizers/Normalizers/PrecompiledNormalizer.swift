import Foundation

/// `Precompiled`: SentencePiece's compiled normalization rules (`precompiled_charsmap`, e.g.
/// nmt_nfkc), applied as the reference's `spm_precompiled` applies them.
///
/// The charsmap is a little-endian u32 byte count, a darts-clone double-array trie of that many
/// bytes mapping UTF-8 keys to offsets, then a pool of NUL-terminated replacement strings. Each
/// grapheme cluster under 6 bytes is looked up whole; the value of the *shortest* key that
/// prefixes it replaces the whole cluster. Other clusters, and clusters without a match, are
/// looked up scalar by scalar.
struct PrecompiledNormalizer: Normalizer {
    let trie: [UInt32]
    let pool: [UInt8]
    /// Whether each printable ASCII byte is left alone (lets plain ASCII text skip the lookups).
    let asciiUnchanged: [Bool]

    init(_ c: Config) throws {
        let encoded = try c.string("precompiled_charsmap")
        guard let data = Data(base64Encoded: encoded) else { throw c.error("precompiled_charsmap is not base64") }
        try self.init(charsmap: [UInt8](data), component: c.path)
    }

    init(charsmap bytes: [UInt8], component: String) throws {
        func fail(_ reason: String) -> TokenizerError {
            TokenizerError(component: component, reason: "precompiled_charsmap does not parse: \(reason)")
        }
        guard bytes.count >= 4 else { throw fail("\(bytes.count) bytes, shorter than its 4-byte header") }
        let trieSize = Int(bytes[0]) | Int(bytes[1]) << 8 | Int(bytes[2]) << 16 | Int(bytes[3]) << 24
        guard trieSize % 4 == 0, trieSize >= 4, trieSize <= bytes.count - 4 else {
            throw fail("trie size \(trieSize) does not fit the \(bytes.count - 4) bytes after the header")
        }
        var trie = [UInt32](repeating: 0, count: trieSize / 4)
        for k in trie.indices {
            let o = 4 + 4 * k
            trie[k] = UInt32(bytes[o]) | UInt32(bytes[o + 1]) << 8 | UInt32(bytes[o + 2]) << 16 | UInt32(bytes[o + 3]) << 24
        }
        let pool = Array(bytes[(4 + trieSize)...])
        guard Array(String(decoding: pool, as: UTF8.self).utf8) == pool else { throw fail("the replacement strings are not UTF-8") }
        self.trie = trie
        self.pool = pool
        var ascii = [Bool](repeating: false, count: 128)
        for b in 0x20..<0x7F { ascii[b] = PrecompiledNormalizer.firstPrefixValue(trie, [UInt8(b)]) == nil }
        asciiUnchanged = ascii
    }

    // darts-clone unit fields.
    @inline(__always) private static func hasLeaf(_ u: UInt32) -> Bool { (u >> 8) & 1 == 1 }
    @inline(__always) private static func value(_ u: UInt32) -> Int { Int(u & 0x7FFF_FFFF) }
    @inline(__always) private static func label(_ u: UInt32) -> UInt32 { u & 0x8000_00FF }
    @inline(__always) private static func offset(_ u: UInt32) -> Int { Int((u >> 10) << ((u & (1 << 9)) >> 6)) }

    /// The value of the shortest key prefixing `key`; nil when none (or when the trie points
    /// outside itself, which a well-formed charsmap never does).
    static func firstPrefixValue<C: Collection>(_ trie: [UInt32], _ key: C) -> Int? where C.Element == UInt8 {
        var pos = offset(trie[0])
        for c in key {
            if c == 0 { return nil }
            pos ^= Int(c)
            guard pos < trie.count else { return nil }
            let unit = trie[pos]
            if label(unit) != UInt32(c) { return nil }
            pos ^= offset(unit)
            if hasLeaf(unit) {
                guard pos < trie.count else { return nil }
                return value(trie[pos])
            }
        }
        return nil
    }

    /// The replacement for `chunk`: the pool's string at the matched offset, up to its NUL.
    private func transform<C: Collection>(_ chunk: C) -> ArraySlice<UInt8>? where C.Element == UInt8 {
        guard let start = PrecompiledNormalizer.firstPrefixValue(trie, chunk), start <= pool.count else { return nil }
        let end = pool[start...].firstIndex(of: 0) ?? pool.count
        // An offset inside a character would not be a string in the reference either.
        if start < pool.count && pool[start] & 0xC0 == 0x80 { return nil }
        return pool[start..<end]
    }

    func normalizeIfChanged(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        if bytes.allSatisfy({ $0 < 0x80 && asciiUnchanged[Int($0)] }) { return nil }
        let text = String(decoding: bytes, as: UTF8.self)
        let result = normalize(text)
        return result.utf8.elementsEqual(bytes) ? nil : result
    }

    func normalize(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for grapheme in text {
            let g = grapheme.utf8
            if g.count < 6, let r = transform(g) {
                out.append(contentsOf: r)
                continue
            }
            for s in grapheme.unicodeScalars {
                let u = UTF8.encode(s)!
                if let r = transform(u) { out.append(contentsOf: r) } else { out.append(contentsOf: u) }
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
