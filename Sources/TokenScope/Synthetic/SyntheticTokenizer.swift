import JSON

/// A byte-level BPE tokenizer whose round-trip reachability is known by construction.
///
/// The pre-tokenizer is ByteLevel without its regex, so each text is one BPE word and the merge
/// process can be simulated exactly here. A merge (a, b) is kept only when the simulated encoding
/// of a+b under the earlier merges is exactly [a, b]; since later merges rank higher, they never
/// pre-empt the earlier ones, so every kept token whose bytes are valid UTF-8 stays reachable.
/// Unreachable by construction: the 128 single bytes ≥ 0x80 and merged fragments of multi-byte
/// characters (not valid UTF-8 alone), and planted entries that no merge produces.
struct SyntheticTokenizer {
    /// Token bytes by id (model vocabulary, then added tokens).
    var tokens: [[UInt8]] = []
    var merges: [(Int, Int)] = []
    var addedTokens: [String] = []
    /// Ids that fail the decode → encode round trip, ascending.
    var unreachable: [Int] = []

    static let qwenAddedTokens = [
        "<|endoftext|>", "<|im_start|>", "<|im_end|>", "<|object_ref_start|>", "<|object_ref_end|>", "<|box_start|>",
        "<|box_end|>", "<|quad_start|>", "<|quad_end|>", "<|vision_start|>", "<|vision_end|>", "<|vision_pad|>",
        "<|image_pad|>", "<|video_pad|>", "<tool_call>", "</tool_call>", "<|fim_prefix|>", "<|fim_middle|>",
        "<|fim_suffix|>", "<|fim_pad|>", "<|repo_name|>", "<|file_sep|>", "<tool_response>", "</tool_response>",
        "<think>", "</think>",
    ]

    /// GPT-2's reversible map from bytes to printable characters.
    static let byteToUnicode: [Character] = {
        var printable = Array(0x21...0x7E) + Array(0xA1...0xAC) + Array(0xAE...0xFF)
        var map = [Int](repeating: 0, count: 256)
        var extra = 0
        for byte in 0..<256 {
            if printable.contains(byte) { map[byte] = byte } else { map[byte] = 256 + extra; extra += 1 }
        }
        printable.removeAll()
        return map.map { Character(Unicode.Scalar(UInt32($0))!) }
    }()

    init(vocabularySize: Int, addedCount: Int, unreachableCount: Int, random: inout SplitMix64) {
        addedTokens = Array(Self.qwenAddedTokens.prefix(addedCount))
        while addedTokens.count < addedCount { addedTokens.append("<|extra_\(addedTokens.count)|>") }
        let modelSize = vocabularySize - addedCount
        // Byte tokens in GPT-2's order: printable characters first, as in its vocabulary.
        let byteOrder = (0..<256).sorted { Self.byteToUnicode[$0].unicodeScalars.first!.value < Self.byteToUnicode[$1].unicodeScalars.first!.value }
        tokens = byteOrder.map { [UInt8($0)] }
        var idOf: [[UInt8]: Int] = [:]
        for (id, token) in tokens.enumerated() { idOf[token] = id }
        var rank: [Pair: (rank: Int, id: Int)] = [:]
        var fragments = 0

        // Characters words are made of: mostly ASCII, some two- and three-byte characters.
        let alphabet: [[UInt8]] = (Array("etaoinshrdlucmfwypvbgkjqxz ETAOINSHRDLU0123456789.,-_".utf8).map { [$0] })
            + ["é", "ß", "ñ", "ж", "д", "ω", "中", "文", "字", "語", "ก", "า"].map { Array($0.utf8) }
        // Multi-byte characters first become tokens through their fragments.
        for character in alphabet where character.count > 1 {
            var left = idOf[[character[0]]]!
            for k in 1..<character.count {
                let piece = Array(character[0...k])
                let right = idOf[[character[k]]]!
                if idOf[piece] == nil {
                    rank[Pair(left, right)] = (merges.count, tokens.count)
                    merges.append((left, right))
                    idOf[piece] = tokens.count
                    tokens.append(piece)
                    if k < character.count - 1 { fragments += 1 }
                }
                left = idOf[piece]!
            }
        }
        let alphabetIDs = alphabet.map { idOf[$0]! }
        let naturallyUnreachable = 128 + fragments
        let planted = max(0, unreachableCount - naturallyUnreachable)
        let mergedTarget = modelSize - planted

        // Grow words: extend a recent token by one alphabet character, kept only when the
        // simulated encoding of the result under the earlier merges is exactly the two parts.
        var attempts = 0
        while tokens.count < mergedTarget, attempts < mergedTarget * 50 {
            attempts += 1
            let pool = tokens.count - 256
            let left = pool > 0 && random.next() % 4 != 0 ? 256 + Int(random.next() % UInt64(pool)) : alphabetIDs[Int(random.next() % UInt64(alphabetIDs.count))]
            let right = alphabetIDs[Int(random.next() % UInt64(alphabetIDs.count))]
            let word = tokens[left] + tokens[right]
            guard word.count <= 12, idOf[word] == nil, String(validating: word, as: UTF8.self) != nil else { continue }
            guard Self.encode(word, idOf: idOf, rank: rank) == [left, right] else { continue }
            rank[Pair(left, right)] = (merges.count, tokens.count)
            merges.append((left, right))
            idOf[word] = tokens.count
            tokens.append(word)
        }
        // Planted entries: valid text that no merge produces.
        var plantedIDs: [Int] = []
        while tokens.count < modelSize {
            let length = 2 + Int(random.next() % 4)
            let word = (0..<length).flatMap { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }
            guard idOf[word] == nil else { continue }
            idOf[word] = tokens.count
            plantedIDs.append(tokens.count)
            tokens.append(word)
        }
        for name in addedTokens { tokens.append(Array(name.utf8)) }

        var unreachable = plantedIDs
        for (id, token) in tokens.prefix(tokens.count - addedTokens.count - plantedIDs.count).enumerated()
        where String(validating: token, as: UTF8.self) == nil {
            unreachable.append(id)
        }
        self.unreachable = unreachable.sorted()
    }

