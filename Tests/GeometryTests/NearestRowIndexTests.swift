import CKernels
import Testing
import TensorFormats
@testable import Geometry

/// The index must give exactly the full scan's answer: same ids, same distance bits, same tie order.
@Suite struct NearestRowIndexTests {
    /// Clusters of rows around a few centres, with exact duplicates, rows one BF16 step apart
    /// (near-ties), a zero row, and rows holding NaN and infinity. 200 columns: not a multiple of 64.
    static func matrix() -> Matrix {
        let rows = 1500, columns = 200
        var random = SeededGenerator(seed: 10)
        let centres = (0..<6).map { _ in (0..<columns).map { _ in random.floatGaussian() } }
        var values: [Float] = []
        for r in 0..<rows {
            let centre = centres[r % centres.count]
            let spread: Float = r % 5 == 0 ? 0.02 : 0.3
            values += centre.map { $0 + spread * random.floatGaussian() }
        }
        func copy(_ from: Int, to: Int) { for c in 0..<columns { values[to * columns + c] = values[from * columns + c] } }
        for r in stride(from: 100, to: 400, by: 7) { copy(r, to: r + 1) }           // duplicates
        for r in stride(from: 500, to: 800, by: 11) {                               // one step apart
            copy(r, to: r + 1)
            values[(r + 1) * columns + r % columns] = values[(r + 1) * columns + r % columns].nextUp
        }
        for c in 0..<columns { values[900 * columns + c] = 0 }
        values[901 * columns + 3] = .nan
        values[902 * columns + 5] = .infinity
        return Matrix(rows: rows, columns: columns, format: .bf16, values: values)
    }

    @Test func sameAnswerAsTheFullScan() {
        let matrix = Self.matrix()
        var random = SeededGenerator(seed: 11)
        let queries = [0, 1, 100, 101, 500, 501, 900, 901, 902, 1499] + (0..<40).map { _ in Int(random.next() % 1500) }
        for path in [SIMDPath.scalar, .best] {
            let index = NearestRowIndex(matrix: matrix, path: path)
            var exact = 0
            for row in queries {
                for k in [1, 10, 50] {
                    let expected = NearestRows.scan(matrix: matrix, row: row, k: k)
                    let (found, computed) = index.search(row: row, k: k)
                    exact += computed
                    #expect(found.map(\.id) == expected.map(\.id), "row \(row), k \(k), \(path)")
                    #expect(found.map(\.distance.bitPattern) == expected.map(\.distance.bitPattern), "row \(row), k \(k), \(path)")
                }
            }
            // The bounds must spare most exact distances (the clusters are well apart).
            #expect(exact < queries.count * 3 * matrix.rows / 5, "\(path): \(exact) exact distances")
        }
        // A duplicate is found at distance 0, and the NaN row is nobody's neighbour.
        let index = NearestRowIndex(matrix: matrix)
        #expect(index.nearest(row: 100, k: 1).first?.id == 101)
        #expect(index.nearest(row: 100, k: 1).first?.distance == 0)
        #expect(!index.nearest(row: 0, k: 1499).contains { $0.id == 901 })
    }

    /// More rows than the query's seed takes (NearestRowIndex.seedCandidates), so that pass 2 prunes
    /// against the seeded k-th distance; a spread of norms, as in a trained model.
    @Test func sameAnswerAsTheFullScanPastTheSeed() {
        let rows = 40 * NearestRowIndex.seedCandidates / 32, columns = 96
        var random = SeededGenerator(seed: 13)
        let values = (0..<rows).flatMap { r in
            let scale = Float(1 + r % 7) * 0.25
            return (0..<columns).map { _ in scale * random.floatGaussian() }
        }
        let matrix = Matrix(rows: rows, columns: columns, format: .bf16, values: values)
        let index = NearestRowIndex(matrix: matrix)
        for row in (0..<12).map({ _ in Int(random.next() % UInt64(rows)) }) {
            let expected = NearestRows.scan(matrix: matrix, row: row, k: 10)
            let (found, exact) = index.search(row: row, k: 10)
            #expect(found.map(\.id) == expected.map(\.id) && found.map(\.distance.bitPattern) == expected.map(\.distance.bitPattern), "row \(row)")
            #expect(exact < rows / 4, "row \(row): \(exact) exact distances")
        }
    }

    @Test func selectionFindsTheCountthSmallest() {
        var random = SeededGenerator(seed: 14)
        for size in [1, 2, 3, 10, 1000] {
            // Many ties and both infinities, as bounds have.
            let values = (0..<size).map { i -> Double in
                i % 17 == 0 ? -.infinity : i % 23 == 0 ? .infinity : Double(random.next() % 50)
            }
            let sorted = values.sorted()
            for count in Set([1, size, (size + 1) / 2, Int(random.next() % UInt64(size)) + 1]) {
                var scratch = values
                #expect(NearestRowIndex.smallest(count, of: &scratch) == sorted[count - 1], "size \(size), count \(count)")
            }
        }
    }

    @Test func nibbleDotIsTheSameOnEveryPath() {
        var random = SeededGenerator(seed: 12)
        let groups = 40
        let query = (0..<(groups * 64)).map { _ in Int8(Int(random.next() % 255) - 127) }
        let plane = (0..<(groups * 32)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        var expected: Int32 = 0
        for g in 0..<groups {
            for j in 0..<32 {
                let byte = Int32(plane[g * 32 + j])
                expected += Int32(query[g * 64 + j]) * (byte & 15) + Int32(query[g * 64 + 32 + j]) * (byte >> 4)
            }
        }
        for path in SIMDPath.allCases.map(\.usable) {
            #expect(ts_nibble_dot(path.cValue, query, plane, groups) == expected, "\(path)")
        }
    }
}
