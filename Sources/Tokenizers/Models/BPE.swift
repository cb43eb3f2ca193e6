import JSON
import Foundation
import TokenScopeCore

/// Byte-pair encoding, for both byte-level (GPT-2, Llama 3, Qwen) and SentencePiece-style
/// (`▁`, byte fallback: Llama 2, Mistral, Gemma) vocabularies.
///
/// Merge ranks are keyed by the pair of ids. Merging follows the reference's `Word::merge_all`:
/// repeatedly the pair of lowest rank, the leftmost on ties. Because a merge's result is the
/// concatenation of its parts, a stale queue entry can never match again, so a plain rescan
/// (short words) and a heap (long words) produce the same merges as the reference's heap.
struct BPEModel: TokenModel {
    let kind = ModelType.bpe
    let vocab: Vocabulary
    let merges: PairTable
    let unkID: Int32?
    let continuingSubwordPrefix: String?
    let endOfWordSuffix: String?
    let fuseUnk: Bool
    let byteFallback: Bool
    let ignoreMerges: Bool
    /// Id of each single-scalar token for scalars below `fastLimit`, -1 if none.
    let scalarIDs: [Int32]
    static let fastLimit = 0x3000
    /// Id of `<0xHH>` for each byte, -1 if absent.
    let byteIDs: [Int32]

    var vocabularyCount: Int { vocab.count }
    var idLimit: Int { vocab.tokens.count }

    init(_ c: Config, parallelism: Parallelism) throws {
        let vocab = try Vocabulary(c.value["vocab"], path: "\(c.path).vocab")
        if c.has("dropout"), let d = c.value["dropout"]?.doubleValue, d != 0 {
            throw c.unsupported("BPE dropout is not supported (encoding would be random)")
        }
        let prefix = try c.optionalString("continuing_subword_prefix")
        let mergesValue = try c.array("merges")
        // The merges in rank order: every entry but a "#version" line.
        var entries: [Int] = []
        entries.reserveCapacity(mergesValue.count)
        for (k, m) in mergesValue.enumerated() {
            if let s = m.stringValue, s.utf8.starts(with: "#version".utf8) { continue }
            entries.append(k)
        }
        func tokens(_ rank: Int) -> (String, String)? {
            var pair: (String, String)?
            _ = BPEModel.withTokens(of: mergesValue[entries[rank]]) { pair = (String(decoding: $0, as: UTF8.self), String(decoding: $1, as: UTF8.self)) }
            return pair
        }
        // Resolve every merge to (left, right, result) ids in parallel, straight from the parsed
        // strings; the table lookups are read-only. Failures are reported afterwards for the lowest
        // rank, as a sequential pass would: first a malformed entry, then a token not in the vocabulary.
        let prefixLength = prefix?.utf8.count ?? 0
        let count = entries.count
        var resolved = [Int32](repeating: -1, count: count * 3)
        var wellFormed = [Bool](repeating: true, count: count)
        let lookup = vocab.table
        resolved.withUnsafeMutableBufferPointer { out in
            wellFormed.withUnsafeMutableBufferPointer { wellFormed in
                parallelism.forEachRange(count: count, minimumChunk: 4096) { ranks in
                    var buffer = [UInt8](repeating: 0, count: 1024)
                    for rank in ranks {
                        wellFormed[rank] = BPEModel.withTokens(of: mergesValue[entries[rank]]) { ab, bb in
                            guard let ai = lookup.find(ab), let bi = lookup.find(bb), bb.count >= prefixLength else { return }
                            let total = ab.count + bb.count - prefixLength
                            if buffer.count < total { buffer = [UInt8](repeating: 0, count: total) }
                            let merged = buffer.withUnsafeMutableBufferPointer { buf -> Int? in
                                for k in 0..<ab.count { buf[k] = ab[k] }
                                var k = ab.count
                                for j in prefixLength..<bb.count { buf[k] = bb[j]; k += 1 }
                                return lookup.find(UnsafeBufferPointer(rebasing: buf[0..<total]))
                            }
                            guard let merged else { return }
                            out[3 * rank] = Int32(ai); out[3 * rank + 1] = Int32(bi); out[3 * rank + 2] = Int32(merged)
                        }
                    }
                }
            }
        }
        if let rank = wellFormed.firstIndex(of: false) {
            if let line = mergesValue[entries[rank]].stringValue {
                throw c.error("merge \(rank + 1) \(line.debugDescription) is not two tokens separated by one space")
            }
            throw c.error("merge \(rank + 1) is neither \"a b\" nor [\"a\", \"b\"]")
        }
        var table = PairTable(capacity: count)
        for rank in 0..<count {
            let m = resolved[3 * rank + 2]
            if m < 0, let (a, b) = tokens(rank) {
                guard vocab.table.find(a) != nil else { throw c.error("merge \(rank + 1) names \(a.debugDescription), which is not in the vocabulary") }
                guard vocab.table.find(b) != nil else { throw c.error("merge \(rank + 1) names \(b.debugDescription), which is not in the vocabulary") }
                guard b.utf8.count >= prefixLength else { throw c.error("merge \(rank + 1): \(b.debugDescription) is shorter than the subword prefix") }
                let made = a + String(decoding: Array(b.utf8).dropFirst(prefixLength), as: UTF8.self)
                throw c.error("merge \(rank + 1) (\(a.debugDescription), \(b.debugDescription)) makes \(made.debugDescription), which is not in the vocabulary")
            }
            table.set(resolved[3 * rank], resolved[3 * rank + 1], rank: Int32(rank), id: m)
        }
        var unk: Int32? = nil
        if let u = try c.optionalString("unk_token") {
            // The reference fails only when an unknown character meets a missing unk token.
            unk = vocab.table.find(u).map { Int32($0) }
        }
        self.init(vocab: vocab, merges: table, unkID: unk, continuingSubwordPrefix: prefix.flatMap { $0.isEmpty ? nil : $0 },
                  endOfWordSuffix: try c.optionalString("end_of_word_suffix").flatMap { $0.isEmpty ? nil : $0 },
                  fuseUnk: try c.bool("fuse_unk", default: false), byteFallback: try c.bool("byte_fallback", default: false),
                  ignoreMerges: try c.bool("ignore_merges", default: false))
    }

