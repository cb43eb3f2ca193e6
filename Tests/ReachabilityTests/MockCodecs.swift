import Reachability

/// A toy byte-level BPE: ids 0–255 are the bytes, merges add entries in rank order, optional extra
/// entries (never produced by a merge) and added tokens after them.
final class ToyByteBPE: TokenCodec {
    struct Pair: Hashable { let left: Int, right: Int }

    private(set) var entries: [[UInt8]] = (0...255).map { [UInt8($0)] }
    private var merges: [Pair: (rank: Int, id: Int)] = [:]
    private var added: [(id: Int, text: String, special: Bool, matchable: Bool)] = []
    let stripTrailingSpaces: Bool

    /// - Parameters:
    ///   - merges: pairs of existing entries, lowest rank first.
    ///   - extraEntries: entries appended with no merge (an alias duplicates an existing entry).
    ///   - addedTokens: (text, special, matchable): an unmatchable one is never produced by encode.
    ///   - stripTrailingSpaces: a normalizer that drops trailing spaces before encoding.
    init(merges mergeList: [([UInt8], [UInt8])], extraEntries: [[UInt8]] = [],
         addedTokens: [(String, special: Bool, matchable: Bool)] = [], stripTrailingSpaces: Bool = false) {
        self.stripTrailingSpaces = stripTrailingSpaces
        for (rank, (a, b)) in mergeList.enumerated() {
            guard let ia = entries.firstIndex(of: a), let ib = entries.firstIndex(of: b) else {
                preconditionFailure("toy merge names a missing entry")
            }
            let joined = a + b
            let id: Int
            if let existing = entries.firstIndex(of: joined) { id = existing } else { id = entries.count; entries.append(joined) }
            merges[Pair(left: ia, right: ib)] = (rank, id)
        }
        entries.append(contentsOf: extraEntries)
        for (text, special, matchable) in addedTokens {
            added.append((entries.count, text, special, matchable))
            entries.append(Array(text.utf8))
        }
    }

    func id(of bytes: [UInt8]) -> Int? { entries.firstIndex(of: bytes) }
    func id(of text: String) -> Int? { id(of: Array(text.utf8)) }

    var idCount: Int { entries.count }
    var continuingSubwordPrefix: String? { nil }

    func encode(_ text: String) -> [Int] {
        var bytes = Array(text.utf8)
        if stripTrailingSpaces { while bytes.last == 0x20 { bytes.removeLast() } }
        var out: [Int] = []
        var start = 0, i = 0
        // Matchable added tokens are cut out first, leftmost.
        scan: while i < bytes.count {
            for token in added where token.matchable {
                let t = Array(token.text.utf8)
                if i + t.count <= bytes.count && Array(bytes[i..<(i + t.count)]) == t {
                    out += bpe(Array(bytes[start..<i]))
                    out.append(token.id)
                    i += t.count
                    start = i
                    continue scan
                }
            }
            i += 1
        }
        out += bpe(Array(bytes[start...]))
        return out
    }

    private func bpe(_ bytes: [UInt8]) -> [Int] {
        var ids = bytes.map(Int.init)
        while ids.count > 1 {
            var best: (rank: Int, index: Int, id: Int)? = nil
            for k in 0..<(ids.count - 1) {
                if let m = merges[Pair(left: ids[k], right: ids[k + 1])], m.rank < (best?.rank ?? .max) {
                    best = (m.rank, k, m.id)
                }
            }
            guard let b = best else { break }
            ids.replaceSubrange(b.index...(b.index + 1), with: [b.id])
        }
        return ids
    }

    func decodedBytes(_ ids: [Int]) -> [UInt8] { ids.flatMap { $0 >= 0 && $0 < entries.count ? entries[$0] : [] } }
    func decodeKeepingSpecialTokens(_ ids: [Int]) -> String { String(decoding: decodedBytes(ids), as: UTF8.self) }
    func tokenString(_ id: Int) -> String? { id >= 0 && id < entries.count ? ReadableForm.of(entries[id]) : nil }
    func isSpecial(_ id: Int) -> Bool { added.contains { $0.id == id && $0.special } }
    func isAddedToken(_ id: Int) -> Bool { added.contains { $0.id == id } }
}

