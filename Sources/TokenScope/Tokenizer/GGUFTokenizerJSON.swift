import Foundation
import JSON
import TensorFormats

/// Builds a Hugging Face `tokenizer.json` document from the `tokenizer.ggml.*` metadata of a GGUF
/// file, so the project's tokenizer engine reads a GGUF vocabulary like any other. The target is
/// the reference's behaviour on the model's original `tokenizer.json` (what llama.cpp's tokenizer
/// suite checks against), rebuilt from what llama.cpp's converter stores:
///
/// - `gpt2` (byte-level BPE) and `whitespace`: tokens and merges as stored; the pre-tokenizer
///   of `tokenizer.ggml.pre` (`GGUFPreTokenizer`: llama.cpp's regexes, byte mapping and
///   `ignore_merges`), and the family's normaliser where it is known. An unknown name is an
///   error rather than a silent default, because a wrong split gives wrong ids without a sign.
/// - `llama` (SentencePiece BPE): as transformers' Llama conversion — normaliser Prepend(`▁`)
///   (unless `add_space_prefix` is false) and Replace(` `→`▁`), no pre-tokenizer, byte fallback,
///   runs of unknown characters fused. Merges from the file, else derived from the scores
///   (`mergesFromScores`).
/// - `gemma4` (SentencePiece-style BPE on raw UTF-8): Replace(` `→`▁`), newline runs split off,
///   byte fallback, merges as stored.
/// - `bert` (WordPiece): llama.cpp stores word-initial pieces as `▁piece` and continuations bare
///   ("phantom space"); the `##` form is restored. BertNormalizer with the file's lowercase and
///   strip-accents flags (llama.cpp's defaults: lowercase, strip accents as lowercase).
/// - `t5` (Unigram): pieces with their scores, as transformers builds a tokenizer from a
///   SentencePiece model's own settings (`build_tokenizer_from_spm_proto`), read from the GGUF:
///   `Precompiled` from `precompiled_charsmap`, `remove_extra_whitespaces`, `add_space_prefix`,
///   user-defined pieces split off whole, byte fallback when the vocabulary has BYTE tokens.
///
/// Token types (llama.cpp's `llama_token_type`): CONTROL tokens become special added tokens,
/// USER_DEFINED ones plain added tokens, both matched on the raw text as llama.cpp does; UNUSED,
/// BYTE and NORMAL stay model pieces (BYTE tokens are the `<0xHH>` pieces byte fallback uses).
///
/// ```swift
/// let json = try GGUFTokenizerJSON.make(from: GGUFFile(path: "model.gguf"))
/// ```
public enum GGUFTokenizerJSON {
    /// llama.cpp's `llama_token_type`.
    enum TokenType: Int { case undefined = 0, normal, unknown, control, userDefined, unused, byte }

    /// `tokenizer.ggml.model` values this conversion reads.
    public static let knownModels = ["bert", "gemma4", "gpt2", "llama", "t5", "whitespace"]

    public static var knownPreTokenizers: [String] { GGUFPreTokenizer.byName.keys.sorted() }

    public static func make(from file: GGUFFile) throws -> JSONValue {
        let v = try Vocabulary(file)
        let parts: Parts
        switch v.model {
        case "gpt2", "whitespace": parts = try byteLevelBPE(v)
        case "llama": parts = try sentencePieceBPE(v)
        case "gemma4": parts = try gemma4(v)
        case "bert": parts = try wordPiece(v)
        case "t5": parts = try unigram(v)
        default:
            throw v.fail("tokenizer.ggml.model \"\(v.model)\" is not supported (known: \(knownModels.joined(separator: ", ")))")
        }
        return .object([
            JSONMember(key: "version", value: .string("1.0")), JSONMember(key: "truncation", value: .null),
            JSONMember(key: "padding", value: .null), JSONMember(key: "added_tokens", value: .array(parts.added)),
            JSONMember(key: "normalizer", value: parts.normalizer), JSONMember(key: "pre_tokenizer", value: parts.preTokenizer),
            JSONMember(key: "post_processor", value: .null), JSONMember(key: "decoder", value: parts.decoder),
            JSONMember(key: "model", value: parts.model),
        ])
    }

