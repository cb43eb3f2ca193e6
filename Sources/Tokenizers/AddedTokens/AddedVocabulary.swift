/// The added tokens of a tokenizer, with the reference's id assignment and matching rules.
struct AddedVocabulary: Sendable {
    private(set) var byID: [Int: AddedToken] = [:]
    /// Normalized form of `normalized` tokens whose form differs from their content.
    private(set) var normalizedForm: [Int: String] = [:]
    private var contentIDs = ByteTable(capacity: 16)
    private var specialContents = ByteTable(capacity: 16)
    private var rawTrie = TokenTrie()
    private var normalizedTrie = TokenTrie()
    private(set) var maxID = -1
    private var minID = Int.max
    /// Disagreements between the ids written in the file and the ids the reference assigns.
    private(set) var warnings: [String] = []

    /// Adds tokens as the reference's `add_tokens` does on load: a token whose text the model
    /// already has takes the model's id; others take ids in order from the model's entry count
    /// (or one past the largest added id, if that is larger). With `keepIDs` (tiktoken special
    /// tokens) the given ids are used.
    init(tokens: [AddedToken], model: TokenModel, normalizer: Normalizer?, keepIDs: Bool = false) {
        var nextID = model.vocabularyCount
        var order: [Int] = []
        for var token in tokens {
            if token.content.isEmpty { continue }
            if let existing = contentIDs.find(token.content), byID[existing] == token.withID(existing) { continue }
            let id: Int
            if keepIDs {
                id = token.id
            } else if let existing = contentIDs.find(token.content) {
                id = existing
            } else if let modelID = model.id(forToken: token.content) {
                id = modelID
            } else {
                id = nextID
                nextID += 1
            }
            if token.id != id {
                warnings.append("added token \(token.content.debugDescription) is written with id \(token.id) but gets id \(id)")
            }
            token.id = id
            if token.normalized, let n = normalizer {
                let form = n.normalize(token.content)
                if !Array(form.utf8).elementsEqual(token.content.utf8) { normalizedForm[id] = form } else { normalizedForm[id] = nil }
            }
            if contentIDs.find(token.content) == nil { contentIDs.insert(token.content, value: id) }
            if token.special && specialContents.find(token.content) == nil { specialContents.insert(token.content, value: id) }
            if byID[id] == nil { order.append(id) }
            byID[id] = token
            maxID = max(maxID, id)
            minID = min(minID, id)
        }
        for id in order {
            guard let t = byID[id] else { continue }
            if t.normalized {
                normalizedTrie.insert(Array((normalizedForm[id] ?? t.content).utf8), value: id)
            } else {
                rawTrie.insert(Array(t.content.utf8), value: id)
            }
        }
    }

    var isEmpty: Bool { byID.isEmpty }

    /// The added token with this id. Most ids are not added tokens; the range test answers them
    /// without hashing, which every decode and round trip asks per id.
    @inline(__always)
    func token(_ id: Int) -> AddedToken? {
        id >= minID && id <= maxID ? byID[id] : nil
    }

    func id(forContent s: String) -> Int? { contentIDs.find(s) }

    /// The text decode uses for an added id: its normalized form when it has one.
    func decodingText(_ id: Int) -> String? {
        guard let t = token(id) else { return nil }
        return normalizedForm[id] ?? t.content
    }

    func isSpecialContent(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { specialContents.find($0) } != nil
    }

    /// Whether any added token (matched in raw or in normalized text) occurs in the text: when none
    /// does, `split` gives the whole text as one piece.
    func occurs(in buf: UnsafeBufferPointer<UInt8>, normalized: Bool) -> Bool {
        (normalized ? normalizedTrie : rawTrie).occurs(in: buf)
    }

    /// Splits UTF-8 text into pieces: (start, end, added id or nil). Empty pieces are left out.
    func split(_ buf: UnsafeBufferPointer<UInt8>, normalized: Bool, _ emit: (Int, Int, Int?) -> Void) {
        let trie = normalized ? normalizedTrie : rawTrie
        if trie.isEmpty {
            if !buf.isEmpty { emit(0, buf.count, nil) }
            return
        }
        do {
            var startOffset = 0
            trie.matches(in: buf) { mStart, mEnd, id in
                guard let token = byID[id] else { return }
                var start = mStart, stop = mEnd
                if token.singleWord {
                    let startSpace = start == 0 || !CharClass.isWord(AddedVocabulary.scalar(before: start, in: buf))
                    let stopSpace = stop == buf.count || !CharClass.isWord(AddedVocabulary.scalar(at: stop, in: buf))
                    if !startSpace || !stopSpace { return }
                }
                if token.lstrip {
                    var s = start
                    while s > 0 {
                        let (c, len) = AddedVocabulary.scalarAndLength(before: s, in: buf)
                        if !CharClass.isWhitespace(c) { break }
                        s -= len
                    }
                    start = max(s, startOffset)
                }
                if token.rstrip {
                    while stop < buf.count {
                        let c = AddedVocabulary.scalar(at: stop, in: buf)
                        if !CharClass.isWhitespace(c) { break }
                        stop += UTF8.width(c)
                    }
                }
                if startOffset < start { emit(startOffset, start, nil) }
                emit(start, stop, id)
                startOffset = stop
            }
            if startOffset < buf.count { emit(startOffset, buf.count, nil) }
        }
    }

    static func scalar(at i: Int, in b: UnsafeBufferPointer<UInt8>) -> Unicode.Scalar {
        var it = b[i...].makeIterator()
        var decoder = UTF8()
        if case .scalarValue(let s) = decoder.decode(&it) { return s }
        return "\u{FFFD}"
    }

    static func scalarAndLength(before i: Int, in b: UnsafeBufferPointer<UInt8>) -> (Unicode.Scalar, Int) {
        var s = i - 1
        while s > 0 && b[s] & 0xC0 == 0x80 { s -= 1 }
        return (scalar(at: s, in: b), i - s)
    }

    static func scalar(before i: Int, in b: UnsafeBufferPointer<UInt8>) -> Unicode.Scalar {
        scalarAndLength(before: i, in: b).0
    }
}

extension AddedToken {
    func withID(_ id: Int) -> AddedToken {
        var t = self
        t.id = id
        return t
    }
}
