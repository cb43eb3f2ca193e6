import Foundation
import JSON
import Testing
@testable import Tokenizers

/// Behaviours from TOKENIZER-NOTES checked directly, load errors, and the pattern scanner against ICU.
@Suite struct BehaviourTests {
    static func scan(_ scanner: ScalarPattern, _ text: String) -> [String] {
        let scalars = Array(text.unicodeScalars)
        var out: [String] = []
        scalars.withUnsafeBufferPointer { buf in
            scanner.findMatches(in: buf) { s, e in out.append(String(scalars: buf[s..<e])) }
        }
        return out
    }

    @Test func gpt2AndLlama3PatternsSplitAsTheReference() throws {
        let gpt2 = KnownPatternScanner(family: .gpt2)
        #expect(Self.scan(gpt2, "I'M don't") == ["I", "'", "M", " don", "'t"])
        #expect(Self.scan(gpt2, "Hello  world") == ["Hello", " ", " world"])
        #expect(Self.scan(gpt2, "a\r\nb") == ["a", "\r", "\n", "b"])
        let llama3 = KnownPatternScanner(family: .llama3(maxDigits: 3))
        #expect(Self.scan(llama3, "1234567") == ["123", "456", "7"])
        #expect(Self.scan(llama3, "hello   world") == ["hello", "  ", " world"])
        #expect(Self.scan(llama3, "x'ſt") == ["x", "'ſ", "t"])
        #expect(Self.scan(llama3, "a\n\n  ") == ["a", "\n\n", "  "])
        #expect(Self.scan(KnownPatternScanner(family: .cl100k), "a\n\n  ") == ["a", "\n\n  "])
        // Qwen3.5 keeps a combining mark with the letter before it; Qwen2 starts a new piece there.
        let qwen35 = try #require(KnownPatternScanner(pattern: KnownPatternScanner.qwen35Pattern))
        #expect(Self.scan(qwen35, "re\u{301}sume\u{301} \u{301}!") == ["re\u{301}sume\u{301}", " \u{301}", "!"])
        #expect(Self.scan(try #require(KnownPatternScanner(pattern: KnownPatternScanner.qwen2Pattern)), "re\u{301}s") == ["re", "\u{301}s"])
        #expect(Self.scan(try FoundationRegexPattern(KnownPatternScanner.cl100kPattern), "a\n\n  ") == ["a", "\n\n  "])
    }