    /// One line saying which normalisation semantics a GGUF vocabulary is read with: the GGUF
    /// carries no normaliser, so either the family's original one is known (restored, or known to
    /// be none) or it is not, and the run uses llama.cpp's (none).
    public static func semantics(of file: GGUFFile) -> String {
        let model = file["tokenizer.ggml.model"]?.stringValue ?? "?"
        switch model {
        case "gpt2", "whitespace":
            let pre = file["tokenizer.ggml.pre"]?.stringValue ?? "default"
            switch GGUFPreTokenizer.byName[pre]?.normalizer ?? .unknown {
            case .nfc: return "GGUF pre-tokenizer \"\(pre)\": NFC normalizer restored from the family's tokenizer.json (llama.cpp applies none)"
            case .none: return "GGUF pre-tokenizer \"\(pre)\": no normalizer, as the family's tokenizer.json"
            case .unknown: return "GGUF pre-tokenizer \"\(pre)\": the original tokenizer.json's normalizer is not known; none applied, as llama.cpp"
            }
        case "llama": return "GGUF SentencePiece BPE: normalizer as transformers' Llama conversion (prefix ▁, spaces as ▁)"
        case "gemma4": return "GGUF Gemma 4 BPE: normalizer as Gemma's tokenizer.json (spaces as ▁)"
        case "bert": return "GGUF WordPiece: BertNormalizer with the file's lowercase/strip-accents flags"
        case "t5": return "GGUF Unigram: the file's precompiled charsmap and whitespace flags"
        default: return "GGUF tokenizer model \"\(model)\""
        }
    }

    // MARK: - The file's vocabulary

    struct Vocabulary {
        let file: GGUFFile
        let model: String
        let tokens: [String]
        let types: [Int]?
        /// Keyed by UTF-8 bytes: Swift's String equality is canonical equivalence, under which two
        /// distinct tokens ("é" precomposed and decomposed) would be one.
        var ids: [[UInt8]: Int] = [:]

        init(_ file: GGUFFile) throws {
            self.file = file
            func fail(_ reason: String) -> TensorFormatError { TensorFormatError(path: file.path, problem: .malformed(reason)) }
            guard let model = file["tokenizer.ggml.model"]?.stringValue else {
                throw fail("no tokenizer.ggml.model: the file carries no vocabulary")
            }
            guard let tokens = file["tokenizer.ggml.tokens"]?.arrayValue?.strings, !tokens.isEmpty else {
                throw fail("tokenizer.ggml.tokens is missing or not an array of strings")
            }
            self.model = model
            self.tokens = tokens
            if let value = file["tokenizer.ggml.token_type"] {
                guard let t = value.arrayValue?.integers, t.count == tokens.count else {
                    throw fail("tokenizer.ggml.token_type is not \(tokens.count) integers")
                }
                types = t
            } else {
                types = nil
            }
            ids.reserveCapacity(tokens.count)
            for (id, token) in tokens.enumerated() {
                let key = Array(token.utf8)
                if let previous = ids[key] { throw fail("token \(id) \"\(token)\" repeats token \(previous)") }
                ids[key] = id
            }
        }

        func fail(_ reason: String) -> TensorFormatError { TensorFormatError(path: file.path, problem: .malformed(reason)) }

        func type(_ id: Int) -> TokenType? { types.flatMap { TokenType(rawValue: $0[id]) } }

        func tokenID(_ key: String) throws -> Int? {
            guard let value = file[key] else { return nil }
            guard let id = value.intValue, id >= 0, id < tokens.count else { throw fail("\(key) is not a token id below \(tokens.count)") }
            return id
        }

