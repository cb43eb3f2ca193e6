import Testing
@testable import Reachability
import TokenScopeCore

@Suite struct WitnessSearchTests {
    let toy = makeToyBPE()

    @Test func fragmentIsCompletedIntoAValidCharacter() throws {
        let id = try #require(toy.id(of: [0xE0, 0xB8]))
        let result = WitnessSearch.run(toy, for: [id])
        let w = try #require(result.witness(for: id))
        #expect(w.outcome == .found)
        let text = try #require(w.witness)
        #expect(toy.encode(text).contains(id))
        // The first vocabulary-derived completion: the byte entry 0x80, giving U+0E00.
        #expect(text == "\u{0E00}")
        #expect(w.candidatesTried == 1)
    }

    @Test func tokenReachableOnlyWithTextAfterIt() throws {
        let id = try #require(toy.id(of: "a "))
        let w = try #require(WitnessSearch.run(toy, for: [id]).witness(for: id))
        let text = try #require(w.witness)
        #expect(w.outcome == .found)
        #expect(toy.encode(text).contains(id))
        #expect(text != "a ")
    }

    @Test func wordPieceContinuationGetsAWordInFront() throws {
        let wp = makeToyWordPiece()
        let ing = try #require(wp.vocab.firstIndex(of: "##ing"))
        let w = try #require(WitnessSearch.run(wp, for: [ing]).witness(for: ing))
        #expect(w.witness == "aing")
        #expect(wp.encode("aing") == [wp.vocab.firstIndex(of: "a"), ing])
    }

    @Test func unreachableInAnyContextWithinBounds() throws {
        let abc = try #require(toy.id(of: "abc"))
        let alias = toy.idCount - 3
        let bounds = WitnessBounds(maxCandidatesPerToken: 50)
        let result = WitnessSearch.run(toy, for: [alias, abc], bounds: bounds)
        for id in [abc, alias] {
            let w = try #require(result.witness(for: id))
            #expect(w.outcome == .notFoundWithinBounds)
            #expect(w.witness == nil)
            #expect(w.candidatesTried == 50)
        }
        #expect(result.unreachableInAnyContext == [abc, alias].sorted())
        #expect(result.provablyUnreachable.isEmpty)
    }

    @Test func bytesThatNeverOccurInValidTextAreImpossible() throws {
        // C0, C1 and F5–FF are never valid; neither is a lead byte followed by ASCII.
        let codec = ToyByteBPE(merges: [([0xE0], [0x41])])
        let broken = try #require(codec.id(of: [0xE0, 0x41]))
        let result = WitnessSearch.run(codec, for: [0xC0, 0xC1, 0xF5, 0xFF, broken])
        #expect(result.provablyUnreachable == [0xC0, 0xC1, 0xF5, 0xFF, broken].sorted())
        #expect(result.witnesses.allSatisfy { $0.candidatesTried == 0 })
    }

    @Test func everyByteFragmentThatCanOccurGetsAWitness() throws {
        let rt = RoundTrip.run(toy)
        let result = WitnessSearch.run(toy, roundTrip: rt)
        #expect(result.witnesses.map(\.id) == rt.unreachable)
        for w in result.witnesses where rt.categories[w.id] == .undecodable {
            let valid = utf8FragmentShape(toy.decodedBytes([w.id])) != nil
            #expect(w.outcome == (valid ? .found : .impossible), "id \(w.id)")
            if let text = w.witness { #expect(toy.encode(text).contains(w.id)) }
        }
        // The unmatchable special and the alias are never produced; so is "abc".
        #expect(result.unreachableInAnyContext.contains(toy.idCount - 1))
        #expect(result.unreachableInAnyContext.contains(toy.idCount - 3))
    }

    @Test(arguments: [1, 3, 50])
    func deterministicWhateverTheChunks(chunks: Int) {
        let rt = RoundTrip.run(toy)
        #expect(WitnessSearch.run(toy, roundTrip: rt, chunks: chunks) == WitnessSearch.run(toy, roundTrip: rt, chunks: 2))
    }

    @Test func vocabularyEdgesAreOrderedBySmallestId() {
        let edges = VocabularyEdges(toy, chunks: nil, parallelism: .allCores)
        #expect(edges.heads.first == [0x80])
        #expect(edges.heads.count == 64)
        #expect(edges.tails.first == [0xC2])  // 0xC0, 0xC1 cannot start a character
        #expect(edges.tails.contains([0xE0, 0xB8]))
        #expect(!edges.tails.contains([0xC0]))
    }
}