/// A toy WordPiece: whitespace and ASCII punctuation split words, greedy longest match with `##`
/// continuations, `[UNK]` for a word that cannot be split; the HF WordPiece decoder.
final class ToyWordPiece: TokenCodec {
    let vocab: [String]
    let specials: Set<String>

    init(vocab: [String], specials: Set<String>) {
        self.vocab = vocab
        self.specials = specials
    }

    var idCount: Int { vocab.count }
    var continuingSubwordPrefix: String? { "##" }

    func encode(_ text: String) -> [Int] {
        var words: [String] = []
        var current = ""
        for ch in text {
            if ch.isWhitespace {
                if !current.isEmpty { words.append(current); current = "" }
            } else if ch.isASCII && ch.isPunctuation && !specials.contains(where: { $0.contains(ch) }) {
                if !current.isEmpty { words.append(current); current = "" }
                words.append(String(ch))
            } else {
                current.append(ch)
            }
        }
        if !current.isEmpty { words.append(current) }
        let unk = vocab.firstIndex(of: "[UNK]") ?? 0
        var out: [Int] = []
        for word in words {
            if specials.contains(word), let id = vocab.firstIndex(of: word) { out.append(id); continue }
            var pieces: [Int] = []
            var rest = Substring(word)
            var first = true
            while !rest.isEmpty {
                var end = rest.endIndex
                var match: Int? = nil
                while end > rest.startIndex {
                    let piece = (first ? "" : "##") + rest[rest.startIndex..<end]
                    if let id = vocab.firstIndex(of: piece) { match = id; break }
                    end = rest.index(before: end)
                }
                guard let m = match else { pieces = [unk]; break }
                pieces.append(m)
                rest = rest[end...]
                first = false
            }
            out += pieces
        }
        return out
    }

    func decodeKeepingSpecialTokens(_ ids: [Int]) -> String {
        var out = ""
        for (k, id) in ids.enumerated() where id >= 0 && id < vocab.count {
            let token = vocab[id]
            if k > 0 {
                if token.hasPrefix("##") { out += token.dropFirst(2) } else { out += " " + token }
            } else {
                out += token
            }
        }
        return out
    }

    func decodedBytes(_ ids: [Int]) -> [UInt8] { Array(decodeKeepingSpecialTokens(ids).utf8) }
    func tokenString(_ id: Int) -> String? { id >= 0 && id < vocab.count ? vocab[id] : nil }
    func isSpecial(_ id: Int) -> Bool { id >= 0 && id < vocab.count && specials.contains(vocab[id]) }
    func isAddedToken(_ id: Int) -> Bool { isSpecial(id) }
}

/// The toy BPE used by most tests.
///
/// - `bc` (rank 0) and `ab` (rank 1) make `abc` (rank 2) unreachable in any context: `b c` always
///   merges first.
/// - `E0 B8` then `E0 B8 81` (ก): the fragment `E0 B8` appears only before a Thai character
///   that is not an entry, e.g. U+0E00.
/// - `"a "` under a normalizer that strips trailing spaces: reachable only with text after it.
/// - an alias of `bc` (never produced), a matchable special and an unmatchable special.
func makeToyBPE() -> ToyByteBPE {
    let b = { (s: String) in Array(s.utf8) }
    return ToyByteBPE(
        merges: [
            (b("b"), b("c")), (b("a"), b("b")), (b("ab"), b("c")),
            ([0xE0], [0xB8]), ([0xE0, 0xB8], [0x81]),
            (b("a"), b(" ")),
            (b("t"), b("h")), (b("th"), b("e")),
        ],
        extraEntries: [b("bc")],
        addedTokens: [("<|end|>", special: true, matchable: true), ("<|hidden|>", special: true, matchable: false)],
        stripTrailingSpaces: true)
}

func makeToyWordPiece() -> ToyWordPiece {
    ToyWordPiece(
        vocab: ["[UNK]", "[CLS]", "walk", "##ing", "a", "##s", "run", "##ning", "the", "e", "##zzq"],
        specials: ["[UNK]", "[CLS]"])
}