        func flag(_ key: String) -> Bool? { file["tokenizer.ggml." + key]?.boolValue }

        /// `tokenizer.ggml.merges`, each cut at its first space after the first byte (llama.cpp's
        /// rule, which lets a token begin with a space); both halves must be tokens.
        func merges() throws -> [JSONValue]? {
            guard let value = file["tokenizer.ggml.merges"] else { return nil }
            guard let merges = value.arrayValue?.strings else { throw fail("tokenizer.ggml.merges is not an array of strings") }
            return try merges.enumerated().map { index, merge in
                let bytes = Array(merge.utf8)
                guard bytes.count > 2, let cut = bytes[1...].firstIndex(of: 0x20),
                      ids[Array(bytes[..<cut])] != nil, ids[Array(bytes[(cut + 1)...])] != nil else {
                    throw fail("merge \(index) \"\(merge)\" is not two tokens of the vocabulary separated by a space")
                }
                return .array([.string(String(decoding: bytes[..<cut], as: UTF8.self)),
                               .string(String(decoding: bytes[(cut + 1)...], as: UTF8.self))])
            }
        }

        /// Control tokens as special added tokens, user-defined ones as plain added tokens, both
        /// matched on the raw text. `content` renames a token (WordPiece's restored `##` form).
        func addedTokens(skipping skip: (Int) -> Bool = { _ in false }, content: (Int) -> String? = { _ in nil }) -> [JSONValue] {
            guard let types else { return [] }
            var added: [JSONValue] = []
            for (id, type) in types.enumerated() where type == TokenType.control.rawValue || type == TokenType.userDefined.rawValue {
                if skip(id) { continue }
                added.append(object(["id": .integer(Int64(id)), "content": .string(content(id) ?? tokens[id]),
                                     "single_word": .bool(false), "lstrip": .bool(false), "rstrip": .bool(false),
                                     "normalized": .bool(false), "special": .bool(type == TokenType.control.rawValue)]))
            }
            return added
        }

        var vocabObject: JSONValue {
            .object(tokens.enumerated().map { JSONMember(key: $1, value: .integer(Int64($0))) })
        }
    }

    struct Parts {
        var added: [JSONValue]
        var normalizer: JSONValue = .null
        var preTokenizer: JSONValue = .null
        var decoder: JSONValue = .null
        var model: JSONValue
    }

    // MARK: - Models

    static func byteLevelBPE(_ v: Vocabulary) throws -> Parts {
        guard let merges = try v.merges() else { throw v.fail("a \(v.model) (BPE) vocabulary needs tokenizer.ggml.merges") }
        let name = v.file["tokenizer.ggml.pre"]?.stringValue ?? "default"
        guard let pre = GGUFPreTokenizer.byName[name] else {
            if GGUFPreTokenizer.customSplitters.contains(name) {
                throw v.fail("tokenizer.ggml.pre \"\(name)\" is split by hand-written code in llama.cpp, not by regexes: not supported")
            }
            throw v.fail("unknown tokenizer.ggml.pre \"\(name)\" (known: \(knownPreTokenizers.joined(separator: ", ")))")
        }
        var decoder = JSONValue.null
        var skip: (Int) -> Bool = { _ in false }
        if pre.splits.byteLevel {
            decoder = object(["type": .string("ByteLevel"), "add_prefix_space": .bool(false), "trim_offsets": .bool(true), "use_regex": .bool(true)])
            // In a byte-level vocabulary every model token is spelled in the byte alphabet; a control
            // token outside it is a converter's mislabel, matched nowhere by the reference. (User-
            // defined ones outside it are real added tokens: GPT-NeoX's runs of spaces.)
            skip = { id in
                v.type(id) == .control && !v.tokens[id].unicodeScalars.allSatisfy { ByteLevelSpelling.alphabet.contains($0.value) }
            }
        }
        return Parts(added: v.addedTokens(skipping: skip),
                     normalizer: pre.normalizer == .nfc ? object(["type": .string("NFC")]) : .null,
                     preTokenizer: preTokenizerJSON(pre.splits),
                     decoder: decoder,
                     model: bpeModel(v, merges: merges, unk: nil, byteFallback: false, ignoreMerges: pre.ignoreMerges))
    }

