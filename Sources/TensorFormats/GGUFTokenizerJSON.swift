import JSON

/// Builds a Hugging Face `tokenizer.json` document from the `tokenizer.ggml.*` metadata of a GGUF
/// file, so the project's tokenizer engine reads a GGUF vocabulary like any other.
///
/// - `gpt2` (byte-level BPE): the tokens and merges as stored; pre-tokenizer from
///   `tokenizer.ggml.pre`, mapped to the regexes llama.cpp uses for it (`llama-vocab.cpp`); an
///   unknown name is an error rather than a silent GPT-2 default, because a wrong split gives
///   wrong token ids without any sign. ByteLevel decoder.
/// - `llama` (SentencePiece BPE): byte fallback, Metaspace pre-tokenizer (`▁`, prepended to the
///   first word unless `tokenizer.ggml.add_space_prefix` is false). GGUF stores scores, not
///   merges; when `tokenizer.ggml.merges` is absent the merges are derived from the scores as
///   transformers' GGUF loader does (`GGUFTokenizerSkeleton` in `integrations/ggml.py`): every
///   split of every token into two tokens, ranked by the score of the merged token (stable, ties
///   in vocabulary order, within a token by the pieces' scores, highest first). SentencePiece
///   itself merges by score, which this ranking reproduces except where scores tie.
///
/// Control tokens (token type 3) become special added tokens and user-defined ones (type 4)
/// plain added tokens, as in transformers' conversion.
///
/// ```swift
/// let json = try GGUFTokenizerJSON.make(from: GGUFFile(path: "model.gguf"))
/// ```
public enum GGUFTokenizerJSON {
    /// llama.cpp's `llama_token_type`.
    enum TokenType: Int { case undefined = 0, normal, unknown, control, userDefined, unused, byte }

    public static func make(from file: GGUFFile) throws -> JSONValue {
        func fail(_ reason: String) -> TensorFormatError { TensorFormatError(path: file.path, reason: reason) }
        guard let model = file["tokenizer.ggml.model"]?.stringValue else {
            throw fail("no tokenizer.ggml.model: the file carries no vocabulary")
        }
        guard let tokens = file["tokenizer.ggml.tokens"]?.arrayValue?.strings, !tokens.isEmpty else {
            throw fail("tokenizer.ggml.tokens is missing or not an array of strings")
        }
        var types: [Int]?
        if let value = file["tokenizer.ggml.token_type"] {
            guard let t = value.arrayValue?.integers, t.count == tokens.count else {
                throw fail("tokenizer.ggml.token_type is not \(tokens.count) integers")
            }
            types = t
        }
        var merges: [String]?
        if let value = file["tokenizer.ggml.merges"] {
            guard let m = value.arrayValue?.strings else { throw fail("tokenizer.ggml.merges is not an array of strings") }
            merges = m
        }
        var vocab: [JSONMember] = []
        vocab.reserveCapacity(tokens.count)
        // Keyed by UTF-8 bytes: Swift's String equality is canonical equivalence, under which two
        // distinct tokens ("é" precomposed and decomposed) would be one.
        var ids: [[UInt8]: Int] = [:]
        ids.reserveCapacity(tokens.count)
        for (id, token) in tokens.enumerated() {
            let key = Array(token.utf8)
            if let previous = ids[key] { throw fail("token \(id) \"\(token)\" repeats token \(previous)") }
            ids[key] = id
            vocab.append(JSONMember(key: token, value: .integer(Int64(id))))
        }
        func tokenID(_ key: String) throws -> Int? {
            guard let value = file[key] else { return nil }
            guard let id = value.intValue, id >= 0, id < tokens.count else { throw fail("\(key) is not a token id below \(tokens.count)") }
            return id
        }
        // Merges must name tokens of the vocabulary; a merge of unknown pieces is a corrupt file.
        func checkMerges(_ merges: [String]) throws -> [JSONValue] {
            try merges.enumerated().map { index, merge in
                let parts = merge.utf8.split(separator: 0x20, omittingEmptySubsequences: false)
                guard parts.count == 2, ids[Array(parts[0])] != nil, ids[Array(parts[1])] != nil else {
                    throw fail("merge \(index) \"\(merge)\" is not two tokens of the vocabulary separated by a space")
                }
                return .string(merge)
            }
        }

        var added: [JSONValue] = []
        if let types {
            for (id, type) in types.enumerated() where type == TokenType.control.rawValue || type == TokenType.userDefined.rawValue {
                added.append(addedToken(id: id, content: tokens[id], special: type == TokenType.control.rawValue))
            }
        }

        var members: [JSONMember] = [JSONMember(key: "version", value: .string("1.0")), JSONMember(key: "truncation", value: .null),
                                     JSONMember(key: "padding", value: .null)]
        switch model {
        case "gpt2":
            guard let merges else { throw fail("a gpt2 (byte-level BPE) vocabulary needs tokenizer.ggml.merges") }
            let pre = file["tokenizer.ggml.pre"]?.stringValue ?? "default"
            guard let preTokenizer = byteLevelPreTokenizer(pre) else {
                throw fail("unknown tokenizer.ggml.pre \"\(pre)\" (known: \(knownPreTokenizers.joined(separator: ", ")))")
            }
            members += [
                JSONMember(key: "added_tokens", value: .array(added)),
                JSONMember(key: "normalizer", value: .null),
                JSONMember(key: "pre_tokenizer", value: preTokenizer),
                JSONMember(key: "post_processor", value: .null),
                JSONMember(key: "decoder", value: object(["type": .string("ByteLevel"), "add_prefix_space": .bool(false),
                                                           "trim_offsets": .bool(true), "use_regex": .bool(true)])),
                JSONMember(key: "model", value: bpeModel(vocab: vocab, merges: try checkMerges(merges), unk: nil, byteFallback: false)),
            ]
        case "llama":
            let derived: [String]
            if let merges {
                derived = merges
            } else {
                guard let scores = file["tokenizer.ggml.scores"]?.arrayValue?.doubles, scores.count == tokens.count else {
                    throw fail("a llama vocabulary without merges needs tokenizer.ggml.scores, one per token")
                }
                derived = mergesFromScores(tokens: tokens, scores: scores)
            }
            let unk = try tokenID("tokenizer.ggml.unknown_token_id").map { tokens[$0] }
            let prefix = file["tokenizer.ggml.add_space_prefix"]?.boolValue ?? true
            members += [
                JSONMember(key: "added_tokens", value: .array(added)),
                JSONMember(key: "normalizer", value: .null),
                JSONMember(key: "pre_tokenizer", value: object(["type": .string("Metaspace"), "replacement": .string("▁"),
                                                                 "prepend_scheme": .string(prefix ? "first" : "never"),
                                                                 "split": .bool(false)])),
                JSONMember(key: "post_processor", value: .null),
                JSONMember(key: "decoder", value: .object([
                    JSONMember(key: "type", value: .string("Sequence")),
                    JSONMember(key: "decoders", value: .array([
                        object(["type": .string("Replace"), "pattern": object(["String": .string("▁")]), "content": .string(" ")]),
                        object(["type": .string("ByteFallback")]),
                        object(["type": .string("Fuse")]),
                    ] + (prefix ? [object(["type": .string("Strip"), "content": .string(" "), "start": .integer(1), "stop": .integer(0)])] : []))),
                ])),
                JSONMember(key: "model", value: bpeModel(vocab: vocab, merges: try checkMerges(derived), unk: unk, byteFallback: true)),
            ]
        default:
            throw fail("tokenizer.ggml.model \"\(model)\" is not supported (gpt2 and llama are)")
        }
        return .object(members)
    }

