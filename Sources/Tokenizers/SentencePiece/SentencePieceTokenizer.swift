import Foundation
import JSON
import TokenScopeCore

extension Tokenizer {
    /// A tokenizer read from a SentencePiece `tokenizer.model`, built as the reference converter
    /// builds it for a model directory with no `tokenizer.json` (transformers 5.24.0:
    /// `TokenizersBackend.from_pretrained`, i.e. `SpmConverter.build_tokenizer_from_spm_proto`
    /// with `legacy`, then the unk/bos/eos pieces as special added tokens):
    /// - Unigram models keep every piece with its score; BPE models get merges regenerated from
    ///   the normal pieces, ranked by the merged piece's score, then its id, then the split point;
    /// - the normalizer spec becomes Precompiled (its charsmap), space trimming and squeezing,
    ///   `▁` for spaces and the doubled dummy prefix; Metaspace adds the prefix; user-defined
    ///   pieces are split out whole;
    /// - the decoder is Replace(`▁`, " "), ByteFallback, Fuse, Strip(" ", 1, 0) as the spec asks.
    /// `parallelism`: the threads that resolve BPE merges.
    public static func sentencePiece(path: String, parallelism: Parallelism = .allCores) throws -> Tokenizer {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw TokenizerError(file: path, component: "", problem: .unreadable(error.localizedDescription))
        }
        do {
            return try Tokenizer(json: try sentencePieceJSON(SentencePieceModelProto([UInt8](data))), parallelism: parallelism)
        } catch let e as TokenizerError {
            throw e.inFile(path)
        }
    }

    /// The `tokenizer.json` the converter writes for `proto`.
    static func sentencePieceJSON(_ proto: SentencePieceModelProto) throws -> JSONValue {
        typealias PieceType = SentencePieceModelProto.PieceType
        guard !proto.pieces.isEmpty else { throw TokenizerError(component: "", reason: "the SentencePiece model has no pieces") }
        let userDefined = proto.pieces.filter { $0.type == PieceType.userDefined.rawValue }.map(\.piece)
        let model: JSONValue
        switch SentencePieceModelProto.ModelType(rawValue: proto.modelType) {
        case .unigram:
            model = ["type": "Unigram", "unk_id": JSONValue(proto.unkID), "byte_fallback": JSONValue(proto.byteFallback),
                     "vocab": .array(proto.pieces.map { [JSONValue($0.piece), JSONValue(Double($0.score))] })]
        case .bpe:
            model = ["type": "BPE", "unk_token": JSONValue(proto.unkPiece), "fuse_unk": true,
                     "byte_fallback": JSONValue(proto.byteFallback), "ignore_merges": JSONValue(!userDefined.isEmpty),
                     "vocab": .object(proto.pieces.enumerated().map { JSONMember(key: $0.element.piece, value: JSONValue($0.offset)) }),
                     "merges": .array(sentencePieceMerges(proto.pieces).map { [JSONValue($0.0), JSONValue($0.1)] })]
        case .word, .char, nil:
            throw TokenizerError(component: "trainer_spec.model_type", problem: .unsupported(
                "SentencePiece model type \(proto.modelType) is not Unigram or BPE; convert it to a tokenizer.json with Hugging Face transformers (AutoTokenizer.from_pretrained(dir).save_pretrained(dir))"))
        }

        var normalizers: [JSONValue] = []
        if !proto.precompiledCharsmap.isEmpty {
            normalizers.append(["type": "Precompiled", "precompiled_charsmap": JSONValue(Data(proto.precompiledCharsmap).base64EncodedString())])
        }
        if proto.removeExtraWhitespaces {
            // Only spaces: SentencePiece leaves other whitespace alone.
            normalizers.append(replace(regex: #"\A +| +\z"#, with: ""))
            normalizers.append(replace(regex: " {2,}", with: " "))
        }
        if proto.escapeWhitespaces {
            normalizers.append(["type": "Replace", "pattern": ["String": " "], "content": "\u{2581}"])
        }
        if proto.addDummyPrefix {
            // SentencePiece prefixes "▁" even to text that starts with one; Metaspace would not.
            normalizers.append(replace(regex: #"\A\#u{2581}"#, with: "\u{2581}\u{2581}"))
        }
        var preTokenizers: [JSONValue] = []
        if proto.addDummyPrefix {
            preTokenizers.append(["type": "Metaspace", "replacement": "\u{2581}", "prepend_scheme": "always", "split": false])
        }
        if !userDefined.isEmpty {
            let pattern = userDefined.sorted { $0.unicodeScalars.count > $1.unicodeScalars.count }.map(escapedForRegex).joined(separator: "|")
            preTokenizers.append(["type": "Split", "pattern": ["Regex": JSONValue(pattern)], "behavior": "Isolated", "invert": false])
        }
        var decoders: [JSONValue] = [["type": "Replace", "pattern": ["String": "\u{2581}"], "content": " "]]
        if proto.byteFallback { decoders.append(["type": "ByteFallback"]) }
        if proto.addDummyPrefix {
            decoders.append(["type": "Fuse"])
            decoders.append(["type": "Strip", "content": " ", "start": 1, "stop": 0])
        } else if proto.byteFallback {
            decoders.append(["type": "Fuse"])
        }
        var added: [JSONValue] = []
        for (id, piece) in [(proto.unkID, proto.unkPiece), (proto.bosID, proto.bosPiece), (proto.eosID, proto.eosPiece)] where id >= 0 {
            added.append(["id": JSONValue(id), "content": JSONValue(piece), "single_word": false, "lstrip": false, "rstrip": false,
                          "normalized": false, "special": true])
        }
        return [
            "version": "1.0",
            "added_tokens": .array(added),
            "normalizer": ["type": "Sequence", "normalizers": .array(normalizers)],
            "pre_tokenizer": preTokenizers.isEmpty ? nil : ["type": "Sequence", "pretokenizers": .array(preTokenizers)],
            "decoder": ["type": "Sequence", "decoders": .array(decoders)],
            "model": model,
        ]
    }

    private static func replace(regex: String, with content: String) -> JSONValue {
        ["type": "Replace", "pattern": ["Regex": JSONValue(regex)], "content": JSONValue(content)]
    }

    /// The converter's merges: every split of a normal piece into two normal pieces, ordered by the
    /// piece's score (highest first), then its id, then the split point (the converter sorts by
    /// the left part, which for one piece orders the same).
    static func sentencePieceMerges(_ pieces: [SentencePieceModelProto.Piece]) -> [(String, String)] {
        let normal = SentencePieceModelProto.PieceType.normal.rawValue
        var table = ByteTable(capacity: pieces.count)
        // Later pieces win, as in the converter's dict.
        for (id, p) in pieces.enumerated().reversed() where p.type == normal { table.insert(p.piece, value: id) }
        var ranked: [(score: Double, id: Int, split: Int, left: String, right: String)] = []
        for (id, p) in pieces.enumerated() where p.type == normal && table.find(p.piece) == id {
            let scalars = Array(p.piece.unicodeScalars)
            for split in 1..<max(1, scalars.count) {
                let left = String(scalars: scalars[..<split]), right = String(scalars: scalars[split...])
                if table.find(left) != nil && table.find(right) != nil {
                    ranked.append((Double(p.score), id, split, left, right))
                }
            }
        }
        ranked.sort { a, b in
            if a.score != b.score { return a.score > b.score }
            if a.id != b.id { return a.id < b.id }
            return a.split < b.split
        }
        return ranked.map { ($0.left, $0.right) }
    }

    /// Python's `re.escape`: a backslash before each character that is special in a pattern.
    private static func escapedForRegex(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        for c in s.unicodeScalars {
            switch c {
            case "\t": out.append(contentsOf: #"\t"#.unicodeScalars)
            case "\n": out.append(contentsOf: #"\n"#.unicodeScalars)
            case "\r": out.append(contentsOf: #"\r"#.unicodeScalars)
            case "\u{0B}": out.append(contentsOf: #"\v"#.unicodeScalars)
            case "\u{0C}": out.append(contentsOf: #"\f"#.unicodeScalars)
            default:
                if #"()[]{}?*+-|^$\.&~# "#.unicodeScalars.contains(c) { out.append("\\") }
                out.append(c)
            }
        }
        return String(out)
    }
}