    /// llama.cpp's regexes as isolated Splits, each subdividing the pieces before, then the byte mapping.
    static func preTokenizerJSON(_ splits: GGUFPreTokenizer.Splits) -> JSONValue {
        var steps = splits.regexes.map { regex in
            object(["type": .string("Split"), "pattern": object(["Regex": .string(regex)]), "behavior": .string("Isolated"), "invert": .bool(false)])
        }
        if splits.byteLevel {
            steps.append(object(["type": .string("ByteLevel"), "add_prefix_space": .bool(false), "trim_offsets": .bool(true), "use_regex": .bool(false)]))
        }
        return steps.count == 1 ? steps[0] : object(["type": .string("Sequence"), "pretokenizers": .array(steps)])
    }

    static func sentencePieceBPE(_ v: Vocabulary) throws -> Parts {
        let merges: [JSONValue]
        if let stored = try v.merges() {
            merges = stored
        } else {
            guard let scores = v.file["tokenizer.ggml.scores"]?.arrayValue?.doubles, scores.count == v.tokens.count else {
                throw v.fail("a llama vocabulary without merges needs tokenizer.ggml.scores, one per token")
            }
            merges = mergesFromScores(tokens: v.tokens, scores: scores).map { .array([.string($0.left), .string($0.right)]) }
        }
        let prefix = v.flag("add_space_prefix") ?? true
        let spaces = replace(" ", "▁")
        return Parts(added: v.addedTokens(),
                     normalizer: prefix ? object(["type": .string("Sequence"), "normalizers": .array([object(["type": .string("Prepend"), "prepend": .string("▁")]), spaces])]) : spaces,
                     decoder: spaceDecoder(stripLeadingSpace: prefix),
                     model: bpeModel(v, merges: merges, unk: try v.tokenID("tokenizer.ggml.unknown_token_id").map { v.tokens[$0] },
                                     byteFallback: true, ignoreMerges: false))
    }

    static func gemma4(_ v: Vocabulary) throws -> Parts {
        guard let merges = try v.merges() else { throw v.fail("a gemma4 vocabulary needs tokenizer.ggml.merges") }
        let newlines = GGUFPreTokenizer.gemma4.regexes[0]
        return Parts(added: v.addedTokens(), normalizer: replace(" ", "▁"),
                     preTokenizer: object(["type": .string("Split"), "pattern": object(["Regex": .string(newlines)]),
                                           "behavior": .string("Isolated"), "invert": .bool(false)]),
                     decoder: spaceDecoder(stripLeadingSpace: false),
                     model: bpeModel(v, merges: merges, unk: try v.tokenID("tokenizer.ggml.unknown_token_id").map { v.tokens[$0] },
                                     byteFallback: true, ignoreMerges: false))
    }

