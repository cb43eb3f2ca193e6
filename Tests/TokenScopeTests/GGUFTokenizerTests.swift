import Foundation
import JSON
import Testing
import TestSupport
import TensorFormats
@testable import TokenScope

/// GGUF vocabularies become tokenizers through the same engine as tokenizer.json.
@Suite struct GGUFTokenizerTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("TensorFormatsTests/Fixtures").path

    @Test(arguments: ["f32.gguf", "llama_vocab.gguf"])
    func vocabularyLoadsAndRoundTripsText(file: String) throws {
        let path = Self.fixtures + "/gguf/" + file
        let tokenizer = try TokenizerLoader.load(path: path)
        let gguf = try GGUFFile(path: path)
        #expect(tokenizer.idCount == gguf["tokenizer.ggml.tokens"]?.arrayValue?.count)
        for id in 0..<tokenizer.idCount where !tokenizer.isSpecial(id) {
            // Every ordinary entry decodes to text whose encoding is well formed.
            let ids = tokenizer.encode(tokenizer.decode([id]))
            #expect(ids.allSatisfy { $0 >= 0 && $0 < tokenizer.idCount })
        }
    }

    @Test(arguments: ["tokenizer_merge_unknown_token.json", "tokenizer_unigram_unk_outside.json", "tokenizer_precompiled_truncated.json"])
    func malformedTokenizersAreRefused(file: String) {
        #expect(throws: (any Error).self) { try TokenizerLoader.load(path: Self.fixtures + "/malformed/" + file) }
    }
}

/// A GGUF file of each lossless type surveys exactly as its safetensors twin: the same values in
/// the same stored type, written from the fixture script's expected values (not from the reader).
@Suite struct GGUFSurveyTests {
    @Test(arguments: [("f32", FloatFormat.f32), ("f16", .f16), ("bf16", .bf16)])
    func ggufSurveysLikeItsSafetensorsTwin(name: String, format: FloatFormat) throws {
        let fixtures = GGUFTokenizerTests.fixtures + "/gguf/"
        let expected = try SafeTensorsFile(path: fixtures + name + ".expected.safetensors")
        let info = try #require(expected["W"])
        let values = try expected.doubles("W").map(Float.init)
        let directory = temporaryDirectory()
        var twin = SafeTensorsWriter()
        twin.add("W", matrix: Matrix(rows: info.shape[0], columns: info.shape[1], format: format, values: values))
        try twin.write(to: directory + "/twin.safetensors")

        var options = SurveyOptions()
        options.extractW = false
        options.threshold = 0.5  // the fixtures are small random matrices: a wide threshold makes a cluster
        let fromGGUF = try SurveyStage.run(modelPath: fixtures + name + ".gguf", options: options, outputDirectory: directory + "/gguf")
        if fromGGUF.tokenizer != nil { options.tokenizerPath = fixtures + name + ".gguf" }
        let fromTwin = try SurveyStage.run(modelPath: directory + "/twin.safetensors", options: options, outputDirectory: directory + "/twin")
        #expect(fromGGUF.loaded.matrix.format == format)
        #expect(fromGGUF.inputSHA256 == fromTwin.inputSHA256, "the same stored bytes")
        let a = SurveyStage.summary(fromGGUF)["stages"], b = SurveyStage.summary(fromTwin)["stages"]
        for stage in ["norms", "clusters", "core", "black_holes", "reachability"] {
            #expect(strip(a?[stage]) == strip(b?[stage]), "\(stage)")
        }
        #expect(fromGGUF.clusters.census.edgeCount > 0)
    }

    /// A stage summary without what differs by construction: paths and timings.
    func strip(_ value: JSONValue?) -> JSONValue? {
        guard case .object(let members)? = value else { return value }
        return .object(members.filter { !["output", "seconds", "token_table"].contains($0.key) }.map { JSONMember(key: $0.key, value: strip($0.value) ?? nil) })
    }
}

