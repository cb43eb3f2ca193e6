/// Unigram (SentencePiece's unigram language model: T5, mT5, XLM-R, ALBERT): each pre-token is
/// segmented into the pieces whose scores sum highest, by the reference's `encode_optimized`
/// Viterbi pass over UTF-8 bytes.
///
/// Semantics of the reference (tokenizers 0.23.3, `models/unigram/model.rs`):
/// - a character no single-character piece covers may be taken as the unknown token, scored
///   (lowest score − 10); runs of unknown tokens on the best path are fused into one string, which
///   becomes its piece if the vocabulary has it, else `<0xHH>` pieces (with `byte_fallback`, when
///   all exist), else `unk_id`;
/// - ties keep the first candidate: earlier start, then shorter piece, then the unknown token;
/// - a piece written twice takes its last id and score.
/// Where the reference fails the whole encode (an unknown character and no `unk_id`), the
/// character is dropped, as BPE drops one with a null `unk_token`.
struct UnigramModel: TokenModel {
    let kind = ModelType.unigram
    let pieces: [String]
    let scores: [Double]
    /// Piece bytes → id (the last of duplicates).
    let table: ByteTable
    let trie: PieceTrie
    let unkID: Int?
    let unknownScore: Double
    /// Id of `<0xHH>` for each byte, -1 if absent (only used with byte fallback).
    let byteIDs: [Int32]
    let byteFallback: Bool

    /// The reference's `K_UNK_PENALTY`.
    static let unknownPenalty = 10.0

    var vocabularyCount: Int { pieces.count }
    var idLimit: Int { pieces.count }

    init(_ c: Config) throws {
        let items = try c.array("vocab")
        guard !items.isEmpty else { throw c.error("the vocabulary is empty") }
        var pieces: [String] = []
        var scores: [Double] = []
        pieces.reserveCapacity(items.count)
        scores.reserveCapacity(items.count)
        for (k, item) in items.enumerated() {
            guard let pair = item.arrayValue, pair.count == 2, let piece = pair[0].stringValue, let score = pair[1].doubleValue else {
                throw c.error("vocab[\(k)] is not [piece, score]")
            }
            guard score.isFinite else { throw c.error("vocab[\(k)] \(piece.debugDescription) has a non-finite score") }
            pieces.append(piece)
            scores.append(score)
        }
        var unk: Int? = nil
        if let v = c.value["unk_id"], !v.isNull {
            guard let id = v.intValue else { throw c.error("unk_id is not an integer") }
            guard id >= 0, id < pieces.count else { throw c.error("unk_id \(id) is outside the vocabulary of \(pieces.count) pieces") }
            unk = id
        }
        self.init(pieces: pieces, scores: scores, unkID: unk, byteFallback: try c.bool("byte_fallback", default: false))
    }

    /// A model from validated pieces: non-empty, finite scores, `unkID` inside.
    init(pieces: [String], scores: [Double], unkID: Int?, byteFallback: Bool) {
        self.pieces = pieces
        self.scores = scores
        self.unkID = unkID
        self.byteFallback = byteFallback
        var table = ByteTable(capacity: pieces.count)
        // The table keeps the first insertion: insert from the end so that the last duplicate wins.
        for id in pieces.indices.reversed() { table.insert(pieces[id], value: id) }
        self.table = table
        trie = PieceTrie(pieces)
        unknownScore = (scores.min() ?? 0) - UnigramModel.unknownPenalty
        let hex = Array("0123456789ABCDEF".utf8)
        byteIDs = (0..<256).map { b in
            let name: [UInt8] = [0x3C, 0x30, 0x78, hex[b >> 4], hex[b & 15], 0x3E]  // <0xHH>
            return table.find(bytes: name).map { Int32($0) } ?? -1
        }
    }

    func token(forID id: Int) -> String? { id >= 0 && id < pieces.count ? pieces[id] : nil }
    func id(forTokenBytes bytes: UnsafeBufferPointer<UInt8>) -> Int? { table.find(bytes) }

    func tokenize(_ scalars: [Unicode.Scalar], into ids: inout [Int]) {
        if scalars.isEmpty { return }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(scalars.count * 3)
        for s in scalars { bytes.append(contentsOf: UTF8.encode(s)!) }
        bytes.withUnsafeBufferPointer { segment($0, into: &ids) }
    }

    /// Marks a best-path node reached by an unknown character while the model has no `unk_id`.
    private static let droppedUnknown: Int32 = -2

