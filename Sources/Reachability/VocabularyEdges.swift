import TokenScopeCore

/// The partial characters at the edges of the vocabulary's tokens: which continuation bytes tokens
/// start with and which truncated sequences they end with. A fragment is completed first with the
/// bytes of real neighbours, the ones the tokenizer was trained to put next to it.
struct VocabularyEdges {
    /// Distinct leading continuation runs (heads), ordered by the smallest id that starts with each.
    var heads: [[UInt8]]
    /// Distinct trailing truncated sequences (tails), ordered by the smallest id that ends with each.
    var tails: [[UInt8]]

    init(heads: [[UInt8]], tails: [[UInt8]]) {
        self.heads = heads
        self.tails = tails
    }

    /// Scans every non-special id of `codec` in parallel; the edges do not depend on `chunks`.
    init<C: TokenCodec>(_ codec: C, chunks: Int?, parallelism: Parallelism) {
        let n = max(0, codec.idCount)
        let perChunk = parallelism.map(count: n, chunks: chunks ?? parallelism.balancedChunks(n)) { range -> (heads: [([UInt8], Int)], tails: [([UInt8], Int)]) in
            var heads: [([UInt8], Int)] = [], tails: [([UInt8], Int)] = []
            for id in range where !codec.isSpecial(id) {
                let bytes = codec.decodedBytes([id])
                guard let last = bytes.last else { continue }
                // Cheap filter: an edge needs a continuation byte first or a non-ASCII byte last.
                guard isUTF8Continuation(bytes[0]) || last >= 0x80 else { continue }
                guard let shape = utf8FragmentShape(bytes) else { continue }
                if !shape.head.isEmpty { heads.append((shape.head, id)) }
                if !shape.tail.isEmpty { tails.append((shape.tail, id)) }
            }
            return (heads, tails)
        }
        func ordered(_ lists: [[([UInt8], Int)]]) -> [[UInt8]] {
            var first: [[UInt8]: Int] = [:]
            for list in lists { for (bytes, id) in list where first[bytes] == nil { first[bytes] = id } }
            return first.sorted { $0.value < $1.value }.map(\.key)
        }
        self.heads = ordered(perChunk.map(\.heads))
        self.tails = ordered(perChunk.map(\.tails))
    }
}
