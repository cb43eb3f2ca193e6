import Testing
import TokenScopeCore
@testable import Geometry

/// The SIMD paths this processor can run, each once (a path it lacks resolves to one it has).
let usablePaths: [SIMDPath] = Array(Set(SIMDPath.allCases.map(\.usable))).sorted { $0.rawValue < $1.rawValue }

/// Rows whose values span many exponents, with zeros of both signs, in lengths that exercise the
/// vector body, the early-exit check points (every 256) and the tail.
func kernelTestMatrix(format: FloatFormat, rows: Int, columns: Int, seed: UInt64) -> Matrix {
    var rng = SeededGenerator(seed: seed)
    let values: [Float] = (0..<(rows * columns)).map { k in
        switch k % 11 {
        case 0: return 0
        case 1: return -0.0
        case 2: return rng.floatGaussian() * 1e-4
        default: return rng.floatGaussian() * 0.05
        }
    }
    return Matrix(rows: rows, columns: columns, format: format, values: values)
}

@Suite struct RowKernelPathTests {
    static let shapes = [(rows: 9, columns: 5), (rows: 9, columns: 16), (rows: 7, columns: 256), (rows: 7, columns: 2567)]

    func each<T: Equatable>(_ matrix: Matrix, _ body: (RowKernelsAnyFormat) -> T) -> [T] {
        usablePaths.map { body(RowKernelsAnyFormat(matrix: matrix, path: $0)) }
    }

    @Test(arguments: FloatFormat.allCases)
    func distancesNormsAndHashesAreTheSameBitsOnEveryPath(format: FloatFormat) {
        for (shape, seed) in zip(Self.shapes, 1...) {
            let m = kernelTestMatrix(format: format, rows: shape.rows, columns: shape.columns, seed: UInt64(seed))
            for i in 0..<m.rows {
                let norms = each(m) { $0.squaredNorm(i).bitPattern }
                #expect(Set(norms).count == 1, "norm of row \(i), \(shape)")
                let hashes = each(m) { $0.finiteHash(i) }
                #expect(Set(hashes).count == 1 && hashes[0] != nil, "hash of row \(i), \(shape)")
                for j in 0..<m.rows {
                    let full = each(m) { $0.squaredDistance(i, j).bitPattern }
                    #expect(Set(full).count == 1, "distance (\(i), \(j)), \(shape)")
                    // An early exit happens at the same check point on every path.
                    let bound = Double(bitPattern: full[0]) * 0.3
                    #expect(Set(each(m) { $0.squaredDistance(i, j, stopAt: bound).bitPattern }).count == 1)
                    #expect(Set(each(m) { $0.equal(i, j) }) == [i == j])
                }
            }
        }
    }

