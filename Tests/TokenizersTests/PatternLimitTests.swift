import Foundation
import JSON
import Testing
@testable import Tokenizers

/// Regexes with catastrophic backtracking (issue 12): bounded work, and an error naming the
/// pattern and the position, as the reference's Oniguruma gives a retry-limit error.
@Suite struct PatternLimitTests {
    static func splitting(_ pattern: String) throws -> Tokenizer {
        let escaped = pattern.replacingOccurrences(of: "\\", with: "\\\\")
        return try Tokenizer(json: JSONParser(duplicateKeys: .keepAll).parse(#"""
            {"model": {"type":"WordLevel","vocab":{"a":0,"b":1,"[UNK]":2},"unk_token":"[UNK]"},
             "pre_tokenizer": {"type":"Split","pattern":{"Regex":"\#(escaped)"},"behavior":"Isolated","invert":false}}
            """#))
    }

    @Test(arguments: [#"(a+)+$"#, #"(\w+\s?)*$"#])
    func catastrophicBacktrackingStopsWithTheLimitError(pattern: String) throws {
        let tokenizer = try Self.splitting(pattern)
        #expect(tokenizer.patternLimitError == nil)
        // 2^30 ways to split thirty a's, none followed by the end: minutes without a bound.
        _ = tokenizer.encode(String(repeating: "a", count: 30) + "!")
        let error = try #require(tokenizer.patternLimitError)
        #expect(error.component == "pre_tokenizer")
        guard case .patternTooComplex(pattern, position: 0, textLength: 31, _) = error.problem else {
            Issue.record("not the pattern-limit case: \(error)")
            return
        }
        #expect(error.reason.contains(pattern.debugDescription) && error.reason.contains("after character 0 of a 31-character text"))
        // The pattern is disabled from then on: later encodings return at once, still flagged.
        _ = tokenizer.encode(String(repeating: "a", count: 40) + "!")
        #expect(tokenizer.patternLimitError?.reason == error.reason)
    }

    @Test func matchesBeforeTheStallAreKeptAndThePositionIsTheStall() throws {
        let pattern = #"b|(a+)+$"#
        let tokenizer = try Self.splitting(pattern)
        _ = tokenizer.encode("bb" + String(repeating: "a", count: 30) + "!")
        let error = try #require(tokenizer.patternLimitError)
        guard case .patternTooComplex(_, position: 2, textLength: 33, _) = error.problem else {
            Issue.record("not the pattern-limit case at character 2: \(error)")
            return
        }
    }

    @Test func ordinaryPatternsOnLongTextsStayWithinTheLimit() throws {
        // Linear work over a long text without a match is not stopped.
        let tokenizer = try Self.splitting(#"\s+(?=\S)|x{3}"#)
        let ids = tokenizer.encode(String(repeating: "ab", count: 200_000))
        #expect(tokenizer.patternLimitError == nil)
        #expect(ids == [2])  // one piece, not in the vocabulary
    }

    @Test func tiktokenPatternIsBoundedToo() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("limit-\(UUID().uuidString).tiktoken")
        try Data("YQ== 0\nYg== 1\nIQ== 2\n".utf8).write(to: url)  // "a", "b", "!"
        defer { try? FileManager.default.removeItem(at: url) }
        let tokenizer = try Tokenizer.tiktoken(path: url.path, pattern: #"(a+)+$"#)
        _ = tokenizer.encode(String(repeating: "a", count: 30) + "!")
        let error = try #require(tokenizer.patternLimitError)
        #expect(error.component == "pattern" && error.reason.contains(#"(a+)+$"#.debugDescription))
    }
}
