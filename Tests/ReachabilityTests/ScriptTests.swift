import Testing
@testable import Reachability

@Suite struct ScriptTests {
    @Test(arguments: [
        (" the", "Latin"), ("é", "Latin"), ("e\u{301}", "Latin"), (" мир", "Cyrillic"), ("東京", "CJK"),
        ("です", "CJK"), ("東京です", "CJK"), ("カタカナ", "CJK"), ("สวัสดี", "Thai"), ("مرحبا", "Arabic"),
        (" 한국어", "Hangul"), ("ελλάδα", "Greek"), ("नमस्ते", "Devanagari"), ("שלום", "Hebrew"),
        ("abcмир", "Mixed"), ("Tokyo東京", "Mixed"), (" \n\t", "Whitespace"), ("\u{3000}", "Whitespace"),
        // White_Space at the ends of ASCII and just past it; the ASCII separators U+001C–U+001F are not.
        ("\u{0B}\u{0C}\r", "Whitespace"), ("\u{85}\u{A0}", "Whitespace"), (" \u{1F}", "Common"),
        ("123", "Common"), ("!?", "Common"), (" 😀", "Common"), ("ー", "Common"), ("\u{301}", "Common"),
        ("ᚠ", "Other"),
    ])
    func classifiesTokens(text: String, expected: String) {
        #expect(TokenScript.classify(Array(text.utf8)).rawValue == expected)
    }

    @Test func bytesSpecialAndEmpty() {
        #expect(TokenScript.classify([0xE0, 0xB8]) == .bytes)
        #expect(TokenScript.classify([0x41, 0x80]) == .bytes)
        #expect(TokenScript.classify(Array("<|end|>".utf8), isSpecial: true) == .special)
        #expect(TokenScript.classify([]) == .empty)
    }

    @Test func scriptTableLookups() {
        let samples: [(UInt32, UnicodeScript)] = [
            (0x41, .latin), (0x30, .common), (0xE9, .latin), (0x0E01, .thai), (0x4E00, .han), (0xAC00, .hangul),
            (0x0410, .cyrillic), (0x0627, .arabic), (0x3042, .hiragana), (0x30A2, .katakana), (0x0301, .inherited),
            (0x1F600, .common), (0x20000, .han), (0xE000, .unknown), (0x10FFFF, .unknown), (0x16A0, .other),
            (0x0378, .unknown),
        ]
        for (v, script) in samples {
            #expect(Unicode.Scalar(v).map { UnicodeScript(of: $0) } == script, "U+\(String(v, radix: 16))")
        }
        #expect(UnicodeScript.tableVersion == "17.0")
        #expect(unicodeScriptRanges.first == 0)  // U+0000 starts the table
        #expect(zip(unicodeScriptRanges, unicodeScriptRanges.dropFirst()).allSatisfy { $0 >> 8 < $1 >> 8 })
    }
}
