import JSON
import TokenScopeCore

/// The tokenization model: turns one pre-token into ids.
protocol TokenModel: Sendable {
    var kind: ModelType { get }
    /// Number of entries (the reference's `get_vocab_size`, which numbers new added tokens).
    var vocabularyCount: Int { get }
    /// One past the largest id.
    var idLimit: Int { get }
    func tokenize(_ scalars: [Unicode.Scalar], into ids: inout [Int])
    func token(forID id: Int) -> String?
    func id(forTokenBytes bytes: UnsafeBufferPointer<UInt8>) -> Int?
    /// The marker of word-internal pieces (WordPiece's `##`, a BPE model's
    /// `continuing_subword_prefix`), or nil.
    var continuingSubwordPrefix: String? { get }
}

extension TokenModel {
    var continuingSubwordPrefix: String? { nil }
}

extension TokenModel {
    func id(forToken token: String) -> Int? {
        var t = token
        return t.withUTF8 { id(forTokenBytes: $0) }
    }
}

/// The `type` strings of `model` objects.
enum ModelType: String, Sendable {
    case bpe = "BPE"
    case wordPiece = "WordPiece"
    case wordLevel = "WordLevel"
    case unigram = "Unigram"
}

enum ModelFactory {
    static func make(_ value: JSONValue, path: String, parallelism: Parallelism) throws -> TokenModel {
        let c = try Config(value, path: path)
        // `type` may be absent in old files; infer it as the reference does for BPE (merges present).
        let typeName: String
        if let t = try c.optionalString("type") {
            typeName = t
        } else if c.has("merges") {
            typeName = "BPE"
        } else {
            throw c.error("missing \"type\"")
        }
        guard let type = ModelType(rawValue: typeName) else {
            throw c.unsupported("unsupported model type \"\(typeName)\"")
        }
        switch type {
        case .bpe: return try BPEModel(c, parallelism: parallelism)
        case .wordPiece: return try WordPieceModel(c)
        case .wordLevel: return try WordLevelModel(c)
        case .unigram: return try UnigramModel(c)
        }
    }
}

/// A vocabulary read from a `{"token": id}` object: bytes → id, id → token.
struct Vocabulary: Sendable {
    var table: ByteTable
    var tokens: [String?]
    var count: Int

    /// Ids above this are refused: they would make the id → token table absurdly large.
    static let maxID = 1 << 26

    init(_ value: JSONValue?, path: String) throws {
        guard let members = value?.objectValue else {
            throw TokenizerError(component: path, reason: "missing or non-object vocabulary")
        }
        var table = ByteTable(capacity: members.count)
        var maxSeen = -1
        var ids = [Int](repeating: 0, count: members.count)
        for (k, m) in members.enumerated() {
            guard let id = m.value.intValue, id >= 0, id < Vocabulary.maxID else {
                throw TokenizerError(component: path, reason: "token \(m.key.debugDescription) has an invalid id \(m.value)")
            }
            ids[k] = id
            if id > maxSeen { maxSeen = id }
        }
        var tokens = [String?](repeating: nil, count: maxSeen + 1)
        for (k, m) in members.enumerated() {
            let id = ids[k]
            if table.insert(m.key, value: id) != nil {
                throw TokenizerError(component: path, reason: "duplicate token \(m.key.debugDescription)")
            }
            if let other = tokens[id] {
                throw TokenizerError(component: path, reason: "id \(id) given to both \(other.debugDescription) and \(m.key.debugDescription)")
            }
            tokens[id] = m.key
        }
        self.table = table
        self.tokens = tokens
        self.count = members.count
    }

    init(table: ByteTable, tokens: [String?]) {
        self.table = table
        self.tokens = tokens
        self.count = table.count
    }

    @inline(__always)
    func token(_ id: Int) -> String? {
        id >= 0 && id < tokens.count ? tokens[id] : nil
    }
}
