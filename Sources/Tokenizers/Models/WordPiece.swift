/// WordPiece (BERT): greedy longest-match-first over each word, continuation pieces carrying a
/// prefix (`##`); a word with an unmatchable rest, or longer than `max_input_chars_per_word`
/// scalars, becomes the unknown token.
struct WordPieceModel: TokenModel {
    let kind = ModelType.wordPiece
    let vocab: Vocabulary
    let unkID: Int?
    let prefix: [UInt8]
    var continuingSubwordPrefix: String? { prefix.isEmpty ? nil : String(decoding: prefix, as: UTF8.self) }
    let maxInputCharsPerWord: Int

    var vocabularyCount: Int { vocab.count }
    var idLimit: Int { vocab.tokens.count }

    init(_ c: Config) throws {
        vocab = try Vocabulary(c.value["vocab"], path: "\(c.path).vocab")
        let unk = try c.optionalString("unk_token") ?? "[UNK]"
        unkID = vocab.table.find(unk)
        prefix = Array((try c.optionalString("continuing_subword_prefix") ?? "##").utf8)
        maxInputCharsPerWord = try c.int("max_input_chars_per_word", default: 100)
    }

    func token(forID id: Int) -> String? { vocab.token(id) }
    func id(forTokenBytes bytes: UnsafeBufferPointer<UInt8>) -> Int? { vocab.table.find(bytes) }

    func tokenize(_ scalars: [Unicode.Scalar], into ids: inout [Int]) {
        if scalars.isEmpty { return }
        // The reference fails the whole encode when it needs a missing unknown token; here the word is dropped.
        if scalars.count > maxInputCharsPerWord {
            if let u = unkID { ids.append(u) }
            return
        }
        // Byte offset of each scalar boundary.
        var bytes: [UInt8] = []
        var boundaries: [Int] = [0]
        for s in scalars { bytes.append(contentsOf: UTF8.encode(s)!); boundaries.append(bytes.count) }
        var found: [Int] = []
        var start = 0  // scalar index
        var buffer: [UInt8] = []
        while start < scalars.count {
            var end = scalars.count
            var match: Int? = nil
            while start < end {
                buffer.removeAll(keepingCapacity: true)
                if start > 0 { buffer.append(contentsOf: prefix) }
                buffer.append(contentsOf: bytes[boundaries[start]..<boundaries[end]])
                if let id = buffer.withUnsafeBufferPointer({ vocab.table.find($0) }) { match = id; break }
                end -= 1
            }
            guard let id = match else {
                if let u = unkID { ids.append(u) }
                return
            }
            found.append(id)
            start = end
        }
        ids.append(contentsOf: found)
    }
}

/// WordLevel: each pre-token is looked up whole, else the unknown token.
struct WordLevelModel: TokenModel {
    let kind = ModelType.wordLevel
    let vocab: Vocabulary
    let unkID: Int?

    var vocabularyCount: Int { vocab.count }
    var idLimit: Int { vocab.tokens.count }

    init(_ c: Config) throws {
        let vocab = try Vocabulary(c.value["vocab"], path: "\(c.path).vocab")
        self.vocab = vocab
        unkID = (try c.optionalString("unk_token")).flatMap { vocab.table.find($0) }
    }

    func token(forID id: Int) -> String? { vocab.token(id) }
    func id(forTokenBytes bytes: UnsafeBufferPointer<UInt8>) -> Int? { vocab.table.find(bytes) }

    func tokenize(_ scalars: [Unicode.Scalar], into ids: inout [Int]) {
        if scalars.isEmpty { return }
        if let id = vocab.table.find(String(scalars: scalars)) { ids.append(id) } else if let u = unkID { ids.append(u) }
    }
}