    static func wordPiece(_ v: Vocabulary) throws -> Parts {
        // Undo the phantom-space spelling: `▁word` → `word`, `piece` → `##piece`; control tokens as stored.
        var pieces: [String] = []
        pieces.reserveCapacity(v.tokens.count)
        var seen = Set<[UInt8]>()
        for (id, token) in v.tokens.enumerated() {
            let piece: String
            if v.type(id) == .control {
                piece = token
            } else if token.utf8.starts(with: "▁".utf8) {
                piece = String(decoding: token.utf8.dropFirst(3), as: UTF8.self)
            } else {
                piece = "##" + token
            }
            guard seen.insert(Array(piece.utf8)).inserted else { throw v.fail("token \(id) \"\(token)\" repeats another as \"\(piece)\"") }
            pieces.append(piece)
        }
        let unk = try v.tokenID("tokenizer.ggml.unknown_token_id") ?? 100
        guard unk < pieces.count else { throw v.fail("a bert vocabulary of \(pieces.count) tokens has no unknown token (id 100 by default)") }
        let lowercase = v.flag("normalizer.lowercase") ?? true
        let stripAccents = v.flag("normalizer.strip_accents") ?? lowercase
        return Parts(added: v.addedTokens(content: { pieces[$0] }),
                     normalizer: object(["type": .string("BertNormalizer"), "clean_text": .bool(true), "handle_chinese_chars": .bool(true),
                                         "strip_accents": .bool(stripAccents), "lowercase": .bool(lowercase)]),
                     preTokenizer: object(["type": .string("BertPreTokenizer")]),
                     decoder: object(["type": .string("WordPiece"), "prefix": .string("##"), "cleanup": .bool(true)]),
                     model: object(["type": .string("WordPiece"), "unk_token": .string(pieces[unk]), "continuing_subword_prefix": .string("##"),
                                    "max_input_chars_per_word": .integer(100),
                                    "vocab": .object(pieces.enumerated().map { JSONMember(key: $1, value: .integer(Int64($0))) })]))
    }