/// GGUF vocabularies read as llama.cpp's tokenizer suite expects: the ids Hugging Face `tokenizers`
/// gives on the original tokenizer.json (fixtures: scripts/golden/make_gguf_vocab_fixtures.py).
@Suite struct GGUFVocabularyTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/gguf-vocab").path

    /// Texts of a suite .inp file (separated by the marker, the last one followed by it) and the
    /// ids of the matching .out lines.
    static func suiteCases(_ name: String) throws -> [(text: String, ids: [Int])] {
        let separator = Array("\n__ggml_vocab_test__\n".utf8)
        let input = try [UInt8](Data(contentsOf: URL(fileURLWithPath: fixtures + "/ggml-vocab-\(name).gguf.inp")))
        var texts = input.split(separator: separator, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        if input.suffix(separator.count).elementsEqual(separator) { texts.removeLast() }
        let output = try String(decoding: Data(contentsOf: URL(fileURLWithPath: fixtures + "/ggml-vocab-\(name).gguf.out")), as: UTF8.self)
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false).map { $0.split(separator: " ").compactMap { Int($0) } }
        return zip(texts, lines).map { ($0, $1) }
    }

    @Test(arguments: ["bert-bge", "llama-spm"])
    func suiteVocabularyEncodesAsTheReference(name: String) throws {
        let tokenizer = try TokenizerLoader.load(path: Self.fixtures + "/ggml-vocab-\(name).gguf")
        let cases = try Self.suiteCases(name)
        #expect(cases.count == 46)
        for (text, ids) in cases {
            #expect(tokenizer.encode(text) == ids, "\(text.debugDescription)")
        }
    }

    /// Every pre-tokenizer name llama.cpp knows builds a tokenizer the engine accepts (each regex
    /// compiles, ICU's reading of a range included) and splits a mixed text into its pieces whole.
    @Test func everyPreTokenizerNameLoads() throws {
        guard case .object(var members) = try GGUFTokenizerJSON.make(from: GGUFFile(path: GGUFTokenizerTests.fixtures + "/gguf/f32.gguf")) else {
            Issue.record("not an object")
            return
        }
        let mixed = "I'm 12345 héllo\u{301}  ΐ 中文 한국어 👋\n\n\t$x+=1; // done"
        let plain = "the word!and  out\n10 'ab 111"  // only characters the fixture's vocabulary holds
        #expect(GGUFPreTokenizer.byName.count == 89)
        for (name, pre) in GGUFPreTokenizer.byName.sorted(by: { $0.key < $1.key }) {
            members = members.map { $0.key == "pre_tokenizer" ? JSONMember(key: $0.key, value: GGUFTokenizerJSON.preTokenizerJSON(pre.splits)) : $0 }
            let tokenizer = try Tokenizer(json: .object(members))
            #expect(!tokenizer.encode(mixed).isEmpty, "\(name)")
            // Isolated splits keep every scalar: text of the vocabulary's own characters comes back whole.
            if pre.splits.byteLevel {
                #expect(String(decoding: tokenizer.decodedBytes(tokenizer.encode(plain)), as: UTF8.self) == plain, "\(name)")
            }
        }
    }

    /// A SentencePiece Unigram model as a t5 GGUF encodes as transformers' conversion of the same
    /// model, except on text that spells a control piece: the conversion lists no added tokens, so
    /// "<s>" there is a model piece after the dummy prefix, while the GGUF's CONTROL tokens are
    /// special added tokens (as in T5's own tokenizer.json, and llama.cpp matching specials).
    @Test func unigramVocabularyEncodesAsTheConvertedModel() throws {
        let tokenizer = try TokenizerLoader.load(path: Self.fixtures + "/unigram.gguf")
        let goldenPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("TokenizersTests/Fixtures/spm-unigram-nfkccf.golden.json").path
        let golden = try JSONParser().parse([UInt8](Data(contentsOf: URL(fileURLWithPath: goldenPath))))
        let cases = try #require(golden["cases"]?.arrayValue)
        #expect(cases.count > 20)
        for item in cases {
            let text = try #require(item["text"]?.stringValue)
            let ids = try #require(item["ids"]?.arrayValue).compactMap(\.intValue)
            if ["<s>", "</s>", "<unk>"].contains(where: text.contains) {
                #expect(tokenizer.encode(text).first == 1, "<s> is a special token at the start")
                continue
            }
            #expect(tokenizer.encode(text) == ids, "\(text.debugDescription)")
        }
    }

    /// The same reduced Qwen3 vocabulary as tokenizer.json (NFC normalizer) and as the GGUF
    /// llama.cpp's converter writes (no normalizer stored): the GGUF's restored NFC gives the same
    /// populations, and the tokens NFC changes are unreachable through both.
    @Test func ggufAndTokenizerJSONGiveTheSamePopulations() throws {
        let directory = temporaryDirectory()
        var results: [ReachabilityStage.Result] = []
        for file in ["qwen-nfc.tokenizer.json", "qwen-nfc.gguf"] {
            let path = Self.fixtures + "/" + file
            let tokenizer = try TokenizerLoader.load(path: path)
            results.append(try ReachabilityStage.run(tokenizer: tokenizer, tokenizerPath: path, clusterTokens: nil, rowCount: nil,
                                                     searchWitnesses: true, outputDirectory: directory + "/" + file))
        }
        let (json, gguf) = (results[0], results[1])
        #expect(json.lists.allUnreachable == gguf.lists.allUnreachable)
        #expect(json.lists.allReachable == gguf.lists.allReachable)
        #expect(json.lists.rowPopulations() == gguf.lists.rowPopulations())
        #expect(json.roundTrip.categories == gguf.roundTrip.categories)
        #expect(json.witnesses?.unreachableInAnyContext == gguf.witnesses?.unreachableInAnyContext)
        // 豈 (U+F900, a CJK compatibility ideograph) and ά (U+1F71, alpha with oxia) become other
        // characters under NFC: unreachable through both.
        let tokenizer = try TokenizerLoader.load(path: Self.fixtures + "/qwen-nfc.gguf")
        let changed = (0..<tokenizer.idCount).filter { id in
            let text = String(decoding: tokenizer.decodedBytes([id]), as: UTF8.self)
            return !text.contains("\u{FFFD}") && !text.unicodeScalars.elementsEqual(text.precomposedStringWithCanonicalMapping.unicodeScalars)
        }
        #expect(changed.count == 40)
        #expect(Set(changed).isSubset(of: Set(gguf.lists.allUnreachable)))
        #expect(json.tokenizerSemantics == nil)
        #expect(gguf.tokenizerSemantics?.contains("NFC normalizer restored") == true)
        #expect(gguf.summary["tokenizer_semantics"] != nil)
    }
}