    struct Pair: Hashable {
        var a: Int32, b: Int32
        init(_ a: Int, _ b: Int) { self.a = Int32(a); self.b = Int32(b) }
    }

    /// Byte-level BPE on one word: merge the lowest-ranked adjacent pair, leftmost on ties.
    static func encode(_ bytes: [UInt8], idOf: [[UInt8]: Int], rank: [Pair: (rank: Int, id: Int)]) -> [Int] {
        var symbols = bytes.map { idOf[[$0]]! }
        while symbols.count > 1 {
            var best: (rank: Int, id: Int, index: Int)?
            for i in 0..<(symbols.count - 1) {
                if let merge = rank[Pair(symbols[i], symbols[i + 1])], merge.rank < (best?.rank ?? Int.max) {
                    best = (merge.rank, merge.id, i)
                }
            }
            guard let best else { break }
            symbols.replaceSubrange(best.index...(best.index + 1), with: [best.id])
        }
        return symbols
    }

    /// The tokenizer as a Hugging Face `tokenizer.json`.
    func json() -> JSONValue {
        func text(_ id: Int) -> String { String(tokens[id].map { Self.byteToUnicode[Int($0)] }) }
        let modelCount = tokens.count - addedTokens.count
        let vocab = JSONValue.object((0..<modelCount).map { JSONMember(key: text($0), value: JSONValue($0)) })
        let mergeList = JSONValue.array(merges.map { .string(text($0.0) + " " + text($0.1)) })
        let added = JSONValue.array(addedTokens.enumerated().map { offset, name in
            ["id": JSONValue(modelCount + offset), "content": .string(name), "single_word": false, "lstrip": false,
             "rstrip": false, "normalized": false, "special": .bool(!name.hasPrefix("<think") && !name.hasPrefix("</think")
                && !name.contains("tool_"))]
        })
        return [
            "version": "1.0", "truncation": nil, "padding": nil, "added_tokens": added, "normalizer": nil,
            "pre_tokenizer": ["type": "ByteLevel", "add_prefix_space": false, "trim_offsets": false, "use_regex": false],
            "post_processor": nil,
            "decoder": ["type": "ByteLevel", "add_prefix_space": false, "trim_offsets": false, "use_regex": false],
            "model": ["type": "BPE", "dropout": nil, "unk_token": nil, "continuing_subword_prefix": nil,
                      "end_of_word_suffix": nil, "fuse_unk": false, "byte_fallback": false, "ignore_merges": false,
                      "vocab": vocab, "merges": mergeList],
        ]
    }
}