    /// transformers' derivation of SentencePiece merges from scores (see the type's comment).
    public static func mergesFromScores(tokens: [String], scores: [Double]) -> [String] {
        // Python slices strings by code point and compares them exactly: so do these, over
        // Unicode scalars and UTF-8 bytes. A later duplicate of a token overrides its score, as
        // in the Python dict.
        var score: [[UInt8]: Double] = [:]
        for (i, t) in tokens.enumerated() { score[Array(t.utf8)] = scores[i] }
        typealias Merge = (left: String, right: String, leftScore: Double, rightScore: Double, score: Double)
        var merges: [Merge] = []
        var seen = Set<[UInt8]>()
        for token in tokens {
            let key = Array(token.utf8)
            guard seen.insert(key).inserted, let tokenScore = score[key] else { continue }
            let scalars = Array(token.unicodeScalars)
            guard scalars.count > 1 else { continue }
            var local: [Merge] = []
            for cut in 1..<scalars.count {
                var left = String.UnicodeScalarView(), right = String.UnicodeScalarView()
                left.append(contentsOf: scalars[..<cut])
                right.append(contentsOf: scalars[cut...])
                let l = String(left), r = String(right)
                if let ls = score[Array(l.utf8)], let rs = score[Array(r.utf8)] { local.append((l, r, ls, rs, tokenScore)) }
            }
            // Python's sorted(..., reverse=True) is stable: equal keys keep their order.
            local = stableSorted(local) { a, b in (a.leftScore, a.rightScore) > (b.leftScore, b.rightScore) }
            merges += local
        }
        merges = stableSorted(merges) { $0.score > $1.score }
        return merges.map { "\($0.left) \($0.right)" }
    }

    static func stableSorted<T>(_ items: [T], by before: (T, T) -> Bool) -> [T] {
        items.enumerated().sorted { a, b in
            if before(a.element, b.element) { return true }
            if before(b.element, a.element) { return false }
            return a.offset < b.offset
        }.map(\.element)
    }

    static func object(_ pairs: KeyValuePairs<String, JSONValue>) -> JSONValue {
        .object(pairs.map { JSONMember(key: $0.key, value: $0.value) })
    }

