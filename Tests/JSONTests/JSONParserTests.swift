import Testing
@testable import JSON

@Suite struct JSONParserTests {
    let parser = JSONParser()

    @Test func parsesNestedDocumentsKeepingMemberOrder() throws {
        let value = try parser.parse(#"{"b": [1, -2.5e3, true, null], "a": {"x": "y\u00e9\ud83d\ude00"}}"#)
        guard case .object(let members) = value else { Issue.record("not an object"); return }
        #expect(members.map(\.key) == ["b", "a"])
        #expect(value["b"] == .array([.integer(1), .double(-2500), .bool(true), .null]))
        #expect(value["a"]?["x"]?.stringValue == "yé😀")
    }

    @Test func rejectsDuplicateKeysUnlessAskedToKeepThem() throws {
        #expect(throws: JSONError.self) { try parser.parse(#"{"a": 1, "a": 2}"#) }
        let kept = try JSONParser(duplicateKeys: .keepAll).parse(#"{"a": 1, "a": 2}"#)
        #expect(kept.objectValue?.count == 2)
        #expect(kept["a"] == .integer(1))
    }

    @Test func keysDifferingOnlyByCanonicalEquivalenceAreDistinct() throws {
        // "é" precomposed and decomposed are one Swift String key but two JSON keys.
        let value = try parser.parse("{\"\u{e9}\": 1, \"e\u{301}\": 2}")
        #expect(value.objectValue?.count == 2)
    }

    @Test(arguments: [
        "", "{", "[1,]", "{\"a\" 1}", "01", "1.", "-", "\"abc", "\"\\x\"", "\"\\ud800\"", "tru", "[1] 2",
        "\"a\u{01}\"", "{\"a\":1,}", "nan",
    ])
    func rejectsMalformedDocuments(_ text: String) {
        #expect(throws: JSONError.self) { try parser.parse(text) }
    }

    @Test func rejectsInvalidUTF8AndDeepNesting() throws {
        #expect(throws: JSONError.self) { try parser.parse([0x22, 0xC3, 0x28, 0x22]) }
        // Overlong, surrogate, past U+10FFFF, truncated, a stray byte; with and without an escape before it.
        let invalid: [[UInt8]] = [[0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], [0xFF], [0x80]]
        for bytes in invalid {
            #expect(throws: JSONError.self, "\(bytes)") { try parser.parse([0x22] + bytes + [0x22]) }
            #expect(throws: JSONError.self, "\(bytes)") { try parser.parse([0x22, 0x5C, 0x6E] + bytes + [0x22]) }
        }
        // U+FFFD itself is valid text, not a repair.
        #expect(try parser.parse([0x22, 0x61, 0xEF, 0xBF, 0xBD, 0x22]) == .string("a\u{FFFD}"))
        #expect(try parser.parse([0x22, 0x5C, 0x74, 0xF0, 0x9F, 0x98, 0x80, 0x22]) == .string("\t😀"))
        let deep = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        #expect(throws: JSONError.self) { try parser.parse(deep) }
        #expect(throws: Never.self) { try JSONParser(maxDepth: 300).parse(deep) }
    }

    @Test func serializationRoundTrips() throws {
        let value: JSONValue = ["name": "a\"b\n\u{1}", "n": 3, "x": 0.002, "list": [1, 2], "nested": ["k": nil]]
        let text = value.serialized(pretty: true)
        #expect(try parser.parse(text) == value)
        #expect(try parser.parse(value.serialized()) == value)
    }

    @Test func largeIntegersStayExact() throws {
        #expect(try parser.parse("9007199254740993") == .integer(9_007_199_254_740_993))
        #expect(try parser.parse("1e400") == .double(.infinity))
        // Integers are read in place: the ends of Int64, and one past them, which becomes a double.
        #expect(try parser.parse("9223372036854775807") == .integer(.max))
        #expect(try parser.parse("-9223372036854775808") == .integer(.min))
        #expect(try parser.parse("9223372036854775808") == .double(9_223_372_036_854_775_808))
        #expect(try parser.parse("-9223372036854775809") == .double(-9_223_372_036_854_775_809))
        #expect(try parser.parse("[0, -0, 151935, 1.0]") == .array([.integer(0), .integer(0), .integer(151_935), .double(1)]))
    }
}
