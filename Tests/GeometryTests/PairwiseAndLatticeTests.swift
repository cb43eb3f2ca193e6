import Testing
import TokenScopeCore
@testable import Geometry

@Suite struct PairwiseDistancesTests {
    @Test(arguments: FloatFormat.allCases)
    func distancesMatchBruteForce(format: FloatFormat) {
        var rng = SeededGenerator(seed: 21)
        let rows = 90, columns = 35
        let values = (0..<(rows * columns)).map { _ in rng.floatGaussian() * 0.1 }
        let matrix = Matrix(rows: rows, columns: columns, format: format, values: values)
        let ids = stride(from: 1, to: rows, by: 2).map { $0 }  // 45 rows: two tiles and a bit
        let distances = PairwiseDistances.matrix(matrix, rows: ids)
        let n = ids.count
        for i in 0..<n {
            for j in 0..<n {
                let a = matrix.row(ids[i]).map(Double.init), b = matrix.row(ids[j]).map(Double.init)
                let exact = zip(a, b).reduce(0.0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
                let got = distances[i * n + j]
                #expect(abs(Double(got) - exact) <= Double(Float(exact).ulp), "(\(i), \(j))")
                #expect(got == distances[j * n + i])
            }
        }
        #expect((0..<n).allSatisfy { distances[$0 * n + $0] == 0 })
    }
}

@Suite struct LatticeGraphTests {
    @Test func handBuiltGraph() {
        let u = Float(0x1p-7)  // one BF16 step at 1
        let tiny = Float(bitPattern: 0x0001_0000)  // the smallest BF16 subnormal
        let rows: [[Float]] = [
            [1, 1, 1],            // 0: A
            [1 + u, 1, 1],        // 1: B  one step from A
            [1 + u, 1 + u, 1],    // 2: C  one step from A and B (L∞)
            [1 + 2 * u, 1, 1],    // 3: D  two from A, one from B and C
            [-1, 1, 1],           // 4: E  alone
            [0, 0, 0],            // 5: F
            [-0.0, 0, tiny],      // 6: G  one step from F (−0 ranks as +0)
            [-0.0, 0, 0],         // 7: F again (+0 = −0)
            [1, 1, 1],            // 8: A again
            [.nan, 1, 1],         // 9: left out
        ]
        let matrix = Matrix(rows: rows.count, columns: 3, format: .bf16, values: rows.flatMap { $0 })
        let graph = LatticeGraph(matrix: matrix, tokens: Array(0..<10))
        #expect(graph.nonFiniteRows == [9])
        #expect(graph.nodes == [[0, 8], [1], [2], [3], [4], [5, 7], [6]])
        #expect(graph.edges.map { [$0.0, $0.1] } == [[0, 1], [0, 2], [1, 2], [1, 3], [2, 3], [5, 6]])
        #expect(graph.adjacency.map(\.count) == [2, 3, 3, 2, 0, 1, 1])
        #expect(graph.degreeDistribution.map { [$0.degree, $0.count] } == [[0, 1], [1, 2], [2, 2], [3, 2]])
        #expect(graph.components == [[0, 1, 2, 3], [4], [5, 6]])
        #expect(graph.componentDiameters == [2, 0, 1])
        #expect(graph.diameter == 2)
        func rank(_ x: Float) -> Int64 { let b = x.bitPattern >> 16; return b & 0x8000 != 0 ? -Int64(b & 0x7FFF) : Int64(b) }
        #expect(graph.varyingDimensions == [
            .init(dimension: 0, distinctValues: 5, nodesOffMode: 5, span: rank(1 + 2 * u) - rank(-1)),
            .init(dimension: 1, distinctValues: 3, nodesOffMode: 3, span: rank(1 + u)),
            .init(dimension: 2, distinctValues: 3, nodesOffMode: 2, span: rank(1)),
        ])
    }

    @Test func aSubsetOfTokensAndIdenticalVectors() {
        let matrix = Matrix(rows: 4, columns: 16, format: .f16, values: [Float](repeating: 0.25, count: 64))
        let graph = LatticeGraph(matrix: matrix, tokens: [3, 1, 3])
        #expect(graph.nodes == [[1, 3]] && graph.edges.isEmpty && graph.diameter == 0 && graph.varyingDimensions.isEmpty)
    }
}