    static func addedToken(id: Int, content: String, special: Bool) -> JSONValue {
        object(["id": .integer(Int64(id)), "content": .string(content), "single_word": .bool(false), "lstrip": .bool(false),
                "rstrip": .bool(false), "normalized": .bool(!special), "special": .bool(special)])
    }

    static func bpeModel(vocab: [JSONMember], merges: [JSONValue], unk: String?, byteFallback: Bool) -> JSONValue {
        object(["type": .string("BPE"), "dropout": .null, "unk_token": unk.map(JSONValue.string) ?? .null,
                "continuing_subword_prefix": .null, "end_of_word_suffix": .null, "fuse_unk": .bool(byteFallback),
                "byte_fallback": .bool(byteFallback), "ignore_merges": .bool(false),
                "vocab": .object(vocab), "merges": .array(merges)])
    }

    // Regexes as Hugging Face's tokenizer.json files write them (llama.cpp rewrites `(?i:…)` as
    // character classes; the two are equivalent).
    static let gpt2Regex = #"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"#
    static let llama3Regex = #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#
    static let qwen2Regex = #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#
    static let deepseekLLMRegexes = [
        #"[\r\n]"#,
        #"\s?[A-Za-zµÀ-ÖØ-öø-ƺƼ-ƿǄ-ʓʕ-ʯͰ-ͳͶͷͻ-ͽͿΆΈ-ΊΌΎ-ΡΣ-ϵϷ-ҁҊ-ԯԱ-ՖႠ-ჅᎠ-Ᏽᏸ-ᏽᲐ-ᲺᲽ-Ჿᴀ-ᴫᵫ-ᵷᵹ-ᶚḀ-ἕἘ-Ἕἠ-ὅὈ-Ὅὐ-ὗὙὛὝὟ-ώᾀ-ᾴᾶ-ᾼιῂ-ῄῆ-ῌῐ-ΐῖ-Ίῠ-Ῥῲ-ῴῶ-ῼℂℇℊ-ℓℕℙ-ℝℤΩℨK-ℭℯ-ℴℹℼ-ℿⅅ-ⅉⅎↃↄⰀ-ⱻⱾ-ⳤⳫ-ⳮⳲⳳꙀ-ꙭꚀ-ꚛꜢ-ꝯꝱ-ꞇꞋ-ꞎꭰ-ꮿﬀ-ﬆﬓ-ﬗＡ-Ｚａ-ｚ𐐀-𐑏𐒰-𐓓𐓘-𐓻𐲀-𐲲𐳀-𐳲𑢠-𑣟𞤀-𞥃]+"#,
        #"\s?[!-/:-~！-／：-～‘-‟　-。]+"#,
        #"\s+$"#,
        #"[一-龥ࠀ-一가-퟿]+"#,
        #"\p{N}+"#,
    ]
    static let deepseekCoderRegexes = [#"[\r\n]"#, #"\s?\p{L}+"#, #"\s?\p{P}+"#, #"[一-龥ࠀ-一가-퟿]+"#, #"\p{N}"#]

    /// `tokenizer.ggml.pre` names and the regexes llama.cpp splits with for them.
    static let preTokenizerRegexes: [String: [String]] = [
        "default": [gpt2Regex], "gpt-2": [gpt2Regex], "gpt2": [gpt2Regex],
        "llama3": [llama3Regex], "llama-v3": [llama3Regex], "llama-bpe": [llama3Regex], "falcon3": [llama3Regex],
        "dbrx": [llama3Regex], "smaug-bpe": [llama3Regex],
        "qwen2": [qwen2Regex], "deepseek-r1-qwen": [qwen2Regex], "megrez": [qwen2Regex],
        "deepseek-llm": deepseekLLMRegexes,
        "deepseek-coder": deepseekCoderRegexes,
    ]

    public static var knownPreTokenizers: [String] { preTokenizerRegexes.keys.sorted() }

    /// GPT-2's own regex is ByteLevel's built-in one; the others split first, each regex in turn
    /// (as llama.cpp applies them), then map bytes without splitting again.
    static func byteLevelPreTokenizer(_ name: String) -> JSONValue? {
        guard let regexes = preTokenizerRegexes[name] else { return nil }
        if regexes == [gpt2Regex] {
            return object(["type": .string("ByteLevel"), "add_prefix_space": .bool(false), "trim_offsets": .bool(true), "use_regex": .bool(true)])
        }
        let splits = regexes.map { regex in
            object(["type": .string("Split"), "pattern": object(["Regex": .string(regex)]), "behavior": .string("Isolated"), "invert": .bool(false)])
        }
        let byteLevel = object(["type": .string("ByteLevel"), "add_prefix_space": .bool(false), "trim_offsets": .bool(true), "use_regex": .bool(false)])
        return object(["type": .string("Sequence"), "pretokenizers": .array(splits + [byteLevel])])
    }
}
