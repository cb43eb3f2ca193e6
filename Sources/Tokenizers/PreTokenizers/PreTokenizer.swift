import JSON

/// A piece of normalized text on its way to the model.
struct PreToken {
    var scalars: [Unicode.Scalar]
    /// Whether the piece starts at offset 0 of the input (Metaspace's `prepend_scheme: first`).
    var isFirst: Bool
}

/// One pre-tokenization stage: subdivides (and may rewrite) each piece.
protocol PreTokenizer: Sendable {
    func preTokenize(_ piece: PreToken, into out: inout [PreToken])
}

extension PreTokenizer {
    func preTokenize(_ pieces: [PreToken]) -> [PreToken] {
        var out: [PreToken] = []
        out.reserveCapacity(pieces.count * 4)
        for p in pieces { preTokenize(p, into: &out) }
        return out
    }
}

/// The `type` strings of `pre_tokenizer` objects.
enum PreTokenizerType: String {
    case split = "Split"
    case byteLevel = "ByteLevel"
    case metaspace = "Metaspace"
    case whitespace = "Whitespace"
    case whitespaceSplit = "WhitespaceSplit"
    case bert = "BertPreTokenizer"
    case digits = "Digits"
    case punctuation = "Punctuation"
    case sequence = "Sequence"
    case charDelimiterSplit = "CharDelimiterSplit"
}

enum PreTokenizerFactory {
    static func make(_ value: JSONValue, path: String) throws -> PreTokenizer {
        let c = try Config(value, path: path)
        let typeName = try c.type()
        guard let type = PreTokenizerType(rawValue: typeName) else {
            throw c.unsupported("unsupported pre-tokenizer type \"\(typeName)\"")
        }
        switch type {
        case .split: return try SplitPreTokenizer(c)
        case .byteLevel: return try ByteLevelPreTokenizer(c)
        case .metaspace: return try MetaspacePreTokenizer(c)
        case .whitespace: return WhitespacePreTokenizer()
        case .whitespaceSplit: return WhitespaceSplitPreTokenizer()
        case .bert: return BertPreTokenizer()
        case .digits: return try DigitsPreTokenizer(c)
        case .punctuation: return try PunctuationPreTokenizer(c)
        case .charDelimiterSplit: return try CharDelimiterSplitPreTokenizer(c)
        case .sequence:
            let items = try c.array("pretokenizers")
            return SequencePreTokenizer(stages: try items.enumerated().map {
                try make($0.element, path: "\(path).pretokenizers[\($0.offset)]")
            })
        }
    }
}