@Suite struct GGUFTokenizerJSONTests {
    static func fixture(_ name: String) -> String { GGUFTokenizerTests.fixtures + "/gguf/" + name }

    struct Expected {
        var vocab: [JSONMember]
        var merges: [JSONValue]
        var added: [(id: Int, content: String, special: Bool)]
    }

    static func expected(_ model: String) throws -> Expected {
        let data = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Self.fixture("tokenizer_expected.json"))))
        let json = try JSONParser().parse(data)
        let entry = try #require(json[model])
        let added = try #require(entry["added_tokens"]?.arrayValue).map {
            ($0["id"]!.intValue!, $0["content"]!.stringValue!, $0["special"]!.boolValue!)
        }
        // The conversion writes merges in the array form, which lets a token hold a space.
        let merges = try #require(entry["merges"]?.arrayValue).map { merge -> JSONValue in
            .array(merge.stringValue!.split(separator: " ", maxSplits: 1).map { .string(String($0)) })
        }
        return Expected(vocab: try #require(entry["vocab"]?.objectValue), merges: merges, added: added)
    }

    func check(_ json: JSONValue, against expected: Expected) throws {
        let model = try #require(json["model"])
        #expect(model["type"] == .string("BPE"))
        #expect(model["vocab"]?.objectValue == expected.vocab)
        #expect(model["merges"]?.arrayValue == expected.merges)
        let added = try #require(json["added_tokens"]?.arrayValue)
        #expect(added.map { $0["id"]?.intValue } == expected.added.map(\.id))
        #expect(added.map { $0["content"]?.stringValue } == expected.added.map(\.content))
        #expect(added.map { $0["special"]?.boolValue } == expected.added.map(\.special))
    }

    @Test func gpt2Vocabulary() throws {
        let json = try GGUFTokenizerJSON.make(from: GGUFFile(path: Self.fixture("f32.gguf")))
        try check(json, against: Self.expected("gpt2"))
        // f32.gguf says "qwen2": a Split on Qwen2's regex, then ByteLevel without its own regex.
        let steps = try #require(json["pre_tokenizer"]?["pretokenizers"]?.arrayValue)
        #expect(steps.first?["pattern"]?["Regex"] == .string(GGUFPreTokenizer.qwen2.regexes[0]))
        #expect(steps.last?["type"] == .string("ByteLevel"))
        #expect(json["decoder"]?["type"] == .string("ByteLevel"))
        // The document survives serialisation and strict parsing.
        let text = json.serialized()
        #expect(try JSONParser().parse(text) == json)
    }

    @Test func llamaBPEPreTokenizer() throws {
        let json = try GGUFTokenizerJSON.make(from: GGUFFile(path: Self.fixture("f16.gguf")))
        let steps = try #require(json["pre_tokenizer"]?["pretokenizers"]?.arrayValue)
        #expect(steps.first?["pattern"]?["Regex"] == .string(GGUFPreTokenizer.llama3.regexes[0]))
    }

    @Test func llamaVocabularyMergesFromScores() throws {
        let json = try GGUFTokenizerJSON.make(from: GGUFFile(path: Self.fixture("llama_vocab.gguf")))
        try check(json, against: Self.expected("llama"))
        #expect(json["model"]?["byte_fallback"] == .bool(true))
        #expect(json["model"]?["unk_token"] == .string("<unk>"))
        // As transformers' Llama conversion: the prefix and the spaces come from the normaliser.
        #expect(json["pre_tokenizer"] == .null)
        #expect(json["normalizer"]?["normalizers"]?.arrayValue?.map { $0["type"] } == [.string("Prepend"), .string("Replace")])
    }

    @Test func noVocabulary() throws {
        #expect(throws: TensorFormatError.self) { try GGUFTokenizerJSON.make(from: GGUFFile(path: Self.fixture("bf16.gguf"))) }
    }

    @Test func vocabularies() throws {
        func vocabulary(model: String = "gpt2", tokens: [String], merges: [String]? = nil, types: [UInt32]? = nil,
                        pre: String? = nil) -> [UInt8] {
            var b = GGUFBuilder()
            let count = 2 + (merges == nil ? 0 : 1) + (types == nil ? 0 : 1) + (pre == nil ? 0 : 1)
            b.header(tensors: 0, metadata: UInt64(count))
            b.string("tokenizer.ggml.model"); b.u32(8); b.string(model)
            b.string("tokenizer.ggml.tokens"); b.u32(9); b.u32(8); b.u64(UInt64(tokens.count))
            for t in tokens { b.string(t) }
            if let merges {
                b.string("tokenizer.ggml.merges"); b.u32(9); b.u32(8); b.u64(UInt64(merges.count))
                for m in merges { b.string(m) }
            }
            if let types {
                b.string("tokenizer.ggml.token_type"); b.u32(9); b.u32(5); b.u64(UInt64(types.count))
                for t in types { b.u32(t) }
            }
            if let pre { b.string("tokenizer.ggml.pre"); b.u32(8); b.string(pre) }
            return b.bytes
        }
        func expectVocabularyError(_ bytes: [UInt8], _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation) {
            #expect(sourceLocation: sourceLocation) { try GGUFTokenizerJSON.make(from: GGUFFile(bytes: bytes)) } throws: { error in
                (error as? TensorFormatError)?.reason.contains(fragment) == true
            }
        }
        _ = try GGUFTokenizerJSON.make(from: GGUFFile(bytes: vocabulary(tokens: ["a", "b", "ab"], merges: ["a b"])))
        expectVocabularyError(vocabulary(tokens: ["a", "a"], merges: []), "repeats")
        expectVocabularyError(vocabulary(tokens: ["a", "b"], merges: ["a c"]), "merge 0")
        expectVocabularyError(vocabulary(tokens: ["a", "b"], merges: ["ab"]), "merge 0")
        expectVocabularyError(vocabulary(tokens: ["a", "b"], merges: [], types: [1]), "token_type")
        expectVocabularyError(vocabulary(tokens: ["a", "b"]), "needs tokenizer.ggml.merges")
        expectVocabularyError(vocabulary(tokens: ["a", "b"], merges: [], pre: "no-such-pre"), "unknown tokenizer.ggml.pre")
        expectVocabularyError(vocabulary(model: "rwkv", tokens: ["a"]), "not supported")
        expectVocabularyError(vocabulary(tokens: ["a", "b"], merges: [], pre: "kimi-k2"), "hand-written code")
        expectVocabularyError(vocabulary(model: "llama", tokens: ["a"]), "scores")
    }
}
