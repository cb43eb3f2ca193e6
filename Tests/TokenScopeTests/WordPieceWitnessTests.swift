import Foundation
import Testing
@testable import TokenScope

/// BERT's `##` continuations fail the round trip yet occur inside words: the engine's own prefix
/// drives the witness search.
@Suite struct WordPieceWitnessTests {
    @Test func continuationsHaveWitnesses() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("TokenizersTests/Fixtures/bert.tokenizer.json").path
        let tokenizer = try TokenizerLoader.load(path: path)
        #expect(tokenizer.continuingSubwordPrefix == "##")
        let trip = RoundTrip.run(tokenizer)
        let continuations = trip.unreachable.filter { tokenizer.tokenString($0)?.hasPrefix("##") == true }
        #expect(continuations.count > 10)
        let witnesses = WitnessSearch.run(tokenizer, for: continuations)
        for w in witnesses.witnesses {
            if let text = w.witness { #expect(tokenizer.encode(text).contains(w.id), "\(w.id)") }
        }
        #expect(witnesses.reachableInContext.count * 10 >= continuations.count * 9, "most continuations occur inside a word")
    }
}
