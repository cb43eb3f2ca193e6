import Testing
@testable import Reachability
import TokenScopeCore

@Suite struct RoundTripTests {
    let toy = makeToyBPE()

    @Test func categoriesOfTheToyBPE() throws {
        let result = RoundTrip.run(toy)
        func category(_ text: String) throws -> TokenCategory {
            let id = try #require(toy.id(of: text))
            return result.categories[id]
        }
        #expect(try category("a") == .ok)
        #expect(try category("the") == .ok)
        #expect(try category("ก") == .ok)
        #expect(try category("abc") == .unreachableMulti)
        #expect(try category("a ") == .unreachableSingle)  // the normalizer strips the space
        #expect(result.categories[toy.idCount - 3] == .unreachableSingle)  // the alias of "bc"
        #expect(result.categories[toy.idCount - 2] == .okSpecial)
        #expect(result.categories[toy.idCount - 1] == .unreachableSpecial)
        #expect(result.categories[0xE0] == .undecodable)
        #expect(result.categories[0x80] == .undecodable)
        let fragment = try #require(toy.id(of: [0xE0, 0xB8]))
        #expect(result.categories[fragment] == .undecodable)
        // Every byte above 0x7F fails on its own: 128 fragments.
        #expect(result.categoryCounts[.undecodable] == 129)
    }

    @Test func listsAndReencodings() throws {
        let result = RoundTrip.run(toy)
        #expect(result.reachable.count + result.unreachable.count == toy.idCount)
        #expect(result.reachable == result.reachable.sorted())
        #expect(result.unreachable == result.unreachable.sorted())
        #expect(Set(result.reachable).isDisjoint(with: result.unreachable))
        let abc = try #require(toy.id(of: "abc"))
        let a = try #require(toy.id(of: "a")), bc = try #require(toy.id(of: "bc"))
        #expect(result.reencoding(of: abc) == [a, bc])
        #expect(result.reencodingLengths[abc] == 2)
        #expect(result.reencoding(of: a) == nil)
        #expect(result.reencodingLengths[a] == 1)
        for (id, ids) in zip(result.unreachable, result.unreachableReencodings) {
            #expect(result.reencodingLengths[id] == ids.count)
        }
    }

    @Test(arguments: [1, 2, 3, 7, 64, 10_000])
    func deterministicWhateverTheChunks(chunks: Int) {
        #expect(RoundTrip.run(toy, chunks: chunks) == RoundTrip.run(toy, chunks: 1))
    }

    @Test func sameForOneAndThreeThreads() {
        let one = Parallelism.serial, three = Parallelism(threads: 3)
        let trip = RoundTrip.run(toy, parallelism: one)
        #expect(trip == RoundTrip.run(toy, parallelism: three))
        let witnesses = WitnessSearch.run(toy, roundTrip: trip, parallelism: one)
        #expect(witnesses == WitnessSearch.run(toy, roundTrip: trip, parallelism: three))
        let records = TokenTable.records(toy, roundTrip: trip, witnesses: witnesses, parallelism: one)
        #expect(records == TokenTable.records(toy, roundTrip: trip, witnesses: witnesses, parallelism: three))
        #expect(TokenTable.csvBytes(records, parallelism: one) == TokenTable.csvBytes(records, parallelism: three))
    }

    @Test func wordPieceContinuationsFailTheRoundTrip() throws {
        let wp = makeToyWordPiece()
        let result = RoundTrip.run(wp)
        let ing = try #require(wp.vocab.firstIndex(of: "##ing"))
        #expect(result.categories[ing] == .unreachableMulti)
        #expect(result.categories[wp.vocab.firstIndex(of: "walk") ?? -1] == .ok)
        #expect(result.categories[wp.vocab.firstIndex(of: "[CLS]") ?? -1] == .okSpecial)
    }

    @Test func emptyCodec() {
        let empty = ToyWordPiece(vocab: [], specials: [])
        let result = RoundTrip.run(empty)
        #expect(result.idCount == 0 && result.reachable.isEmpty && result.unreachable.isEmpty)
    }
}