    static func unigram(_ v: Vocabulary) throws -> Parts {
        guard let scores = v.file["tokenizer.ggml.scores"]?.arrayValue?.doubles, scores.count == v.tokens.count else {
            throw v.fail("a t5 (Unigram) vocabulary needs tokenizer.ggml.scores, one per token")
        }
        // In SentencePiece's order, as transformers' converter builds it from a model's own
        // settings: charsmap, extra-space removal (spaces only), whitespace escaping (llama.cpp
        // always escapes for Unigram), and the dummy prefix, doubled when the text already starts
        // with `▁` because Metaspace would otherwise skip it and SentencePiece does not.
        var normalizers: [JSONValue] = []
        if let value = v.file["tokenizer.ggml.precompiled_charsmap"] {
            let bytes: [UInt8]
            switch value.arrayValue {
            case .uint8(let a)?: bytes = a
            case .int8(let a)?: bytes = a.map { UInt8(bitPattern: $0) }
            default: throw v.fail("tokenizer.ggml.precompiled_charsmap is not an array of bytes")
            }
            if !bytes.isEmpty {
                normalizers.append(object(["type": .string("Precompiled"), "precompiled_charsmap": .string(Data(bytes).base64EncodedString())]))
            }
        }
        if v.flag("remove_extra_whitespaces") ?? false {
            normalizers += [replace(regex: #"\A +| +\z"#, ""), replace(regex: " {2,}", " ")]
        }
        normalizers.append(replace(" ", "▁"))
        let prefix = v.flag("add_space_prefix") ?? true
        if prefix { normalizers.append(replace(regex: #"\A▁"#, "▁▁")) }
        // SentencePiece emits user-defined pieces whole and never inside others: split them off.
        var steps: [JSONValue] = []
        if prefix {
            steps.append(object(["type": .string("Metaspace"), "replacement": .string("▁"), "prepend_scheme": .string("always"), "split": .bool(false)]))
        }
        let userDefined = (0..<v.tokens.count).filter { v.type($0) == .userDefined }.map { v.tokens[$0] }
            .sorted { $0.unicodeScalars.count > $1.unicodeScalars.count }
        if !userDefined.isEmpty {
            steps.append(object(["type": .string("Split"), "pattern": object(["Regex": .string(userDefined.map(regexLiteral).joined(separator: "|"))]),
                                 "behavior": .string("Isolated"), "invert": .bool(false)]))
        }
        let byteFallback = v.types?.contains(TokenType.byte.rawValue) ?? false
        var decoders = [replace("▁", " ")]
        if byteFallback { decoders.append(object(["type": .string("ByteFallback")])) }
        if prefix {
            decoders += [object(["type": .string("Fuse")]), object(["type": .string("Strip"), "content": .string(" "), "start": .integer(1), "stop": .integer(0)])]
        } else if byteFallback {
            decoders.append(object(["type": .string("Fuse")]))
        }
        return Parts(added: v.addedTokens(skipping: { v.type($0) == .userDefined }),
                     normalizer: object(["type": .string("Sequence"), "normalizers": .array(normalizers)]),
                     preTokenizer: steps.isEmpty ? .null : object(["type": .string("Sequence"), "pretokenizers": .array(steps)]),
                     decoder: object(["type": .string("Sequence"), "decoders": .array(decoders)]),
                     model: object(["type": .string("Unigram"), "unk_id": try v.tokenID("tokenizer.ggml.unknown_token_id").map { .integer(Int64($0)) } ?? .null,
                                    "vocab": .array(zip(v.tokens, scores).map { .array([.string($0), .double($1)]) }),
                                    "byte_fallback": .bool(byteFallback)]))
    }

    /// A regex matching `text` literally (Python's `re.escape` for the characters that matter).
    static func regexLiteral(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            if #"\.^$|?*+()[]{}-#&~ "#.unicodeScalars.contains(scalar) { out.append("\\") }
            out.unicodeScalars.append(scalar)
        }
        return out
    }

    // MARK: - Pieces

    /// transformers' derivation of SentencePiece merges from scores (`generate_merges`, also in its
    /// GGUF loader): every split of every token into two tokens, ranked by the score of the merged
    /// token (stable, ties in vocabulary order), within a token by the pieces' scores, highest
    /// first. SentencePiece itself merges by score, which this ranking reproduces.
    public static func mergesFromScores(tokens: [String], scores: [Double]) -> [(left: String, right: String)] {
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
        return merges.map { ($0.left, $0.right) }
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

    static func replace(_ pattern: String, _ content: String) -> JSONValue {
        object(["type": .string("Replace"), "pattern": object(["String": .string(pattern)]), "content": .string(content)])
    }

    static func replace(regex: String, _ content: String) -> JSONValue {
        object(["type": .string("Replace"), "pattern": object(["Regex": .string(regex)]), "content": .string(content)])
    }

    /// The Llama 2 decoder chain: `▁` back to spaces, `<0xHH>` runs to text, and the prefix space
    /// dropped when the normaliser added one.
    static func spaceDecoder(stripLeadingSpace: Bool) -> JSONValue {
        var chain = [replace("▁", " "), object(["type": .string("ByteFallback")]), object(["type": .string("Fuse")])]
        if stripLeadingSpace { chain.append(object(["type": .string("Strip"), "content": .string(" "), "start": .integer(1), "stop": .integer(0)])) }
        return object(["type": .string("Sequence"), "decoders": .array(chain)])
    }

    static func bpeModel(_ v: Vocabulary, merges: [JSONValue], unk: String?, byteFallback: Bool, ignoreMerges: Bool) -> JSONValue {
        object(["type": .string("BPE"), "dropout": .null, "unk_token": unk.map(JSONValue.string) ?? .null,
                "continuing_subword_prefix": .null, "end_of_word_suffix": .null, "fuse_unk": .bool(byteFallback),
                "byte_fallback": .bool(byteFallback), "ignore_merges": .bool(ignoreMerges),
                "vocab": v.vocabObject, "merges": .array(merges)])
    }
}

/// GPT-2's byte alphabet (`bytes_to_unicode`): the printable Latin-1 characters stand for
/// themselves, the 68 other bytes for U+0100 onwards.
enum ByteLevelSpelling {
    static let alphabet: Set<UInt32> = Set(Array(0x21...0x7E) + Array(0xA1...0xAC) + Array(0xAE...0xFF) + Array(0x100..<0x144))
}
