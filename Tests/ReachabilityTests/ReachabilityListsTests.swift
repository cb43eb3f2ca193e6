import Testing
@testable import Reachability

@Suite struct ReachabilityListsTests {
    let toy = makeToyBPE()

    @Test func fiveListsPartitionAsDefined() throws {
        let rt = RoundTrip.run(toy)
        let n = toy.idCount
        let rows = n + 5
        // Some unreachable, some reachable, two tokenless rows; unsorted with a duplicate.
        let cluster = [0xE0, 0x41, n + 3, 0x80, n + 1, 0x41, 0x61]
        let lists = try ReachabilityLists(roundTrip: rt, clusterIds: cluster, rowCount: rows)

        #expect(lists.cluster == [0x41, 0x61, 0x80, 0xE0, n + 1, n + 3])
        #expect(lists.unreachableInCluster == [0x80, 0xE0])
        #expect(lists.clusterButReachable == [0x41, 0x61])
        #expect(lists.clusterWithoutToken == [n + 1, n + 3])
        #expect(lists.clusterNotUnreachable == [0x41, 0x61, n + 1, n + 3])
        #expect(lists.tokenlessRows == n..<rows)
        #expect(lists.tokensWithoutRow.isEmpty)

        for list in [lists.allReachable, lists.allUnreachable, lists.unreachableInCluster,
                     lists.unreachableOutsideCluster, lists.clusterButReachable] {
            #expect(list == list.sorted())
            #expect(list.allSatisfy { $0 >= 0 && $0 < n })
        }
        // allReachable ⊔ allUnreachable = tokenizer ids.
        #expect(Set(lists.allReachable).isDisjoint(with: lists.allUnreachable))
        #expect(Set(lists.allReachable + lists.allUnreachable) == Set(0..<n))
        // in ⊔ outside = allUnreachable.
        #expect(Set(lists.unreachableInCluster).isDisjoint(with: lists.unreachableOutsideCluster))
        #expect((lists.unreachableInCluster + lists.unreachableOutsideCluster).sorted() == lists.allUnreachable)
        // cluster = unreachableInCluster ⊔ clusterButReachable ⊔ clusterWithoutToken.
        #expect((lists.unreachableInCluster + lists.clusterButReachable + lists.clusterWithoutToken).sorted() == lists.cluster)
    }

    @Test func masksAndRowPopulations() throws {
        let rt = RoundTrip.run(toy)
        let n = toy.idCount
        let lists = try ReachabilityLists(roundTrip: rt, clusterIds: [0x41, 0x80, n], rowCount: n + 2)
        let masks = lists.populationMasks()
        #expect(masks.unreachable.count == n + 2)
        #expect(masks.unreachable.filter { $0 }.count == rt.unreachable.count)
        #expect(masks.halo.filter { $0 }.count == rt.unreachable.count - 1)
        #expect(masks.cluster.filter { $0 }.count == 3)
        let populations = lists.rowPopulations()
        #expect(populations[0x41] == .reachableInCluster)
        #expect(populations[0x80] == .unreachableInCluster)
        #expect(populations[0x81] == .unreachableOutsideCluster)
        #expect(populations[0x42] == .reachableOutsideCluster)
        #expect(populations[n] == .noTokenInCluster)
        #expect(populations[n + 1] == .noToken)
    }

    @Test func noClusterAndFewerRowsThanTokens() throws {
        let rt = RoundTrip.run(toy)
        let lists = try ReachabilityLists(roundTrip: rt, clusterIds: nil, rowCount: 200)
        #expect(lists.unreachableInCluster.isEmpty && lists.clusterButReachable.isEmpty)
        #expect(lists.unreachableOutsideCluster == lists.allUnreachable)
        #expect(lists.tokensWithoutRow == 200..<toy.idCount)
        #expect(lists.tokenlessRows.isEmpty)
        #expect(lists.populationMasks().unreachable.count == 200)
    }

    @Test func clusterIdOutsideWIsAnError() {
        let rt = RoundTrip.run(toy)
        #expect(throws: ReachabilityError.clusterIdOutOfRange(id: 500, rowCount: 400)) {
            try ReachabilityLists(roundTrip: rt, clusterIds: [1, 500], rowCount: 400)
        }
        #expect(throws: ReachabilityError.clusterIdOutOfRange(id: -1, rowCount: 400)) {
            try ReachabilityLists(roundTrip: rt, clusterIds: [-1], rowCount: 400)
        }
    }
}
