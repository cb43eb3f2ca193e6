import Foundation
import JSON
import Testing
import TestSupport
@testable import TokenScope

@Suite struct PatternLimitStageTests {
    /// A vocabulary entry whose own text sends the Split regex into catastrophic backtracking:
    /// the round trip and the witness search end, and the stage fails naming the pattern instead
    /// of writing lists built from incomplete encodings.
    @Test func reachabilityStopsOnABacktrackingPattern() throws {
        let stall = String(repeating: "a", count: 30) + "!"
        let tokenizer = try Tokenizer(json: JSONParser(duplicateKeys: .keepAll).parse(#"""
            {"model": {"type":"WordLevel","vocab":{"a":0,"!":1,"\#(stall)":2,"[UNK]":3},"unk_token":"[UNK]"},
             "pre_tokenizer": {"type":"Split","pattern":{"Regex":"(a+)+$"},"behavior":"Isolated","invert":false}}
            """#))
        let directory = ScratchDirectory.make("pattern-limit")
        #expect { try ReachabilityStage.run(tokenizer: tokenizer, tokenizerPath: "tokenizer.json", clusterTokens: nil,
                                            rowCount: nil, searchWitnesses: true, outputDirectory: directory) }
            throws: { "\($0)".contains("tokenizer.json") && "\($0)".contains(#""(a+)+$""#) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
    }
}
