import Foundation
import JSON
import TokenScopeCore

/// The scalars of valid UTF-8 (the bytes of a Swift string), without going through `String`.
@inline(__always)
func decodeScalars(_ b: UnsafeBufferPointer<UInt8>) -> [Unicode.Scalar] {
    var out: [Unicode.Scalar] = []
    out.reserveCapacity(b.count)
    var i = 0
    let n = b.count
    while i < n {
        let b0 = UInt32(b[i])
        var v: UInt32
        if b0 < 0x80 {
            v = b0; i += 1
        } else if b0 < 0xE0, i + 1 < n {
            v = (b0 & 0x1F) << 6 | UInt32(b[i + 1] & 0x3F); i += 2
        } else if b0 < 0xF0, i + 2 < n {
            v = (b0 & 0x0F) << 12 | UInt32(b[i + 1] & 0x3F) << 6 | UInt32(b[i + 2] & 0x3F); i += 3
        } else if i + 3 < n {
            v = (b0 & 0x07) << 18 | UInt32(b[i + 1] & 0x3F) << 12 | UInt32(b[i + 2] & 0x3F) << 6 | UInt32(b[i + 3] & 0x3F); i += 4
        } else {
            v = 0xFFFD; i = n
        }
        out.append(Unicode.Scalar(v) ?? "\u{FFFD}")
    }
    return out
}

/// What encodings on one thread can share: a pre-token's ids and a piece's normalized bytes are
/// functions of the piece alone. At most `limit` entries each.
final class EncodingMemo {
    static let limit = 100_000
    /// Pre-tokens' ids, keyed by the bytes of their scalars.
    var pieces = BytesMemo<[Int]>()
    /// Normalized forms of pieces of UTF-8 that normalization changes, keyed by the piece.
    var normalized = BytesMemo<[UInt8]>()
}

/// Values keyed by byte strings, looked up from a buffer without building a key: a dictionary of
/// arrays hashed each element through `Hasher` and allocated a key per lookup, which showed in the
/// witness search's profile. At most `EncodingMemo.limit` entries; later ones are not kept.
struct BytesMemo<Value> {
    private var table = ByteTable(capacity: 1024)
    private var values: [Value] = []

    func value(for key: UnsafeRawBufferPointer) -> Value? {
        key.withMemoryRebound(to: UInt8.self) { bytes in table.find(bytes).map { values[$0] } }
    }

    mutating func remember(_ value: Value, for key: UnsafeRawBufferPointer) {
        guard values.count < EncodingMemo.limit else { return }
        key.withMemoryRebound(to: UInt8.self) { bytes in
            if table.insert(bytes, value: values.count) == nil { values.append(value) }
        }
    }
}

/// A tokenizer read from a Hugging Face `tokenizer.json` (or a tiktoken rank file), encoding and
/// decoding as the reference library `tokenizers` does, without post-processing, padding or truncation.
///
/// Immutable after loading; one instance can be shared by many threads.
///
/// Supported, each with the reference's semantics (golden vectors in `Tests/TokenizersTests`):
/// - models: BPE (byte-level and SentencePiece-style with `▁`, byte fallback, unk/fuse_unk,
///   ignore_merges, subword prefix and word suffix), WordPiece, WordLevel, Unigram (Viterbi, unk
///   fusing, byte fallback); tiktoken rank files;
/// - normalizers: NFC, NFD, NFKC, NFKD, Lowercase, StripAccents, BertNormalizer, Replace, Prepend,
///   Strip, Precompiled (SentencePiece charsmaps), Sequence;
/// - pre-tokenizers: Split (string or regex, every behaviour, invert), ByteLevel, Metaspace,
///   Whitespace, WhitespaceSplit, BertPreTokenizer, Digits, Punctuation, CharDelimiterSplit, Sequence;
/// - decoders: ByteLevel, Metaspace, ByteFallback, Fuse, Strip, Replace, WordPiece, BPEDecoder, Sequence;
/// - added tokens with special, single_word, lstrip, rstrip and normalized, matched leftmost-longest.
/// Anything else (BPE dropout, other component types) is a load error naming it.
///
/// ```swift
/// let tokenizer = try Tokenizer(path: "Qwen3/tokenizer.json")
/// let ids = tokenizer.encode("Hello world")      // [9707, 1879]
/// let text = tokenizer.decode(ids)                // "Hello world"
/// ```
public final class Tokenizer: @unchecked Sendable {
    let normalizer: Normalizer?
    let preTokenizer: PreTokenizer?
    let model: TokenModel
    let decoder: TokenDecoder?
    let added: AddedVocabulary
    /// Where this tokenizer's regexes report running out of work.
    let patternLimits: PatternLimits
    /// Set when the pre-tokenizer only cuts the text and maps each piece to the byte-level alphabet
    /// (Qwen, Llama 3, GPT-2 and most byte-level BPEs): `encode` then cuts the text's scalars in
    /// place, without a pre-token array per piece, and maps only what the memo misses.
    let byteLevelPieces: ByteLevelPieces?
    /// Non-fatal findings on load, such as added-token ids that disagree with the reference's assignment.
    public let warnings: [String]