    /// `body` on a merge entry's two tokens as bytes ("a b", split at its one space, or ["a", "b"]);
    /// false, without calling it, for an entry that is neither. Bytes, not Characters: a space
    /// followed by a combining mark is one Character.
    /// Always inlined: a closure context of its own would retain the vocabulary's arrays on every
    /// merge, from both threads at once, and the bouncing counts tripled the loading time.
    @inline(__always)
    static func withTokens(of entry: JSONValue, _ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) -> Void) -> Bool {
        if var line = entry.stringValue {
            return line.withUTF8 { bytes in
                guard let space = bytes.firstIndex(of: 0x20), !bytes[(space + 1)...].contains(0x20) else { return false }
                body(UnsafeBufferPointer(rebasing: bytes[..<space]), UnsafeBufferPointer(rebasing: bytes[(space + 1)...]))
                return true
            }
        }
        guard let a = entry.arrayValue, a.count == 2, var l = a[0].stringValue, var r = a[1].stringValue else { return false }
        l.withUTF8 { lb in r.withUTF8 { rb in body(lb, rb) } }
        return true
    }

    init(vocab: Vocabulary, merges: PairTable, unkID: Int32?, continuingSubwordPrefix: String?, endOfWordSuffix: String?,
         fuseUnk: Bool, byteFallback: Bool, ignoreMerges: Bool) {
        self.vocab = vocab
        self.merges = merges
        self.unkID = unkID
        self.continuingSubwordPrefix = continuingSubwordPrefix
        self.endOfWordSuffix = endOfWordSuffix
        self.fuseUnk = fuseUnk
        self.byteFallback = byteFallback
        self.ignoreMerges = ignoreMerges
        var scalarIDs = [Int32](repeating: -1, count: BPEModel.fastLimit)
        var buf = [UInt8](repeating: 0, count: 4)
        for v in 0..<BPEModel.fastLimit {
            guard let s = Unicode.Scalar(UInt32(v)) else { continue }
            var n = 0
            for b in UTF8.encode(s)! { buf[n] = b; n += 1 }
            if let id = buf.withUnsafeBufferPointer({ vocab.table.find(UnsafeBufferPointer(rebasing: $0[0..<n])) }) {
                scalarIDs[v] = Int32(id)
            }
        }
        self.scalarIDs = scalarIDs
        var byteIDs = [Int32](repeating: -1, count: 256)
        let hex = Array("0123456789ABCDEF".utf8)
        for b in 0..<256 {
            let name: [UInt8] = [0x3C, 0x30, 0x78, hex[b >> 4], hex[b & 15], 0x3E]  // <0xHH>
            if let id = name.withUnsafeBufferPointer({ vocab.table.find($0) }) { byteIDs[b] = Int32(id) }
        }
        self.byteIDs = byteIDs
    }

    func token(forID id: Int) -> String? { vocab.token(id) }
    func id(forTokenBytes bytes: UnsafeBufferPointer<UInt8>) -> Int? { vocab.table.find(bytes) }

    @inline(__always)
    private func scalarID(_ s: Unicode.Scalar) -> Int32 {
        let v = Int(s.value)
        if v < BPEModel.fastLimit { return scalarIDs[v] }
        var buf: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
        let n = withUnsafeMutableBytes(of: &buf) { raw -> Int in
            var n = 0
            for b in UTF8.encode(s)! { raw[n] = b; n += 1 }
            return n
        }
        return withUnsafeBytes(of: &buf) { raw in
            let p = UnsafeBufferPointer(start: raw.baseAddress!.assumingMemoryBound(to: UInt8.self), count: n)
            return vocab.table.find(p).map { Int32($0) } ?? -1
        }
    }

    func tokenize(_ scalars: [Unicode.Scalar], into ids: inout [Int]) {
        if scalars.isEmpty { return }
        if ignoreMerges {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(scalars.count * 2)
            for s in scalars { bytes.append(contentsOf: UTF8.encode(s)!) }
            if let id = bytes.withUnsafeBufferPointer({ vocab.table.find($0) }) {
                ids.append(id)
                return
            }
        }
        // Common case first: short word, every scalar a token — merge on the stack, no allocation.
        if continuingSubwordPrefix == nil && endOfWordSuffix == nil && scalars.count <= BPEModel.stackWord {
            let done = withUnsafeTemporaryAllocation(of: Int32.self, capacity: 3 * BPEModel.stackWord) { buf -> Bool in
                let sym = buf.baseAddress!
                var n = 0
                for s in scalars {
                    let id = scalarID(s)
                    if id < 0 { return false }
                    sym[n] = id
                    n += 1
                }
                if n > 1 { n = mergeByScan(sym, sym + BPEModel.stackWord, sym + 2 * BPEModel.stackWord, count: n) }
                for k in 0..<n { ids.append(Int(sym[k])) }
                return true
            }
            if done { return }
        }
        var symbols: [Int32] = []
        symbols.reserveCapacity(scalars.count)
        initialSymbols(scalars, into: &symbols)
        if symbols.count > 1 {
            if symbols.count <= BPEModel.stackWord { mergeByScan(&symbols) } else { mergeByHeap(&symbols) }
        }
        for s in symbols { ids.append(Int(s)) }
    }

    /// One symbol per scalar (with the subword prefix and word suffix where configured);
    /// unknown scalars become `<0xHH>` bytes, the unknown token, or nothing, as the reference.
    private func initialSymbols(_ scalars: [Unicode.Scalar], into symbols: inout [Int32]) {
        let simple = continuingSubwordPrefix == nil && endOfWordSuffix == nil
        var pendingUnk: Int32? = nil
        let last = scalars.count - 1
        for (k, s) in scalars.enumerated() {
            var id: Int32
            var text: String? = nil
            if simple {
                id = scalarID(s)
            } else {
                var t = String(s)
                if k > 0, let p = continuingSubwordPrefix { t = p + t }
                if k == last, let suffix = endOfWordSuffix { t += suffix }
                id = vocab.table.find(t).map { Int32($0) } ?? -1
                text = t
            }
            if id >= 0 {
                if let u = pendingUnk { symbols.append(u); pendingUnk = nil }
                symbols.append(id)
                continue
            }
            if byteFallback {
                let bytes = text.map { Array($0.utf8) } ?? Array(UTF8.encode(s)!)
                if bytes.allSatisfy({ byteIDs[Int($0)] >= 0 }) {
                    // The reference emits these before a pending unknown token.
                    for b in bytes { symbols.append(byteIDs[Int(b)]) }
                    continue
                }
            }
            if let unk = unkID {
                if pendingUnk != nil && !fuseUnk { symbols.append(unk) }
                pendingUnk = unk
            }
        }
        if let u = pendingUnk { symbols.append(u) }
    }

    /// Longest word merged by rescanning on the stack; longer ones use the heap.
    static let stackWord = 48

    private func mergeByScan(_ symbols: inout [Int32]) {
        let n = symbols.count
        let kept = withUnsafeTemporaryAllocation(of: Int32.self, capacity: 2 * n) { buf -> Int in
            symbols.withUnsafeMutableBufferPointer { sym in
                mergeByScan(sym.baseAddress!, buf.baseAddress!, buf.baseAddress! + n, count: n)
            }
        }
        symbols.removeLast(n - kept)
    }

    /// Short words: rescan the cached pair ranks for the lowest, leftmost one. `rank` and `res`
    /// hold, per adjacent pair, its merge rank (Int32.max if none) and resulting id. Returns the
    /// number of symbols left in `sym`.
    @inline(__always)
    private func mergeByScan(_ sym: UnsafeMutablePointer<Int32>, _ rank: UnsafeMutablePointer<Int32>,
                             _ res: UnsafeMutablePointer<Int32>, count: Int) -> Int {
        var n = count
        for k in 0..<(n - 1) {
            if let m = merges.get(sym[k], sym[k + 1]) { rank[k] = m.rank; res[k] = m.id } else { rank[k] = Int32.max }
        }
        while n > 1 {
            var best = Int32.max, at = -1
            for k in 0..<(n - 1) where rank[k] < best { best = rank[k]; at = k }
            if at < 0 { break }
            sym[at] = res[at]
            // Remove symbol at + 1 (and the pair that started there).
            var k = at + 1
            while k < n - 1 { sym[k] = sym[k + 1]; rank[k] = rank[k + 1]; res[k] = res[k + 1]; k += 1 }
            n -= 1
            if at + 1 < n, let m = merges.get(sym[at], sym[at + 1]) { rank[at] = m.rank; res[at] = m.id } else { rank[at] = Int32.max }
            if at > 0 {
                if let m = merges.get(sym[at - 1], sym[at]) { rank[at - 1] = m.rank; res[at - 1] = m.id } else { rank[at - 1] = Int32.max }
            }
        }
        return n
    }

    /// Long words: the reference's linked list and priority queue ordered by (rank, position).
    private func mergeByHeap(_ symbols: inout [Int32]) {
        let n = symbols.count
        var prev = [Int32](repeating: -1, count: n)
        var next = [Int32](repeating: -1, count: n)
        var alive = [Bool](repeating: true, count: n)
        for k in 0..<n { prev[k] = Int32(k - 1); next[k] = k + 1 < n ? Int32(k + 1) : -1 }
        var heap = MergeHeap()
        for k in 0..<(n - 1) {
            if let m = merges.get(symbols[k], symbols[k + 1]) { heap.push(rank: m.rank, pos: Int32(k), id: m.id) }
        }
        while let top = heap.pop() {
            let pos = Int(top.pos)
            guard alive[pos], next[pos] >= 0 else { continue }
            let right = Int(next[pos])
            guard let m = merges.get(symbols[pos], symbols[right]), m.id == top.id else { continue }
            symbols[pos] = top.id
            alive[right] = false
            next[pos] = next[right]
            if next[right] >= 0 { prev[Int(next[right])] = Int32(pos) }
            if prev[pos] >= 0, let pm = merges.get(symbols[Int(prev[pos])], symbols[pos]) {
                heap.push(rank: pm.rank, pos: prev[pos], id: pm.id)
            }
            if next[pos] >= 0, let nm = merges.get(symbols[pos], symbols[Int(next[pos])]) {
                heap.push(rank: nm.rank, pos: Int32(pos), id: nm.id)
            }
        }
        var out: [Int32] = []
        out.reserveCapacity(n)
        var k = 0
        while k >= 0 && k < n { out.append(symbols[k]); k = Int(next[k]) }
        symbols = out
    }
}

/// A binary min-heap of merges ordered by rank, then position (the reference's `Merge` ordering).
struct MergeHeap {
    private var items: [(key: UInt64, id: Int32)] = []

    mutating func push(rank: Int32, pos: Int32, id: Int32) {
        let key = UInt64(UInt32(bitPattern: rank)) << 32 | UInt64(UInt32(bitPattern: pos))
        items.append((key, id))
        var i = items.count - 1
        while i > 0 {
            let p = (i - 1) / 2
            if items[p].key <= items[i].key { break }
            items.swapAt(p, i)
            i = p
        }
    }

    mutating func pop() -> (pos: Int32, id: Int32)? {
        guard let first = items.first else { return nil }
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var i = 0
            let n = items.count
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < n && items[l].key < items[m].key { m = l }
                if r < n && items[r].key < items[m].key { m = r }
                if m == i { break }
                items.swapAt(m, i)
                i = m
            }
        }
        return (Int32(truncatingIfNeeded: first.key & 0xFFFF_FFFF), first.id)
    }
}