    @Test(arguments: FloatFormat.allCases)
    func distanceIsTheSumOfSquaredDifferences(format: FloatFormat) {
        let m = kernelTestMatrix(format: format, rows: 4, columns: 2567, seed: 3)
        for path in usablePaths {
            let k = RowKernelsAnyFormat(matrix: m, path: path)
            let a = m.row(0).map(Double.init), b = m.row(1).map(Double.init)
            let reference = zip(a, b).reduce(0.0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
            #expect(abs(k.squaredDistance(0, 1) - reference) <= reference * 1e-12, "\(path)")
            #expect(abs(k.squaredNorm(0) - a.reduce(0) { $0 + $1 * $1 }) <= reference * 1e-12, "\(path)")
        }
    }

    @Test(arguments: FloatFormat.allCases)
    func signedZerosHashAlikeAndNonFiniteRowsHaveNoHash(format: FloatFormat) {
        let columns = 37
        var rows = [[Float]](repeating: (0..<columns).map { Float($0) * 0.25 }, count: 5)
        rows[1][3] = 0; rows[0][3] = -0.0          // rows 0 and 1 equal (+0 = −0), 2 equal too
        rows[2][3] = 0
        rows[3][36] = .infinity                     // in the tail
        rows[4][5] = .nan                           // in the vector body
        let m = Matrix(rows: 5, columns: columns, format: format, values: rows.flatMap { $0 })
        for path in usablePaths {
            let k = RowKernelsAnyFormat(matrix: m, path: path)
            #expect(k.finiteHash(0) != nil && k.finiteHash(0) == k.finiteHash(1), "\(path)")
            #expect(k.equal(0, 1) && k.equal(1, 2))
            #expect(k.finiteHash(3) == nil && k.finiteHash(4) == nil)
            #expect(!k.equal(4, 4), "NaN equals nothing")
        }
    }

    @Test(arguments: [FloatFormat.bf16, .f16])
    func widensEveryStoredValueExactlyOnEveryPath(format: FloatFormat) {
        let all = (0...UInt16.max).map { $0 }
        let widened: [[UInt32]] = usablePaths.map { path in
            var out = [Float](repeating: 0, count: all.count)
            all.withUnsafeBytes { FloatConversion.widen($0.baseAddress!, format: format, count: all.count, into: &out, path: path) }
            return out.map(\.bitPattern)
        }
        #expect(Set(widened).count == 1, "every path widens to the same bits")
        for (bits, value) in zip(all, widened[0]) {
            let scalar = format == .bf16 ? FloatConversion.bf16ToFloat(bits) : FloatConversion.halfToFloat(bits)
            if scalar.isNaN && format == .f16 {
                #expect(Float(bitPattern: value).isNaN && value & 0x40_0000 != 0, "a NaN comes out quiet")
            } else {
                #expect(value == scalar.bitPattern, "\(bits)")
            }
        }
    }

    @Test func forcedScalarPathIsTakenAndAgreesWithTheBest() {
        let m = kernelTestMatrix(format: .bf16, rows: 40, columns: 300, seed: 9)
        #expect(RowKernels<FloatConversion.BF16>(columns: 300, path: .scalar).path == .scalar)
        #expect(RowNorms(matrix: m, path: .scalar).norms == RowNorms(matrix: m).norms)
        let scalar = IdenticalRows(matrix: m, path: .scalar), best = IdenticalRows(matrix: m)
        #expect(scalar.groups == best.groups && scalar.nonFiniteRows == best.nonFiniteRows)
        let origin = DistancesFromRow(matrix: m, row: 3, path: .scalar).distances
        #expect(origin.map(\.bitPattern) == DistancesFromRow(matrix: m, row: 3).distances.map(\.bitPattern))
    }
}

/// The kernels of one matrix's format, addressed by row index (tests only).
struct RowKernelsAnyFormat {
    let matrix: Matrix
    let path: SIMDPath

    private struct Call<T>: FormatGeneric {
        let columns: Int
        let path: SIMDPath
        let body: (any RowKernelsProtocol) -> T
        func run<E: StoredFloat>(_ format: E.Type) -> T { body(RowKernels<E>(columns: columns, path: path)) }
    }

    private func call<T>(_ body: @escaping (any RowKernelsProtocol) -> T) -> T {
        matrix.run(Call(columns: matrix.columns, path: path, body: body))
    }