    /// Loads `tokenizer.json`, or `tokenizer.json` inside the directory `path`.
    public convenience init(path: String, parallelism: Parallelism = .allCores) throws {
        var file = path
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            file = path + "/tokenizer.json"
        }
        // The character-class and NFC-stability tables are built from Unicode data on first use
        // (tens of milliseconds, which every encode then waits for): build them on another core
        // while this one parses the file.
        DispatchQueue.global(qos: .userInitiated).async { _ = CharClass.bmp; _ = UnicodeNormalizer.nfcStableBMP }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: file), options: .mappedIfSafe)
        } catch {
            throw TokenizerError(file: file, component: "", problem: .unreadable(error.localizedDescription))
        }
        let json: JSONValue
        do {
            json = try JSONParser(maxDepth: 256, duplicateKeys: .keepAll).parse(data)
        } catch {
            throw TokenizerError(file: file, component: "", reason: "\(error)")
        }
        do {
            try self.init(json: json, parallelism: parallelism)
        } catch let e as TokenizerError {
            throw e.inFile(file)
        }
        // Freeing the parsed tree (hundreds of thousands of strings) takes ~20 ms; do it off the caller's path.
        DispatchQueue.global(qos: .utility).async { withExtendedLifetime(json) {} }
    }

    /// Builds a tokenizer from a parsed `tokenizer.json`; `parallelism` is the threads that resolve
    /// BPE merges (the tokenizer is the same for any).
    public init(json: JSONValue, parallelism: Parallelism = .allCores) throws {
        guard case .object(let members) = json else {
            throw TokenizerError(component: "", reason: "the top level is not an object")
        }
        // Duplicate keys at the top level would make the file ambiguous.
        var seen = Set<[UInt8]>()
        for m in members where !seen.insert(Array(m.key.utf8)).inserted {
            throw TokenizerError(component: m.key, reason: "key given twice")
        }
        let limits = PatternLimits()
        let (normalizer, preTokenizer) = try PatternFactory.$limits.withValue(limits) {
            (try json["normalizer"].flatMap { $0.isNull ? nil : try NormalizerFactory.make($0, path: "normalizer") },
             try json["pre_tokenizer"].flatMap { $0.isNull ? nil : try PreTokenizerFactory.make($0, path: "pre_tokenizer") })
        }
        patternLimits = limits
        guard let modelValue = json["model"] else { throw TokenizerError(component: "model", reason: "missing") }
        let model = try ModelFactory.make(modelValue, path: "model", parallelism: parallelism)
        let decoder = try json["decoder"].flatMap { $0.isNull ? nil : try DecoderFactory.make($0, path: "decoder") }
        var tokens: [AddedToken] = []
        if let list = json["added_tokens"], !list.isNull {
            guard let items = list.arrayValue else { throw TokenizerError(component: "added_tokens", reason: "not an array") }
            for (k, item) in items.enumerated() {
                let c = try Config(item, path: "added_tokens[\(k)]")
                guard let id = item["id"]?.intValue, id >= 0, id < Vocabulary.maxID else { throw c.error("missing or invalid \"id\"") }
                let special = try c.bool("special", default: false)
                tokens.append(AddedToken(
                    content: try c.string("content"), id: id, special: special,
                    singleWord: try c.bool("single_word", default: false), lstrip: try c.bool("lstrip", default: false),
                    rstrip: try c.bool("rstrip", default: false), normalized: try c.bool("normalized", default: !special)))
            }
        }
        self.normalizer = normalizer
        self.preTokenizer = preTokenizer
        self.byteLevelPieces = ByteLevelPieces(preTokenizer)
        self.model = model
        self.decoder = decoder
        self.added = AddedVocabulary(tokens: tokens, model: model, normalizer: normalizer)
        self.warnings = added.warnings
    }

    init(normalizer: Normalizer?, preTokenizer: PreTokenizer?, model: TokenModel, decoder: TokenDecoder?, addedTokens: [AddedToken], keepAddedIDs: Bool = false,
         patternLimits: PatternLimits = PatternLimits()) {
        self.patternLimits = patternLimits
        self.normalizer = normalizer
        self.preTokenizer = preTokenizer
        self.byteLevelPieces = ByteLevelPieces(preTokenizer)
        self.model = model
        self.decoder = decoder
        self.added = AddedVocabulary(tokens: addedTokens, model: model, normalizer: normalizer, keepIDs: keepAddedIDs)
        self.warnings = added.warnings
    }

    /// One past the largest id of the model vocabulary and the added tokens.
    public var idCount: Int { max(model.idLimit, added.maxID + 1) }

    /// The model type as written in `model.type`: "BPE", "WordPiece", "WordLevel", "Unigram".
    public var modelKind: String { model.kind.rawValue }

    /// The model's marker of word-internal pieces (`##` for BERT's WordPiece), or nil.
    public var continuingSubwordPrefix: String? { model.continuingSubwordPrefix }

    // MARK: Encoding

    /// Set once one of the tokenizer's regexes has run out of its work budget (catastrophic
    /// backtracking, which the reference stops with Oniguruma's retry-limit error): the error
    /// names the pattern and the position. Encodings from then on are incomplete; a caller that
    /// encodes checks this afterwards and discards its results.
    public var patternLimitError: TokenizerError? { patternLimits.failure }

    /// Ids of `text`: added tokens, normalizer, pre-tokenizer, model. No post-processor, template,
    /// BOS/EOS, padding or truncation.
    public func encode(_ text: String) -> [Int] {
        // Long inputs repeat words: remember each pre-token's ids for this call (no shared state).
        encode(text, memo: text.utf8.count > 512 ? EncodingMemo() : nil)
    }

    /// An `encode` for one thread's series of texts that remembers pre-tokens' ids and normalized
    /// pieces across them (texts that share parts, like a search's candidates); its results are
    /// `encode`'s. Not for concurrent use.
    public func makeEncoder() -> (String) -> [Int] {
        let memo = EncodingMemo()
        return { self.encode($0, memo: memo) }
    }

    private func encode(_ text: String, memo: EncodingMemo?) -> [Int] {
        var ids: [Int] = []
        ids.reserveCapacity(text.utf8.count / 3 + 1)
        var text = text
        text.withUTF8 { raw in
            // Most texts hold no added token: they skip the split and the retains its closures cost.
            guard added.occurs(in: raw, normalized: false) else {
                if !raw.isEmpty { encodeSegment(raw, isFirst: true, &ids, memo) }
                return
            }
            added.split(raw, normalized: false) { start, end, id in
                if let id { ids.append(id); return }
                encodeSegment(UnsafeBufferPointer(rebasing: raw[start..<end]), isFirst: start == 0, &ids, memo)
            }
        }
        return ids
    }

    /// Text between raw added tokens: the normalizer, then the added tokens that match normalized text.
    private func encodeSegment(_ slice: UnsafeBufferPointer<UInt8>, isFirst: Bool, _ ids: inout [Int], _ memo: EncodingMemo?) {
        if let normalizer, let normalized = normalizer.normalizeIfChanged(slice, memo: memo) {
            var normalized = normalized
            normalized.withUTF8 { encodeNormalized($0, isFirst: isFirst, &ids, memo) }
        } else {
            encodeNormalized(slice, isFirst: isFirst, &ids, memo)
        }
    }

    private func encodeNormalized(_ bytes: UnsafeBufferPointer<UInt8>, isFirst: Bool, _ ids: inout [Int], _ memo: EncodingMemo?) {
        guard added.occurs(in: bytes, normalized: true) else {
            if !bytes.isEmpty { encodePiece(bytes, isFirst: isFirst, &ids, memo) }
            return
        }
        added.split(bytes, normalized: true) { s, e, nid in
            if let nid { ids.append(nid); return }
            encodePiece(UnsafeBufferPointer(rebasing: bytes[s..<e]), isFirst: isFirst && s == 0, &ids, memo)
        }
    }

    /// Pre-tokenizer and model on one piece of normalized text.
    @inline(__always)
    private func encodePiece(_ bytes: UnsafeBufferPointer<UInt8>, isFirst: Bool, _ ids: inout [Int], _ memo: EncodingMemo?) {
        let first = PreToken(scalars: decodeScalars(bytes), isFirst: isFirst)
        if let byteLevelPieces {
            first.scalars.withUnsafeBufferPointer { scalars in
                func encode(_ start: Int, _ end: Int, _ memo: EncodingMemo?) {
                    let piece = UnsafeBufferPointer(rebasing: scalars[start..<end])
                    tokenize(piece, &ids, memo) { ByteLevelPreTokenizer.map(piece) }
                }
                switch byteLevelPieces {
                case .isolated(let pattern): SplitBehavior.forEachIsolatedPiece(of: scalars, pattern: pattern) { encode($0, $1, memo) }
                // A whole text seldom recurs (a search's candidates never do): remembering each would only fill the memo.
                case .whole: encode(0, scalars.count, nil)
                }
            }
            return
        }
        guard let preTokenizer else {
            model.tokenize(first.scalars, into: &ids)
            return
        }
        var pieces: [PreToken] = []
        preTokenizer.preTokenize(first, into: &pieces)
        for p in pieces {
            p.scalars.withUnsafeBufferPointer { tokenize($0, &ids, memo) { p.scalars } }
        }
    }

    /// The model on the scalars `modelInput` makes of one pre-token, through the memo, which keys
    /// the pre-token itself (the byte-level map's input determines its output).
    @inline(__always)
    private func tokenize(_ piece: UnsafeBufferPointer<Unicode.Scalar>, _ ids: inout [Int], _ memo: EncodingMemo?,
                          modelInput: () -> [Unicode.Scalar]) {
        if let memo, let hit = memo.pieces.value(for: UnsafeRawBufferPointer(piece)) { ids.append(contentsOf: hit); return }
        let before = ids.count
        model.tokenize(modelInput(), into: &ids)
        memo?.pieces.remember(Array(ids[before...]), for: UnsafeRawBufferPointer(piece))
    }

    // MARK: Decoding

    private func tokenBytes(_ ids: [Int], skipSpecialTokens: Bool) -> [[UInt8]] {
        var tokens: [[UInt8]] = []
        tokens.reserveCapacity(ids.count)
        for id in ids {
            let text: String
            if let a = added.decodingText(id) { text = a } else if let m = model.token(forID: id) { text = m } else { continue }
            let bytes = Array(text.utf8)
            if skipSpecialTokens && added.isSpecialContent(bytes) { continue }
            tokens.append(bytes)
        }
        return tokens
    }

    /// Text of `ids` as the reference's `decode`: unknown ids are dropped, added tokens go
    /// through the decoder too, invalid UTF-8 becomes U+FFFD.
    public func decode(_ ids: [Int], skipSpecialTokens: Bool = false) -> String {
        if ids.count == 1, !skipSpecialTokens, let bytes = byteLevelBytes(of: ids[0]) { return String(decoding: bytes, as: UTF8.self) }
        let tokens = tokenBytes(ids, skipSpecialTokens: skipSpecialTokens)
        guard let decoder else {
            return tokens.map { String(decoding: $0, as: UTF8.self) }.joined(separator: " ")
        }
        // A lone ByteLevel decoder's lossy conversion is the final one; skip the intermediate copy.
        let parts = decoder.decodeChain(tokens, raw: decoder is ByteLevelDecoder)
        if parts.count == 1 { return String(decoding: parts[0], as: UTF8.self) }
        return String(decoding: Array(parts.joined()), as: UTF8.self)
    }

    /// The bytes the decoder chain produces before conversion to text: byte-level tokens give
    /// their bytes, `<0xHH>` tokens their byte. A result that is not valid UTF-8 shows that the
    /// ids hold a fragment of a character.
    public func decodedBytes(_ ids: [Int]) -> [UInt8] {
        if ids.count == 1, let bytes = byteLevelBytes(of: ids[0]) { return bytes }
        let tokens = tokenBytes(ids, skipSpecialTokens: false)
        guard let decoder else { return Array(tokens.joined(separator: [0x20])) }
        return Array(decoder.decodeChain(tokens, raw: true).joined())
    }

    /// One id's bytes through a lone ByteLevel decoder, as the chain gives them, without its
    /// arrays: the round trip, the vocabulary's edges and the token table decode every id alone.
    private func byteLevelBytes(of id: Int) -> [UInt8]? {
        guard decoder is ByteLevelDecoder else { return nil }
        guard var text = added.decodingText(id) ?? model.token(forID: id) else { return [] }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        text.withUTF8 { ByteLevelDecoder.append($0, to: &bytes) }
        return bytes
    }

    // MARK: Vocabulary

    /// The vocabulary entry as stored ("Ġthe", "##ing", "<|im_end|>"); added tokens first.
    public func tokenString(_ id: Int) -> String? {
        added.token(id)?.content ?? model.token(forID: id)
    }

    /// The id of a vocabulary entry, compared by UTF-8 bytes; added tokens first.
    public func id(forToken token: String) -> Int? {
        added.id(forContent: token) ?? model.id(forToken: token)
    }

    /// Whether `id` is an added token marked `special`.
    public func isSpecial(_ id: Int) -> Bool { added.token(id)?.special ?? false }

    /// Whether `id` is an added token.
    public func isAddedToken(_ id: Int) -> Bool { added.token(id) != nil }

    /// The added tokens with the ids they were given, in id order.
    public var addedTokens: [AddedToken] { added.byID.values.sorted { $0.id < $1.id } }
}
