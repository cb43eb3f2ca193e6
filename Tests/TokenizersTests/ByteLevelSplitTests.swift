import Foundation
import JSON
import Testing
@testable import Tokenizers

/// An isolating split followed by the byte-level map is encoded by cutting the text's scalars in
/// place; these tests hold it to what the general pre-token pipeline gives for the same file.
@Suite struct ByteLevelSplitTests {
    /// The same pre-tokenizer followed by an empty Sequence, which changes no piece but is not
    /// the shape the in-place path takes.
    static func throughGeneralPath(_ json: JSONValue) -> JSONValue {
        guard case .object(let members) = json else { return json }
        let empty: JSONValue = ["type": "Sequence", "pretokenizers": .array([])]
        return .object(members.map {
            $0.key == "pre_tokenizer" ? JSONMember(key: $0.key, value: ["type": "Sequence", "pretokenizers": .array([$0.value, empty])]) : $0
        })
    }

    /// The pre-tokenizer of `json` replaced (a ByteLevel without regex: the whole text is one piece).
    static func withPreTokenizer(_ json: JSONValue, _ pre: JSONValue) -> JSONValue {
        guard case .object(let members) = json else { return json }
        return .object(members.map { $0.key == "pre_tokenizer" ? JSONMember(key: $0.key, value: pre) : $0 })
    }

    @Test(arguments: ["llama3", "gpt2", "split-isolated", "gpt2 without regex"])
    func piecesCutInPlaceEncodeAsThePreTokenizerDoes(_ name: String) throws {
        let fixture = name.split(separator: " ")[0]
        var json = try Golden.json(Golden.fixtures.appendingPathComponent("\(fixture).tokenizer.json"))
        if name.hasSuffix("without regex") {
            json = Self.withPreTokenizer(json, ["type": "ByteLevel", "add_prefix_space": false, "use_regex": false])
        }
        let inPlace = try Tokenizer(json: json)
        let general = try Tokenizer(json: Self.throughGeneralPath(json))
        #expect(inPlace.byteLevelPieces != nil)
        #expect(general.byteLevelPieces == nil)

        let golden = try Golden.json(Golden.fixtures.appendingPathComponent("\(fixture).golden.json"))
        var texts = (golden["cases"]?.arrayValue ?? []).compactMap { $0["text"]?.stringValue }
        texts += (0..<inPlace.idCount).map { inPlace.decode([$0]) }
        texts += ["", " ", "  \n\n  x", "don't  stop\t'LL 12345 ÀÉ 😀😀 ", "\u{301}a\u{301}", "a  b   c    "]
        let long = texts.joined(separator: " ")   // over 512 bytes: encode's own memo
        texts.append(long)

        var mismatches: [String] = []
        for text in texts where inPlace.encode(text) != general.encode(text) { mismatches.append(text) }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
        // Through one encoder each, twice: the second pass answers from the memo.
        let encodeInPlace = inPlace.makeEncoder(), encodeGeneral = general.makeEncoder()
        for pass in 0..<2 {
            let differing = texts.filter { encodeInPlace($0) != encodeGeneral($0) || encodeInPlace($0) != general.encode($0) }
            #expect(differing.isEmpty, "pass \(pass): \(differing.prefix(5))")
        }
    }

    @Test func otherPreTokenizersTakeTheGeneralPath() throws {
        for name in ["split-contiguous", "split-removed", "split-regex-invert", "metaspace-split", "bert"] {
            let tokenizer = try Tokenizer(path: Golden.fixtures.appendingPathComponent("\(name).tokenizer.json").path)
            #expect(tokenizer.byteLevelPieces == nil, "\(name)")
        }
    }

    /// One id is decoded without the decoder chain's arrays; two ids still go through the chain,
    /// and a lone ByteLevel decoder joins tokens, so the two must agree for every id. An added
    /// token outside the byte-level alphabet keeps its own UTF-8 in both.
    @Test(arguments: ["gpt2", "llama3"])
    func oneIdDecodesAsTheChainDoes(_ name: String) throws {
        var json = try Golden.json(Golden.fixtures.appendingPathComponent("\(name).tokenizer.json"))
        if case .object(var members) = json {
            members.removeAll { $0.key == "added_tokens" }
            members.append(JSONMember(key: "added_tokens", value: .array([
                ["id": 5000, "content": "<|终|>", "special": true], ["id": 5001, "content": "Ġmañana", "special": false],
            ])))
            json = .object(members)
        }
        let tokenizer = try Tokenizer(json: json)
        #expect(tokenizer.decoder is ByteLevelDecoder)
        var differing: [Int] = []
        for id in 0..<tokenizer.idCount + 2 {
            let one = tokenizer.decodedBytes([id])
            if tokenizer.decodedBytes([id, id]) != one + one { differing.append(id) }
            if Array(tokenizer.decode([id]).utf8) != Array(String(decoding: one, as: UTF8.self).utf8) { differing.append(id) }
        }
        #expect(differing.isEmpty, "\(differing.prefix(10))")
        let added = try #require(tokenizer.id(forToken: "<|终|>"))
        #expect(tokenizer.decode([added]) == "<|终|>")
    }
}
