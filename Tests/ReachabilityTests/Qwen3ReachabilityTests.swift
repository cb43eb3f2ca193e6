// INTEGRATION: needs the Tokenizers engine and `extension Tokenizer: TokenCodec`
// (Sources/Reachability/Tokenizer+TokenCodec.swift). To enable: delete the `#if`/`#endif` lines,
// adapt `loadQwen3()` to the engine's loading API, and drop the `.disabled` traits.
// Expected figures come from Qwen3Reference.swift (scripts/unicode/make_qwen3_reachability_reference.py).
#if TOKENSCOPE_INTEGRATION
import Foundation
import Testing
@testable import Reachability
import Tokenizers

@Suite struct Qwen3ReachabilityTests {
    /// data/qwen3-tokenizer/tokenizer.json in the shared folder beside the repository.
    static let tokenizerURL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("../shared/data/qwen3-tokenizer/tokenizer.json").standardizedFileURL

    func loadQwen3() throws -> Tokenizer {
        try Tokenizer(contentsOf: Self.tokenizerURL)  // adapt to the engine's loader
    }

    @Test(.disabled("needs Tokenizers engine"))
    func roundTripMatchesTheReference() throws {
        let tokenizer = try loadQwen3()
        #expect(tokenizer.idCount == qwen3ReferenceIdCount)
        let start = Date()
        let result = roundTrip(tokenizer)
        let elapsed = Date().timeIntervalSince(start)
        #expect(result.unreachable.count == 3_357)
        #expect(result.unreachable == qwen3ReferenceUnreachable)
        #expect(result.reachable.count == 151_669 - 3_357)
        // HF: 20 special tokens reachable, 6 non-special added tokens reachable, none unreachable.
        #expect(result.categoryCounts[.okSpecial] == 20)
        #expect(result.categoryCounts[.unreachableSpecial] == nil)
        #if !DEBUG
        #expect(elapsed <= 1.0, "round trip took \(elapsed) s")  // release build, 2 cores
        #endif
        _ = elapsed

        // Notebook 1.8d: W has 151,936 rows; rows 151,669–151,935 have no token.
        let lists = try ReachabilityLists(roundTrip: result, clusterIds: [], rowCount: 151_936)
        #expect(lists.tokenlessRows.count == 267)
    }

    @Test(.disabled("needs Tokenizers engine"))
    func witnessSearchMatchesThePrototype() throws {
        let tokenizer = try loadQwen3()
        let start = Date()
        let witnesses = searchWitnesses(tokenizer, for: qwen3ReferenceUnreachable)
        let elapsed = Date().timeIntervalSince(start)
        for w in witnesses.witnesses {
            if let text = w.witness { #expect(tokenizer.encode(text).contains(w.id), "id \(w.id)") }
        }
        #expect(witnesses.provablyUnreachable == qwen3ReferenceImpossible)
        #expect(witnesses.unreachableInAnyContext == qwen3ReferenceNoWitness)
        #if !DEBUG
        #expect(elapsed <= 5.0, "witness search took \(elapsed) s")
        #endif
        _ = elapsed
    }
}
#endif
