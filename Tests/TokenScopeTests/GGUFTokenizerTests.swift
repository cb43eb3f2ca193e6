import Foundation
import JSON
import Testing
@testable import TensorFormats
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
