import Testing
import TensorFormats
@testable import Geometry

/// The pruned k-nearest search gives exactly the ranking of every distance, ties by id.
@Suite struct NearestRowsTests {
    /// Rows with exact duplicates (ties at equal distance), a NaN row and an infinite row, in more
    /// rows than the search's 64 chunks so that chunks are merged.
    func matrix(format: FloatFormat) -> Matrix {
        let columns = 300
        var values: [Float] = []
        let base = kernelTestMatrix(format: .f32, rows: 500, columns: columns, seed: 21)
        for row in 0..<500 {
            let source = row % 7 == 3 ? row - row % 7 : row   // every 7th block repeats its first row
            values += base.row(source)
        }
        values[columns * 17] = .nan
        values[columns * 42 + 5] = .infinity
        return Matrix(rows: 500, columns: columns, format: format, values: values)
    }

    func bruteForce(_ m: Matrix, row: Int, k: Int) -> [(id: Int, distance: Double)] {
        let distances = DistancesFromRow(matrix: m, row: row).distances
        let ranked = distances.indices.filter { $0 != row && distances[$0].isFinite }
            .sorted { distances[$0] != distances[$1] ? distances[$0] < distances[$1] : $0 < $1 }
        return ranked.prefix(k).map { ($0, distances[$0]) }
    }

    @Test(arguments: FloatFormat.allCases)
    func equalsTheRankingOfEveryDistance(format: FloatFormat) {
        let m = matrix(format: format)
        for row in [0, 3, 10, 17, 250, 499] {
            for k in [1, 5, 10, 499, 600] {
                let expected = bruteForce(m, row: row, k: k)
                for path in usablePaths {
                    let found = NearestRows(matrix: m, row: row, k: k, path: path).neighbours
                    #expect(found.map(\.id) == expected.map(\.id), "row \(row), k \(k), \(path)")
                    #expect(found.map(\.distance.bitPattern) == expected.map(\.distance.bitPattern), "row \(row), k \(k), \(path)")
                }
            }
        }
        #expect(NearestRows(matrix: m, row: 0, k: 0).neighbours.isEmpty)
    }

    @Test func duplicatesComeFirstInIdOrder() {
        let m = matrix(format: .bf16)
        // Row 3 repeats row 0 (and so do 10, 24, ...: each block of 7 repeats its first row at offset 3).
        let found = NearestRows(matrix: m, row: 0, k: 1).neighbours
        #expect(found.first?.id == 3 && found.first?.distance == 0)
    }
}
