// The Qwen3 tokenizer's whole-vocabulary round trip and witness search against the reference
// figures in Qwen3Reference.swift (scripts/unicode/make_qwen3_reachability_reference.py, pinned to
// tokenizers 0.23.3). Speed is measured by tokenscope-bench, not here.
import Foundation
import Testing
@testable import Reachability
import Tokenizers

@Suite(.serialized) struct Qwen3ReachabilityTests {
    /// data/qwen3-tokenizer/tokenizer.json in the shared folder beside the repository.
    static let tokenizerURL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("../shared/data/qwen3-tokenizer/tokenizer.json").standardizedFileURL

    func loadQwen3() throws -> Tokenizer {
        try Tokenizer(path: Self.tokenizerURL.path)
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: Qwen3ReachabilityTests.tokenizerURL.path), "needs ../shared/data/qwen3-tokenizer"))
    func roundTripMatchesTheReference() throws {
        let tokenizer = try loadQwen3()
        #expect(tokenizer.idCount == qwen3ReferenceIdCount)
        let result = RoundTrip.run(tokenizer)
        #expect(result.unreachable.count == 3_357)
        #expect(result.unreachable == qwen3ReferenceUnreachable)
        #expect(result.reachable.count == 151_669 - 3_357)
        // HF: 20 special tokens reachable, 6 non-special added tokens reachable, none unreachable.
        #expect(result.categoryCounts[.okSpecial] == 20)
        #expect(result.categoryCounts[.unreachableSpecial] == nil)

        // Notebook 1.8d: W has 151,936 rows; rows 151,669–151,935 have no token.
        let lists = try ReachabilityLists(roundTrip: result, clusterIds: [], rowCount: 151_936)
        #expect(lists.tokenlessRows.count == 267)
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: Qwen3ReachabilityTests.tokenizerURL.path), "needs ../shared/data/qwen3-tokenizer"))
    func witnessSearchMatchesThePrototype() throws {
        let tokenizer = try loadQwen3()
        let witnesses = WitnessSearch.run(tokenizer, for: qwen3ReferenceUnreachable)
        for w in witnesses.witnesses {
            if let text = w.witness { #expect(tokenizer.encode(text).contains(w.id), "id \(w.id)") }
        }
        #expect(witnesses.provablyUnreachable == qwen3ReferenceImpossible)
        #expect(witnesses.unreachableInAnyContext == qwen3ReferenceNoWitness)
        #expect(witnesses.reachableInContext.count == 1_415)
    }
}
