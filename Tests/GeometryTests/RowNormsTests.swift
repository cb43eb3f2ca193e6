import Testing
import TokenScopeCore
@testable import Geometry

@Suite struct RowNormsTests {
    @Test(arguments: FloatFormat.allCases)
    func statisticsMatchHandComputation(format: FloatFormat) {
        // Norms 5, 3, 0 (all exact in every format), and a row holding NaN that must be left out.
        let values: [Float] = [3, 4, 0, 0,
                               1, 2, 2, 0,
                               0, 0, 0, 0,
                               1, .nan, 0, 0]
        let norms = RowNorms(matrix: Matrix(rows: 4, columns: 4, format: format, values: values))
        #expect(Array(norms.norms.prefix(3)) == [5, 3, 0])
        #expect(norms.norms[3].isNaN)
        #expect(norms.nonFiniteRows == [3])
        let s = try! #require(norms.statistics)
        let mean = 8.0 / 3
        let std = (((5 - mean) * (5 - mean) + (3 - mean) * (3 - mean) + mean * mean) / 3).squareRoot()
        #expect(s.count == 3)
        #expect(abs(s.mean - mean) < 1e-15)
        #expect(abs(s.standardDeviation - std) < 1e-15)
        #expect(s.minimum == 0 && s.maximum == 5)
        // [0, 5] in 5 bins: 0 → bin 0, 3 → bin 3, 5 (the closed right edge) → bin 4.
        let histogram = try! #require(norms.histogram(bins: 5))
        #expect(histogram.counts == [1, 0, 0, 1, 1])
        #expect(histogram.edges == [0, 1, 2, 3, 4, 5])
        #expect(histogram.nan == 0 && histogram.above == 0, "the NaN row is left out")
        // NumPy's linear percentiles of [0, 3, 5]: 1st = 0.06, 99th = 4.96.
        let zoom = try! #require(norms.zoomHistogram(bins: 2))
        #expect(abs(zoom.lower - 0.06) < 1e-12 && abs(zoom.upper - 4.96) < 1e-12)
        #expect(zoom.below == 1 && zoom.above == 1 && zoom.counts == [0, 1])
        let window = try! #require(norms.zoomHistogram(window: 2...4, bins: 4))
        #expect(window.counts == [0, 0, 1, 0] && window.below == 1 && window.above == 1)
    }

    @Test func percentilesFollowNumPy() {
        let sorted: [Double] = [1, 2, 4, 8]
        #expect(Percentile.linear(sorted: sorted, 0) == 1)
        #expect(Percentile.linear(sorted: sorted, 100) == 8)
        #expect(Percentile.linear(sorted: sorted, 50) == 3)
        #expect(abs(Percentile.linear(sorted: sorted, 90) - 6.8) < 1e-12)
        #expect(Percentile.linear(sorted: [7], 37) == 7)
    }

    @Test func zeroWidthRangeWidensLikeNumPy() {
        let h = Binning.linear([2, 2, 2], bins: 2, range: 2...2)
        #expect(h.edges == [1.5, 2, 2.5])
        #expect(h.counts == [0, 3])
    }

    @Test func binning() {
        let b = Binning.linear([0, 0.1, 0.5, 0.99, 1, 1.5, -1, .nan], bins: 2, range: 0...1)
        #expect(b.edges == [0, 0.5, 1])
        #expect(b.counts == [2, 3])
        #expect(b.below == 1 && b.above == 1 && b.nan == 1)
        // Infinities are out of range, not NaN: for distances +∞ is "no neighbour within the radius".
        let infinite = Binning.linear([-.infinity, .infinity, .infinity], bins: 1, range: 0...1)
        #expect(infinite.below == 1 && infinite.above == 2 && infinite.nan == 0)
        let l = Binning.log10([0, 0, -1, 1e-7, 1e-5, 0.5, 2], from: 1e-6, to: 1, binsPerDecade: 1)
        #expect(l.counts.count == 6)
        #expect(l.zeroOrNegative == 3)
        #expect(l.below == 1 && l.above == 1)
        #expect(l.counts[1] == 1 && l.counts[5] == 1)
    }

    @Test func emptyAndAllNonFiniteMatricesHaveNoStatistics() {
        #expect(RowNorms(matrix: Matrix(rows: 0, columns: 4, format: .f32, values: [])).statistics == nil)
        let inf = RowNorms(matrix: Matrix(rows: 1, columns: 2, format: .bf16, values: [.infinity, 1]))
        #expect(inf.statistics == nil && inf.nonFiniteRows == [0] && inf.histogram() == nil && inf.zoomHistogram() == nil)
    }
}