    private func segment(_ text: UnsafeBufferPointer<UInt8>, into ids: inout [Int]) {
        let n = text.count
        var best = [Double](repeating: 0, count: n + 1)
        var startsAt = [Int32](repeating: -1, count: n + 1)
        var nodeID = [Int32](repeating: 0, count: n + 1)
        let unk = unkID.map { Int32($0) } ?? UnigramModel.droppedUnknown
        var start = 0
        while start < n {
            let here = best[start]
            let lead = text[start]
            let charLength = min(lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4, n - start)
            var hasSingleCharacter = false
            trie.prefixes(of: text, from: start) { end, id in
                let candidate = scores[id] + here
                if startsAt[end] < 0 || candidate > best[end] {
                    best[end] = candidate
                    startsAt[end] = Int32(start)
                    nodeID[end] = Int32(id)
                }
                if end - start == charLength { hasSingleCharacter = true }
            }
            if !hasSingleCharacter {
                let end = start + charLength
                let candidate = unknownScore + here
                if startsAt[end] < 0 || candidate > best[end] {
                    best[end] = candidate
                    startsAt[end] = Int32(start)
                    nodeID[end] = unk
                }
            }
            start += charLength
        }
        // Back from the end: (start, end, piece id or nil for a fused run of unknown tokens).
        var path: [(Int, Int, Int32?)] = []
        var end = n
        var fusedEnd = -1
        while end > 0 {
            let s = Int(startsAt[end])
            let id = nodeID[end]
            if id == unk {
                if fusedEnd < 0 { fusedEnd = end }
            } else {
                if fusedEnd >= 0 { path.append((end, fusedEnd, nil)); fusedEnd = -1 }
                path.append((s, end, id))
            }
            end = s
        }
        if fusedEnd >= 0 { path.append((0, fusedEnd, nil)) }
        for (s, e, id) in path.reversed() {
            if let id { ids.append(Int(id)); continue }
            guard let unkID else { continue }
            let run = UnsafeBufferPointer(rebasing: text[s..<e])
            if let piece = table.find(run) { ids.append(piece); continue }
            if byteFallback && run.allSatisfy({ byteIDs[Int($0)] >= 0 }) {
                for b in run { ids.append(Int(byteIDs[Int(b)])) }
                continue
            }
            ids.append(unkID)
        }
    }
}

/// A byte trie of the pieces, enumerating the pieces that start a text at a position, shortest
/// first (the reference's `common_prefix_search`). Built from the sorted pieces in one pass;
/// children are first-child/next-sibling lists, the root's indexed by byte.
struct PieceTrie: Sendable {
    private var label: [UInt8] = [0]
    private var value: [Int32] = [-1]
    private var firstChild: [Int32] = [-1]
    private var nextSibling: [Int32] = [-1]
    private var rootChild = [Int32](repeating: -1, count: 256)

    init(_ pieces: [String]) {
        let keys = pieces.map { Array($0.utf8) }
        // Equal keys sort by id, so the last id is written last and wins.
        let order = keys.indices.sorted { a, b in
            keys[a].lexicographicallyPrecedes(keys[b]) || (keys[a] == keys[b] && a < b)
        }
        var lastChild: [Int32] = [-1]
        var path: [Int32] = [0]
        var previous: [UInt8] = []
        for id in order {
            let key = keys[id]
            if key.isEmpty { continue }
            var common = 0
            while common < min(previous.count, key.count) && previous[common] == key[common] { common += 1 }
            path.removeLast(path.count - 1 - common)
            for d in common..<key.count {
                let parent = Int(path[path.count - 1])
                let node = Int32(label.count)
                label.append(key[d]); value.append(-1); firstChild.append(-1); nextSibling.append(-1); lastChild.append(-1)
                if lastChild[parent] < 0 { firstChild[parent] = node } else { nextSibling[Int(lastChild[parent])] = node }
                lastChild[parent] = node
                if parent == 0 { rootChild[Int(key[d])] = node }
                path.append(node)
            }
            value[Int(path[path.count - 1])] = Int32(id)
            previous = key
        }
    }

    /// Calls `found(end, id)` for each piece equal to `text[start..<end]`, by increasing `end`.
    @inline(__always)
    func prefixes(of text: UnsafeBufferPointer<UInt8>, from start: Int, _ found: (Int, Int) -> Void) {
        var node = rootChild[Int(text[start])]
        var i = start
        while node >= 0 {
            i += 1
            if value[Int(node)] >= 0 { found(i, Int(value[Int(node)])) }
            if i == text.count { return }
            let b = text[i]
            var child = firstChild[Int(node)]
            while child >= 0 && label[Int(child)] != b { child = nextSibling[Int(child)] }
            node = child
        }
    }
}