    /// The hand-written scanners agree with ICU on random text drawn from tricky characters.
    @Test(arguments: [KnownPatternScanner.gpt2Pattern, KnownPatternScanner.llama3Pattern, KnownPatternScanner.qwen2Pattern,
                      KnownPatternScanner.qwen35Pattern, KnownPatternScanner.cl100kPattern, #"\p{N}"#])
    func scannerAgreesWithICU(_ pattern: String) throws {
        let known = try #require(KnownPatternScanner(pattern: pattern))
        let icu = try FoundationRegexPattern(pattern)
        let pool: [Unicode.Scalar] = ["a", "Z", "é", "ß", "中", "ไ", "\u{0E31}", "1", "٣", "½", " ", " ", "\t", "\n", "\r",
                                      "\u{85}", "\u{A0}", "\u{3000}", "'", "s", "S", "t", "l", "L", "r", "e", "v", "d", "m",
                                      "ſ", "-", "(", ".", "😀", "\u{200D}", "\u{301}", "_", "$"]
        var rng = SystemRandomNumberGenerator()
        var disagreements: [String] = []
        for _ in 0..<3000 {
            let n = Int.random(in: 1...14, using: &rng)
            let text = String(scalars: (0..<n).map { _ in pool.randomElement(using: &rng)! })
            let a = Self.scan(known, text), b = Self.scan(icu, text)
            if a != b && disagreements.count < 5 { disagreements.append("\(text.debugDescription): \(a) vs ICU \(b)") }
        }
        #expect(disagreements.isEmpty, "\(disagreements.joined(separator: "\n"))")
    }

    @Test func onigurumaIntervalRepeatIsRewritten() {
        #expect(OnigurumaSyntax.translate(#"\p{N}{1,3}+"#) == #"(?:\p{N}{1,3})+"#)
        #expect(OnigurumaSyntax.translate(#"[a-c]{2}+x|(de){1}+"#) == #"(?:[a-c]{2})+x|(?:(de){1})+"#)
        #expect(OnigurumaSyntax.translate(#"\p{N}{1,3}| ?\p{L}+"#) == #"\p{N}{1,3}| ?\p{L}+"#)
    }

    @Test func splitBehaviours() {
        let dash = LiteralPattern("-")
        func run(_ b: SplitBehavior, invert: Bool = false) -> [String] {
            var out: [PreToken] = []
            b.split(PreToken(scalars: Array("the-final--countdown".unicodeScalars), isFirst: true), pattern: dash, invert: invert, into: &out)
            return out.map { String(scalars: $0.scalars) }
        }
        #expect(run(.removed) == ["the", "final", "countdown"])
        #expect(run(.isolated) == ["the", "-", "final", "-", "-", "countdown"])
        #expect(run(.mergedWithPrevious) == ["the-", "final-", "-", "countdown"])
        #expect(run(.mergedWithNext) == ["the", "-final", "-", "-countdown"])
        #expect(run(.contiguous) == ["the", "-", "final", "--", "countdown"])
    }

    static func json(_ s: String) throws -> JSONValue { try JSONParser(duplicateKeys: .keepAll).parse(s) }

    static let tinyModel = #"{"type":"BPE","vocab":{"a":0,"b":1,"ab":2},"merges":["a b"]}"#

    @Test(arguments: [
        (#"{"model": {"type":"Frobnicate","vocab":[]}}"#, "unsupported model type \"Frobnicate\""),
        (#"{"model": \#(tinyModel), "normalizer": {"type":"Frobnicate"}}"#, "unsupported normalizer type \"Frobnicate\""),
        (#"{"model": {"type":"Unigram","vocab":[]}}"#, "the vocabulary is empty"),
        (#"{"model": {"type":"Unigram","vocab":[["a",-1.0]],"unk_id":1}}"#, "unk_id 1 is outside the vocabulary of 1 pieces"),
        (#"{"model": {"type":"Unigram","vocab":[["a",-1.0]],"unk_id":-1}}"#, "unk_id -1 is outside"),
        (#"{"model": {"type":"Unigram","vocab":[["a",1e999]]}}"#, "non-finite score"),
        (#"{"model": {"type":"Unigram","vocab":[["a"]]}}"#, "vocab[0] is not [piece, score]"),
        (#"{"model": \#(tinyModel), "normalizer": {"type":"Precompiled","precompiled_charsmap":"!!"}}"#, "not base64"),
        (#"{"model": \#(tinyModel), "normalizer": {"type":"Precompiled","precompiled_charsmap":""}}"#, "shorter than its 4-byte header"),
        (#"{"model": \#(tinyModel), "normalizer": {"type":"Precompiled","precompiled_charsmap":"/////wAAAAA="}}"#, "does not fit"),
        (#"{"model": \#(tinyModel), "normalizer": {"type":"Precompiled","precompiled_charsmap":"BAAAAAAAAAD/"}}"#, "not UTF-8"),
        (#"{"model": \#(tinyModel), "pre_tokenizer": {"type":"Frobnicate"}}"#, "unsupported pre-tokenizer type \"Frobnicate\""),
        (#"{"model": \#(tinyModel), "decoder": {"type":"CTC"}}"#, "unsupported decoder type \"CTC\""),
        (#"{"model": {"type":"BPE","vocab":{"a":0,"b":1},"merges":["a c"]}}"#, "not in the vocabulary"),
        (#"{"model": {"type":"BPE","vocab":{"a":0,"b":1},"merges":["a b"]}}"#, "makes \"ab\""),
        (#"{"model": {"type":"BPE","vocab":{"a":0,"b":0},"merges":[]}}"#, "id 0 given to both"),
        (#"{"model": {"type":"BPE","vocab":{"a":0,"a":1},"merges":[]}}"#, "duplicate token"),
        (#"{"model": {"type":"BPE","vocab":{"a":-1},"merges":[]}}"#, "invalid id"),
        (#"{"model": {"type":"BPE","vocab":{"a":0,"b":1,"ab":2},"merges":["a b c"]}}"#, "not two tokens"),
        (#"{"model": \#(tinyModel), "pre_tokenizer": {"type":"Metaspace","add_prefix_space":false,"prepend_scheme":"always"}}"#, "add_prefix_space false"),
        (#"{"model": \#(tinyModel), "added_tokens": [{"content":"x"}]}"#, "added_tokens[0]"),
        (#"{"normalizer": null}"#, "model"),
    ])
    func loadErrorsNameTheProblem(_ source: String, _ expected: String) throws {
        do {
            _ = try Tokenizer(json: try Self.json(source))
            Issue.record("no error for \(source)")
        } catch let e as TokenizerError {
            #expect(e.description.contains(expected), "\(e.description)")
        }
    }

    static let unigram = #"[["a",-1.0],["b",-2.0],["ab",-3.5],["xy",-1.0],["<0x63>",-9.0]]"#

    @Test func unigramTakesTheBestPathAndFusesUnknownRuns() throws {
        let t = try Tokenizer(json: try Self.json(#"{"model": {"type":"Unigram","unk_id":null,"vocab":\#(Self.unigram)}}"#))
        // The reference's ids (checked with tokenizers 0.23.3): "ab" as one piece scores -3.5, below a + b (-3).
        #expect(t.encode("ab") == [0, 1])
        // Without unk_id the reference fails the encode; here the unknown characters are dropped.
        #expect(t.encode("azzb") == [0, 1])
        let withUnk = try Tokenizer(json: try Self.json(#"{"model": {"type":"Unigram","unk_id":2,"byte_fallback":true,"vocab":\#(Self.unigram)}}"#))
        // "x" and "y" are unknown one by one; their fused run is the piece "xy".
        #expect(withUnk.encode("axy") == [0, 3])
        // A fused run of unknown characters: bytes when every <0xHH> exists, else one unk_id.
        #expect(withUnk.encode("acc") == [0, 4, 4])
        #expect(withUnk.encode("acz") == [0, 2])
        // A piece written twice takes its last id; the unknown token's own text fuses with unknown neighbours.
        let twice = try Tokenizer(json: try Self.json(#"{"model": {"type":"Unigram","unk_id":null,"vocab":[["a",-1.0],["a",-5.0],["b",-1.0]]}}"#))
        #expect(twice.encode("ab") == [1, 2])
        let literal = try Tokenizer(json: try Self.json(#"{"model": {"type":"Unigram","unk_id":0,"vocab":[["<unk>",0.0],["a",-1.0]]}}"#))
        #expect(literal.encode("<unk>☃a") == [0, 1] && literal.encode("x<unk>") == [0])
    }

    @Test func sentencePieceModelsOtherThanUnigramAndBPEAreRefused() throws {
        // pieces { piece: "a" }, trainer_spec { model_type: WORD }
        let word: [UInt8] = [0x0A, 0x03, 0x0A, 0x01, 0x61, 0x12, 0x02, 0x18, 0x03]
        #expect { try Tokenizer.sentencePieceJSON(SentencePieceModelProto(word)) } throws: {
            "\($0)".contains("model type 3 is not Unigram or BPE") && "\($0)".contains("save_pretrained")
        }
        // A group (wire type 3) is no field SentencePiece writes; a length past the end is truncation.
        #expect(throws: TokenizerError.self) { try SentencePieceModelProto([0x0B]) }
        #expect(throws: TokenizerError.self) { try SentencePieceModelProto([0x0A, 0x7F, 0x00]) }
        let unigram: [UInt8] = [0x0A, 0x08, 0x0A, 0x01, 0x61, 0x15, 0x00, 0x00, 0x80, 0xBF]  // "a", score -1
        let t = try Tokenizer(json: try Tokenizer.sentencePieceJSON(SentencePieceModelProto(unigram)))
        #expect(t.modelKind == "Unigram" && t.encode("a") == [0])
    }

    @Test func bpeDecoderAndCharDelimiterSplit() throws {
        let t = try Tokenizer(json: try Self.json(#"""
            {"model": {"type":"BPE","vocab":{"a":0,"b</w>":1,"ab</w>":2,"b":3},"merges":["a b</w>"],"end_of_word_suffix":"</w>"},
             "pre_tokenizer": {"type":"CharDelimiterSplit","delimiter":"-"},
             "decoder": {"type":"BPEDecoder","suffix":"</w>"}}
            """#))
        #expect(t.encode("ab-ab") == [2, 2])
        #expect(t.decode([2, 2]) == "ab ab")
    }

    @Test func directoryHoldingTokenizerJSON() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tok-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.copyItem(at: Golden.fixtures.appendingPathComponent("gpt2.tokenizer.json"),
                                         to: dir.appendingPathComponent("tokenizer.json"))
        let t = try Tokenizer(path: dir.path)
        #expect(t.decode(t.encode("Hello world")) == "Hello world")
    }

    @Test func malformedFileIsAnError() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("broken-\(UUID().uuidString).json")
        try Data("{\"model\": {".utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(throws: TokenizerError.self) { try Tokenizer(path: url.path) }
    }

    @Test func vocabularyIsKeyedByBytes() throws {
        let t = try Tokenizer(json: try Self.json(#"{"model": {"type":"BPE","vocab":{"é":0,"e\u0301":1,"e":2,"\u0301":3},"merges":["e \u0301"]}}"#))
        #expect(t.id(forToken: "é") == 0)
        #expect(t.id(forToken: "e\u{301}") == 1)
        #expect(t.encode("e\u{301}") == [1])
        #expect(t.encode("é") == [0])
    }

    @Test func addedTokenIdsFollowTheReference() throws {
        // "b" is in the model (id 1) whatever the file says; "<x>" gets the next id after the model's count.
        let t = try Tokenizer(json: try Self.json(#"""
            {"model": \#(Self.tinyModel), "added_tokens": [
              {"id": 7, "content": "<x>", "special": true, "normalized": false},
              {"id": 9, "content": "b", "special": false, "normalized": false}]}
            """#))
        #expect(t.id(forToken: "<x>") == 3)
        #expect(t.id(forToken: "b") == 1)
        #expect(t.idCount == 4)
        #expect(t.isSpecial(3) && t.isAddedToken(3) && !t.isSpecial(1) && t.isAddedToken(1))
        #expect(t.warnings.count == 2)
        // "b" is now an added token too, so "ab" cannot merge.
        #expect(t.encode("ab<x>b") == [0, 1, 3, 1])
        #expect(t.encode("aab") == [0, 0, 1])
        #expect(t.decode([2, 3, 1], skipSpecialTokens: true) == "ab b")
    }

    @Test func byteLevelDecodedBytesShowFragments() throws {
        let t = try Tokenizer(path: Golden.fixtures.appendingPathComponent("gpt2.tokenizer.json").path)
        let euro = t.encode("€")  // three bytes, each its own token in this small vocabulary or merged
        #expect(t.decodedBytes(euro) == [0xE2, 0x82, 0xAC])
        if let first = t.id(forToken: String(ByteLevelAlphabet.byteToScalar[0xE2])) {
            #expect(t.decodedBytes([first]) == [0xE2])
            #expect(t.decode([first]) == "\u{FFFD}")
        }
    }

    @Test func byteFallbackDecodedBytes() throws {
        let t = try Tokenizer(path: Golden.fixtures.appendingPathComponent("sentencepiece.tokenizer.json").path)
        let e2 = try #require(t.id(forToken: "<0xE2>"))
        #expect(t.decodedBytes([e2]) == [0xE2])
        #expect(t.decode([e2]) == "\u{FFFD}")
        #expect(t.tokenString(e2) == "<0xE2>")
        #expect(t.modelKind == "BPE")
    }

    @Test func encodingIsThreadSafe() throws {
        let t = try Tokenizer(path: Golden.fixtures.appendingPathComponent("llama3.tokenizer.json").path)
        let texts = (0..<64).map { "Sample \($0): naïve façade 你好 😀 \(String(repeating: "ab ", count: $0 * 20))" }
        let expected = texts.map { t.encode($0) }
        let results = UnsafeMutableBufferPointer<[Int]>.allocate(capacity: texts.count)
        results.initialize(repeating: [])
        defer { results.deallocate() }
        DispatchQueue.concurrentPerform(iterations: texts.count) { i in results[i] = t.encode(texts[i]) }
        #expect(Array(results) == expected)
    }

    /// NFC piece by piece with a memo (the witness search's encoder) gives what NFC of the whole text does.
    @Test func nfcWithMemoMatchesWholeText() {
        let nfc = UnicodeNormalizer(form: .nfc)
        var texts = [
            "e\u{301}", "a\u{301}b\u{323}\u{302}c", "\u{301}first", "\u{1100}\u{1161}\u{11A8}", "\u{AC00}\u{11A8}x",
            "\u{11935}\u{11930}", "x\u{345}\u{301}y", "\u{F900}\u{2126}", "\u{1D15E}\u{1D160}", "\u{0}\u{301}", "abc",
            "the e\u{301}e\u{301}e\u{301}.", "\u{0CCA}\u{0CD5}", "\u{0DD9}\u{0DCF}\u{0DDF}", "s\u{323}\u{307}\u{1E9B}\u{323}",
        ]
        // Seeded mixes of starters, marks of several combining classes and jamo.
        let pool: [Unicode.Scalar] = ["a", "e", "A", " ", "\u{C5}", "\u{301}", "\u{323}", "\u{302}", "\u{327}", "\u{5B4}",
                                      "\u{1100}", "\u{1161}", "\u{11A8}", "\u{AC00}", "\u{3099}", "\u{304B}", "\u{F900}", "\u{0897}"]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<300 {
            var text = String.UnicodeScalarView()
            for _ in 0..<8 {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                text.append(pool[Int(state >> 33) % pool.count])
            }
            texts.append(String(text))
        }
        let memo = EncodingMemo()
        for pass in 0..<2 {
            for text in texts {
                var utf8 = text
                utf8.withUTF8 { bytes in
                    #expect(nfc.normalizeIfChanged(bytes, memo: memo) == nfc.normalizeIfChanged(bytes), "pass \(pass): \(text.debugDescription)")
                }
            }
        }
    }
}
