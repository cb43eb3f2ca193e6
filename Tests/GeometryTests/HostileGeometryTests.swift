import Testing
import TokenScopeCore
@testable import Geometry

/// Small matrices that once crashed a census (issue 12): each must give an answer, not a trap.
@Suite struct HostileGeometryTests {
    @Test func zeroBigOneWithANeighbourGetsAShell() {
        // Padded vocabularies hold zero rows. The Big One (a tie, so the smallest id) is the zero
        // vector, the unit is the smallest subnormal, and row 1 is ~7e41 units away.
        let matrix = Matrix(rows: 2, columns: 2, format: .f32, values: [0, 0, 0.001, 0])
        let census = CoreCensus(matrix: matrix, clusterTokens: [0, 1])
        #expect(census.bigOne.tokens == [0])
        #expect(census.ulpUnit == 0x1p-149)
        #expect(census.vectors[1].distanceULP > 0x1p63)
        #expect(census.shells.map(\.shell) == [0, Int.max])
        #expect(census.coreTokens == [0] && census.haloTokens == [1])
    }

    @Test func equalLargeNormsFillOneBin() throws {
        // Every row with the norm 1e17: ± ½ no longer widens the empty range at that magnitude.
        let matrix = Matrix(rows: 2, columns: 1, format: .f32, values: [1e17, 1e17])
        let histogram = try #require(RowNorms(matrix: matrix).histogram(bins: 100))
        #expect(histogram.counts.reduce(0, +) == 2)
        #expect(histogram.counts.filter { $0 > 0 } == [2])
        #expect(histogram.lower < histogram.upper)
    }

    @Test func histogramOfATinyRangeBinsEveryValue() {
        // A width of one subnormal makes bins ÷ width infinite.
        let histogram = Binning.linear([0, 5e-324], bins: 10, range: 0...5e-324)
        #expect(histogram.counts.reduce(0, +) == 2)
        #expect(histogram.counts.last == 1)
    }
}

@Suite struct ManyEdgesTests {
    @Test func mutuallyCloseRowsAreCountedWithoutStoringTheirEdges() throws {
        // 3,000 distinct rows all within T of each other (4.5 million edges, which the census once
        // held in memory all at once), and one row 0.003 beyond the last: inside the search
        // radius, outside T, so it is its own component and sets the giant's void.
        let n = 3_000
        var values = [Float](repeating: 0, count: (n + 1) * 2)
        for i in 0..<n { values[i * 2] = Float(i) * 1e-7 }
        let last = Double(values[(n - 1) * 2])
        values[n * 2] = Float(last + 0.003)
        let matrix = Matrix(rows: n + 1, columns: 2, format: .f32, values: values)
        let census = ClusterCensus(matrix: matrix)
        #expect(census.edgeCount == n * (n - 1) / 2)
        #expect(census.components.count == 2)
        let giant = try #require(census.giant)
        #expect(giant.tokens == Array(0..<n))
        #expect(giant.diameterIsExact && giant.diameter == last)
        let gap = Double(values[n * 2]) - last
        #expect(giant.void == gap && census.components[1].void == gap)
        #expect(census.nearestNeighbourDistance[n] == gap)
        #expect(census.nearestNeighbourDistance[1] == Double(values[2]) - Double(values[0]))
    }
}