    func squaredDistance(_ i: Int, _ j: Int, stopAt: Double = .infinity) -> Double {
        call { $0.squaredDistance(matrix.rowPointer(i), matrix.rowPointer(j), stopAt: stopAt) }
    }
    func squaredNorm(_ i: Int) -> Double { call { $0.squaredNorm(matrix.rowPointer(i)) } }
    func finiteHash(_ i: Int) -> UInt64? { call { $0.finiteHash(matrix.rowPointer(i)) } }
    func equal(_ i: Int, _ j: Int) -> Bool { call { $0.equal(matrix.rowPointer(i), matrix.rowPointer(j)) } }
}

protocol RowKernelsProtocol {
    func squaredDistance(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, stopAt: Double) -> Double
    func squaredNorm(_ a: UnsafeRawPointer) -> Double
    func finiteHash(_ a: UnsafeRawPointer) -> UInt64?
    func equal(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer) -> Bool
}
extension RowKernels: RowKernelsProtocol {}

@Suite struct GramDistanceTests {
    /// Clumps at several scales around a common offset, so many pairs fall on each side of 4 T.
    func clumped(format: FloatFormat, rows: Int, columns: Int) -> Matrix {
        var rng = SeededGenerator(seed: 11)
        let offset = (0..<columns).map { _ in rng.floatGaussian() * 0.3 }
        var centre = offset
        var values: [Float] = []
        for r in 0..<rows {
            if r % 12 == 0 { centre = zip(offset, (0..<columns).map { _ in rng.floatGaussian() * 0.003 }).map(+) }
            let spread: Float = [0, 0.00005, 0.0002, 0.001][r % 4]
            values += centre.map { $0 + rng.floatGaussian() * spread }
        }
        return Matrix(rows: rows, columns: columns, format: format, values: values)
    }

    @Test(arguments: FloatFormat.allCases)
    func pairsBelowTheRangeAreTheExactKernelsBitForBit(format: FloatFormat) {
        let m = clumped(format: format, rows: 150, columns: 200)
        let ids = Array(stride(from: 1, to: 150, by: 1))
        let range = 4 * 0.002
        let exact = PairwiseDistances.matrix(m, rows: ids)
        let n = ids.count
        var below = 0, above = 0
        for path in usablePaths {
            for threads in [1, 3] {
                let gram = PairwiseDistances.matrix(m, rows: ids, exactBelow: range, path: path, parallelism: Parallelism(threads: threads))
                for i in 0..<n {
                    for j in 0..<n where Double(exact[i * n + j]) < range {
                        #expect(gram[i * n + j].bitPattern == exact[i * n + j].bitPattern, "(\(i), \(j)) \(path)")
                    }
                }
                // Far pairs are the Gram form: close to the exact value (the bound is far looser).
                #expect(zip(gram, exact).allSatisfy { abs($0 - $1) <= 1e-4 * max(1, $1) })
            }
        }
        for v in exact { if Double(v) < range { below += 1 } else { above += 1 } }
        #expect(below > 2 * n && above > n * n / 4, "the input must put many pairs on both sides")
        // Every path gives the same bits, far pairs included.
        let outputs = usablePaths.map { PairwiseDistances.matrix(m, rows: ids, exactBelow: range, path: $0).map(\.bitPattern) }
        #expect(Set(outputs).count == 1)
    }

    @Test func gramFormSkipsTheFarPairs() {
        let m = clumped(format: .bf16, rows: 96, columns: 64)
        let ids = Array(0..<96)
        var out = [Float](repeating: 0, count: 96 * 96)
        let counts = out.withUnsafeMutableBufferPointer {
            PairwiseDistances.fill(matrix: m, rows: ids, into: $0, exactBelow: 0.008)
        }
        #expect(counts.pairs == 96 * 95 / 2)
        #expect(counts.exactPairs > 0 && counts.exactPairs < counts.pairs / 2)
    }

    @Test func nonFiniteRowsAreComputedByTheExactKernel() {
        var values = (0..<(20 * 33)).map { Float($0 % 7) * 0.01 }
        values[5 * 33 + 4] = .nan
        values[9 * 33 + 30] = .infinity
        let m = Matrix(rows: 20, columns: 33, format: .bf16, values: values)
        let ids = Array(0..<20)
        let exact = PairwiseDistances.matrix(m, rows: ids)
        let gram = PairwiseDistances.matrix(m, rows: ids, exactBelow: 0.008)
        #expect(zip(exact, gram).allSatisfy { $0.bitPattern == $1.bitPattern || abs($0 - $1) <= 1e-5 })
        #expect(gram[5 * 20 + 5].isNaN && gram[5 * 20 + 6].isNaN && gram[9 * 20 + 0] == .infinity)
    }
}
