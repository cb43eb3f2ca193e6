import Testing
import TokenScopeCore
@testable import Geometry

/// The search must return exactly the pairs that all-pairs measurement finds.
@Suite struct NeighbourSearchTests {
    func bruteForce(_ matrix: Matrix, points: [Int], radius: Double) -> [NearPair] {
        matrix.run(BruteForce(matrix: matrix, points: points, radius: radius))
    }

    struct BruteForce: FormatGeneric {
        let matrix: Matrix, points: [Int], radius: Double
        func run<E: StoredFloat>(_ format: E.Type) -> [NearPair] {
            let kernels = RowKernels<E>(columns: matrix.columns)
            var out: [NearPair] = []
            for i in 0..<points.count {
                for j in (i + 1)..<points.count {
                    let d2 = kernels.squaredDistance(matrix.rowPointer(points[i]), matrix.rowPointer(points[j]))
                    if d2 < radius * radius { out.append(NearPair(i: Int32(i), j: Int32(j), squaredDistance: d2)) }
                }
            }
            return out
        }
    }

    func check(_ matrix: Matrix, radius: Double, sourceLocation: SourceLocation = #_sourceLocation) {
        let points = IdenticalRows(matrix: matrix).representatives
        let expected = bruteForce(matrix, points: points, radius: radius)
        let norms = RowNorms(matrix: matrix).norms
        for threads in [1, 3] {
            let search = NeighbourSearch(matrix: matrix, points: points, radius: radius, parallelism: Parallelism(threads: threads))
            let found = search.pairs()
            #expect(found == expected, "threads \(threads): \(found.count) pairs vs \(expected.count)", sourceLocation: sourceLocation)
            // A second search over the same grid, and a grid built from the norms given.
            #expect(search.pairs() == expected, "threads \(threads), searched again", sourceLocation: sourceLocation)
            let given = NeighbourSearch(matrix: matrix, points: points, radius: radius, rowNorms: norms, parallelism: Parallelism(threads: threads))
            #expect(given.pairs() == expected, "threads \(threads), norms given", sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: FloatFormat.allCases)
    func randomClumpedPointsMatchBruteForce(format: FloatFormat) {
        // Clumps of points at several scales, so that some pairs fall on each side of the radius.
        var rng = SeededGenerator(seed: 7)
        let rows = 360, columns = 24
        var values: [Float] = []
        var centre = [Float](repeating: 0, count: columns)
        for r in 0..<rows {
            if r % 20 == 0 { centre = (0..<columns).map { _ in rng.floatGaussian() * 0.05 } }
            let spread: Float = [0.0001, 0.0003, 0.002][r % 3]
            values += centre.map { $0 + rng.floatGaussian() * spread }
        }
        let matrix = Matrix(rows: rows, columns: columns, format: format, values: values)
        for radius in [0.002, 0.008, 0.05] { check(matrix, radius: radius) }
        let points = IdenticalRows(matrix: matrix).representatives
        #expect(bruteForce(matrix, points: points, radius: 0.002).count > 20, "the input must put pairs on both sides")
    }

    @Test func pointsExactlyOnTheThresholdAreNotNeighbours() {
        // 33 zero rows and 17 rows holding exactly T in one coordinate: distance T from the zeros,
        // T·√2 from each other. Strictly below T is the rule, so only the zeros are joined.
        let t = Float(0.002)
        var values: [Float] = []
        for r in 0..<50 {
            var row = [Float](repeating: 0, count: 33)
            if r >= 33 { row[r - 33] = t }
            values += row
        }
        let matrix = Matrix(rows: 50, columns: 33, format: .f32, values: values)
        let atT = ClusterCensus(matrix: matrix, parameters: ClusterParameters(threshold: t))
        #expect(atT.edgeCount == 33 * 32 / 2)
        #expect(atT.components.count == 18)
        #expect(atT.giant?.tokens == Array(0..<33))
        #expect(atT.giant?.void == Double(t))
        let aboveT = ClusterCensus(matrix: matrix, parameters: ClusterParameters(threshold: t.nextUp))
        #expect(aboveT.edgeCount == 33 * 32 / 2 + 17 * 33)
        #expect(aboveT.components.count == 1)
        check(matrix, radius: Double(t))
        check(matrix, radius: Double(t.nextUp))
    }

    @Test func duplicatesAndOneGiantClusterMatchBruteForce() {
        // 300 rows on 40 distinct vectors inside a ball far smaller than T: one clique.
        var rng = SeededGenerator(seed: 11)
        let base = (0..<64).map { _ in rng.floatGaussian() * 0.01 }
        let distinct = (0..<40).map { _ in base.map { $0 + rng.floatGaussian() * 0.00002 } }
        let rows = (0..<300).flatMap { _ in distinct[Int(rng.next() % 40)] }
        let matrix = Matrix(rows: 300, columns: 64, format: .bf16, values: rows)
        check(matrix, radius: 0.002)
        let census = ClusterCensus(matrix: matrix)
        #expect(census.components.count == 1)
        #expect(census.edgeCount == 300 * 299 / 2)
        #expect(census.giant?.tokens == Array(0..<300))
    }

    @Test func censusIsTheSameForOneAndThreeThreads() {
        // Clumps at several scales, duplicates among them: components, voids and diameters of every size.
        var rng = SeededGenerator(seed: 5)
        var values: [Float] = []
        var centre = [Float](repeating: 0, count: 48)
        for r in 0..<600 {
            if r % 25 == 0 { centre = (0..<48).map { _ in rng.floatGaussian() * 0.02 } }
            let spread: Float = [0, 0.0001, 0.0004, 0.003][r % 4]
            values += centre.map { $0 + rng.floatGaussian() * spread }
        }
        let matrix = Matrix(rows: 600, columns: 48, format: .bf16, values: values)
        func census(threads: Int) -> ClusterCensus { ClusterCensus(matrix: matrix, parallelism: Parallelism(threads: threads)) }
        let one = census(threads: 1), three = census(threads: 3)
        #expect(one.components.count > 20 && one.giant.map { $0.tokens.count > 1 } == true, "the input must form clusters")
        #expect(one.edgeCount == three.edgeCount && one.giantIndex == three.giantIndex)
        #expect(one.identical.groups == three.identical.groups && one.componentOfPosition == three.componentOfPosition)
        #expect(one.nearestNeighbourDistance.map(\.bitPattern) == three.nearestNeighbourDistance.map(\.bitPattern))
        for (a, b) in zip(one.components, three.components) {
            #expect(a.tokens == b.tokens && a.uniqueVectors == b.uniqueVectors && a.void == b.void
                    && a.diameter.bitPattern == b.diameter.bitPattern && a.diameterIsExact == b.diameterIsExact)
        }
    }

    @Test func tailColumnsAndTinyMatricesAreHandled() {
        var rng = SeededGenerator(seed: 3)
        for columns in [1, 2, 3, 17, 31] {
            let values = (0..<(120 * columns)).map { _ in Float(Int(rng.next() % 5)) * 0.001 }
            let matrix = Matrix(rows: 120, columns: columns, format: .f16, values: values)
            check(matrix, radius: 0.0015)
        }
    }
}
