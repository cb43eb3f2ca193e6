import Testing
import CKernels
import TokenScopeCore
@testable import Geometry

@Suite struct PrincipalAxesTests {
    /// Rows with three planted directions of well-separated spread, isotropic noise and an offset.
    func planted(rows: Int, columns: Int, format: FloatFormat, seed: UInt64) -> Matrix {
        var rng = SeededGenerator(seed: seed)
        let directions = (0..<3).map { _ -> [Float] in
            let v = (0..<columns).map { _ in rng.floatGaussian() }
            let n = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return v.map { $0 / n }
        }
        let offset = (0..<columns).map { _ in rng.floatGaussian() * 0.5 }
        var values: [Float] = []
        for _ in 0..<rows {
            var row = offset.map { $0 + rng.floatGaussian() * 0.05 }
            for (k, sigma) in [Float(1.0), 0.6, 0.35].enumerated() {
                let a = rng.floatGaussian() * sigma
                for j in 0..<columns { row[j] += a * directions[k][j] }
            }
            values += row
        }
        return Matrix(rows: rows, columns: columns, format: format, values: values)
    }

    /// The full covariance of the finite rows, in Double, and its Jacobi eigenvectors with the
    /// sign convention applied.
    func reference(_ matrix: Matrix, count: Int) -> (values: [Double], vectors: [[Double]]) {
        let d = matrix.columns
        let rows = (0..<matrix.rows).map { matrix.row($0).map(Double.init) }.filter { $0.allSatisfy(\.isFinite) }
        let n = Double(rows.count)
        var mean = [Double](repeating: 0, count: d)
        for row in rows { for j in 0..<d { mean[j] += row[j] } }
        mean = mean.map { $0 / n }
        var c = [Double](repeating: 0, count: d * d)
        for row in rows {
            for a in 0..<d { for b in 0..<d { c[a * d + b] += (row[a] - mean[a]) * (row[b] - mean[b]) } }
        }
        c = c.map { $0 / n }
        let eigen = SymmetricEigen(n: d, matrix: c)
        let vectors = (0..<count).map { k -> [Double] in
            let v = eigen.vector(k)
            var best = 0
            for j in 0..<d where abs(v[j]) > abs(v[best]) { best = j }
            return v[best] < 0 ? v.map { -$0 } : v
        }
        return (Array(eigen.values.prefix(count)), vectors)
    }

    @Test func jacobiDiagonalisesASmallMatrix() {
        let eigen = SymmetricEigen(n: 3, matrix: [2, 1, 0, 1, 2, 0, 0, 0, 5])
        #expect(zip(eigen.values, [5.0, 3, 1]).allSatisfy { abs($0 - $1) < 1e-14 })
        let v = eigen.vector(1)
        #expect(abs(abs(v[0]) - 0.5.squareRoot()) < 1e-14 && abs(v[0] - v[1]) < 1e-14 && abs(v[2]) < 1e-14)
    }

    @Test(arguments: FloatFormat.allCases)
    func topAxesMatchTheDenseEigensolver(format: FloatFormat) throws {
        let matrix = planted(rows: 500, columns: 37, format: format, seed: 5)
        let expected = reference(matrix, count: 3)
        let axes = try PrincipalAxes(matrix: matrix)
        #expect(axes.converged)
        for k in 0..<3 {
            let difference = zip(axes.axes[k], expected.vectors[k]).map { abs($0 - $1) }.max()!
            #expect(difference < 1e-6, "PC\(k + 1) differs by \(difference)")
            #expect(abs(axes.eigenvalues[k] - expected.values[k]) < 1e-9 * expected.values[0])
            // Sign convention: the largest-magnitude component is positive.
            let largest = axes.axes[k].max { abs($0) < abs($1) }!
            #expect(largest > 0)
        }
        // Projections are of the uncentred rows on the signed axes.
        for r in [0, 17, 499] {
            let row = matrix.row(r).map(Double.init)
            for k in 0..<3 {
                let direct = zip(row, axes.axes[k]).reduce(0) { $0 + $1.0 * $1.1 }
                #expect(abs(axes.projections[r * 3 + k] - direct) < 1e-10)
            }
        }
    }

    @Test func resultDoesNotDependOnTheThreadCount() throws {
        // More rows than tiles, so every tile holds rows.
        let matrix = planted(rows: 1100, columns: 20, format: .bf16, seed: 9)
        let one = try PrincipalAxes(matrix: matrix, parallelism: .serial)
        let three = try PrincipalAxes(matrix: matrix, parallelism: Parallelism(threads: 3))
        #expect(one.axes == three.axes && one.eigenvalues == three.eigenvalues && one.projections == three.projections)
    }

    @Test func everySIMDPathAgreesWithTheScalarPath() throws {
        let matrix = planted(rows: 1500, columns: 41, format: .bf16, seed: 17)
        let scalar = try PrincipalAxes(matrix: matrix, path: .scalar)
        let best = try PrincipalAxes(matrix: matrix, path: .best)
        #expect(scalar.simdPath == .scalar && best.simdPath == SIMDPath.best)
        #expect(scalar.converged && best.converged)
        for k in 0..<3 {
            let difference = zip(scalar.axes[k], best.axes[k]).map { abs($0 - $1) }.max()!
            #expect(difference < 1e-9, "PC\(k + 1) differs by \(difference) between the scalar path and \(best.simdPath)")
            #expect(abs(scalar.eigenvalues[k] - best.eigenvalues[k]) < 1e-12 * best.eigenvalues[0])
        }
        let projections = zip(scalar.projections, best.projections).map { abs($0 - $1) }.max()!
        #expect(projections < 1e-9)
        // The fused paths follow the same order of operations: identical bits.
        if SIMDPath.best == .avx512 {
            let avx2 = try PrincipalAxes(matrix: matrix, path: .avx2)
            #expect(avx2.simdPath == .avx2 && avx2.axes == best.axes && avx2.projections == best.projections)
        }
    }

    @Test func nonFiniteRowsAreSkippedAndReported() throws {
        let clean = planted(rows: 200, columns: 16, format: .f32, seed: 13)
        var values = (0..<clean.rows).flatMap { clean.row($0) }
        values[5 * 16 + 3] = .nan
        values[9 * 16] = -.infinity
        let matrix = Matrix(rows: 200, columns: 16, format: .f32, values: values)
        let axes = try PrincipalAxes(matrix: matrix)
        #expect(axes.nonFiniteRows == [5, 9])
        #expect(axes.rowsUsed == 198)
        #expect(axes.projections[5 * 3].isNaN && axes.projections[9 * 3 + 2].isNaN)
        let expected = reference(matrix, count: 3)
        for k in 0..<3 { #expect(zip(axes.axes[k], expected.vectors[k]).allSatisfy { abs($0 - $1) < 1e-6 }) }
    }

    /// The single-precision pass against the double one on the same block: the same finite rows and
    /// column sums, and products within float rounding, on every path, for each element format, with
    /// a column count that is not a multiple of 4, rows that fill no whole group, and a non-finite row.
    @Test(arguments: FloatFormat.allCases)
    func singlePassAgreesWithTheDoublePassToFloatRounding(format: FloatFormat) throws {
        let clean = planted(rows: 203, columns: 37, format: .f32, seed: 21)
        var values = (0..<clean.rows).flatMap { clean.row($0) }
        values[7 * 37 + 36] = .infinity
        let matrix = Matrix(rows: 203, columns: 37, format: format, values: values)
        var random = SplitMix64(seed: 4)
        let block = PrincipalAxes.orthonormalise((0..<8).map { _ in (0..<37).map { _ in random.gaussian() } },
                                                 against: KrylovSpace(columns: 37), random: &random)
        let centre = (0..<37).map { Double(matrix.row(0)[$0]) + 0.25 }
        var finite = [UInt8](repeating: 1, count: 203)
        let double = BlockPass(matrix: matrix, path: .scalar, parallelism: .serial)
            .run(block: block, centre: centre.map { Double(Float($0)) }, finite: &finite, findFinite: true, projections: false)
        #expect(finite[7] == 0 && finite.filter { $0 == 0 }.count == 1)
        let scale = double.product.map(abs).max()!
        var results: [SIMDPath: BlockPass.Output] = [:]
        for path in [SIMDPath.scalar, .best] {
            var flags = [UInt8](repeating: 1, count: 203)
            let single = BlockPass(matrix: matrix, path: path, parallelism: Parallelism(threads: 3))
                .runSingle(block: block, centre: centre, finite: &flags, findFinite: true)
            #expect(flags == finite)
            #expect(single.columnSum == double.columnSum, "Σ w is exact on the \(path) path")
            let worst = zip(single.product, double.product).map { abs($0 - $1) }.max()!
            #expect(worst < 1e-5 * scale, "\(path): products differ by \(worst) of \(scale)")
            #expect(zip(single.sum, double.sum).allSatisfy { abs($0 - $1) < 1e-4 })
            results[single.path] = single
        }
        // The fused paths follow the same order of operations: identical bits.
        if SIMDPath.best == .avx512 {
            var flags = [UInt8](repeating: 1, count: 203)
            let avx2 = BlockPass(matrix: matrix, path: .avx2, parallelism: .serial).runSingle(block: block, centre: centre, finite: &flags, findFinite: true)
            #expect(avx2.product == results[.avx512]?.product && avx2.sum == results[.avx512]?.sum)
        }
    }

    /// The single-precision pass against its documented arithmetic (ckernels_pca.h), replayed here
    /// one row at a time, on every path this processor has: on the scalar path with separate roundings, on the fused paths (the AVX2 and
    /// AVX-512 kernels' batches of 16 rows in column tiles of 256) with fused multiply-adds, bit for bit. The
    /// tiles of ~45 rows hold whole batches, a tail, and a float flush at 64 rows; d = 301 spans two
    /// column tiles and is not a multiple of 4; d = 259 leaves its last tile 2 column pairs, fewer than
    /// the 4 that AVX-512's second product takes at a time.
    @Test(arguments: [301, 259]) func singlePassFollowsItsDocumentedArithmeticBitForBit(columns d: Int) throws {
        let rows = 2900
        let clean = planted(rows: rows, columns: d, format: .f32, seed: 31)
        var values = (0..<rows).flatMap { clean.row($0) }
        values[40 * d + 3] = .nan
        let matrix = Matrix(rows: rows, columns: d, format: .bf16, values: values)
        var random = SplitMix64(seed: 8)
        let block = PrincipalAxes.orthonormalise((0..<8).map { _ in (0..<d).map { _ in random.gaussian() } },
                                                 against: KrylovSpace(columns: d), random: &random)
        let centre = (0..<d).map { Double(matrix.row(0)[$0]) * 0.5 + 0.01 }
        for path in Set(SIMDPath.allCases.map(\.usable)) {
            var finite = [UInt8](repeating: 1, count: rows)
            let kernel = BlockPass(matrix: matrix, path: path, parallelism: Parallelism(threads: 2))
                .runSingle(block: block, centre: centre, finite: &finite, findFinite: true)
            #expect(kernel.path == path)
            let documented = documentedSinglePass(matrix, block: block, centre: centre, fused: path != .scalar)
            let differing = zip(kernel.product, documented.product).filter { $0 != $1 }.count
            #expect(kernel.product.count == documented.product.count && differing == 0, "\(path): \(differing) entries of Σ w pᵀ differ")
            #expect(kernel.sum == documented.sum, "\(path): Σ p")
        }
    }

    /// The double pass against its documented arithmetic (ckernels_pca.h), replayed one row at a
    /// time, bit for bit, on every path this processor has: separate roundings on the scalar path, fused multiply-adds on the others
    /// (AVX-512's batches of 16 rows in column tiles of 128 included). d = 301 is odd and spans three
    /// tiles; the row tiles hold whole batches and tails; one row is not finite.
    @Test func doublePassFollowsItsDocumentedArithmeticBitForBit() throws {
        let (rows, d) = (2900, 301)
        let clean = planted(rows: rows, columns: d, format: .f32, seed: 33)
        var values = (0..<rows).flatMap { clean.row($0) }
        values[50 * d + 7] = -.infinity
        let matrix = Matrix(rows: rows, columns: d, format: .bf16, values: values)
        var random = SplitMix64(seed: 9)
        let block = PrincipalAxes.orthonormalise((0..<8).map { _ in (0..<d).map { _ in random.gaussian() } },
                                                 against: KrylovSpace(columns: d), random: &random)
        let centre = (0..<d).map { Double(matrix.row(1)[$0]) * 0.5 - 0.02 }
        for path in Set(SIMDPath.allCases.map(\.usable)) {
            var finite = [UInt8](repeating: 1, count: rows)
            let kernel = BlockPass(matrix: matrix, path: path, parallelism: Parallelism(threads: 2))
                .run(block: block, centre: centre, finite: &finite, findFinite: true, projections: true)
            #expect(kernel.path == path && finite[50] == 0)
            let documented = documentedDoublePass(matrix, block: block, centre: centre, fused: path != .scalar)
            let differing = zip(kernel.product, documented.product).filter { $0 != $1 }.count
            #expect(kernel.product.count == documented.product.count && differing == 0, "\(path): \(differing) entries of Σ w pᵀ differ")
            #expect(kernel.sum == documented.sum, "\(path): Σ p")
            #expect(kernel.projections.map(\.bitPattern) == documented.projections.map(\.bitPattern), "\(path): projections")
        }
    }

    /// ckernels_pca.h's double pass, written out: the same tiles of rows, p's lane m as the even and
    /// the odd columns' chains added, minus c = centreᵀB; Σ p and Σ w pᵀ in row order within a tile,
    /// the tiles added in order; the projections uncentred, NaN for a skipped row.
    func documentedDoublePass(_ matrix: Matrix, block: [[Double]], centre: [Double], fused: Bool)
        -> (product: [Double], sum: [Double], projections: [Double]) {
        let d = matrix.columns
        func multiplyAdd(_ a: Double, _ b: Double, _ c: Double) -> Double { fused ? c.addingProduct(a, b) : a * b + c }
        let offset = block.map { PrincipalAxes.dot(centre, $0) } + [Double](repeating: 0, count: 8 - block.count)
        func b(_ j: Int, _ m: Int) -> Double { m < block.count ? block[m][j] : 0 }
        var product = [Double](repeating: 0, count: d * 8), sum = [Double](repeating: 0, count: 8)
        var projections = [Double](repeating: .nan, count: matrix.rows * 8)
        for tile in Parallelism.ranges(count: matrix.rows, chunks: PrincipalAxes.chunkCount) {
            var tileProduct = [Double](repeating: 0, count: d * 8), tileSum = [Double](repeating: 0, count: 8)
            for r in tile {
                let row = matrix.row(r)
                guard row.allSatisfy(\.isFinite) else { continue }
                let w = row.map(Double.init)
                var p = [Double](repeating: 0, count: 8)
                for m in 0..<8 {
                    var even = 0.0, odd = 0.0
                    var j = 0
                    while j + 2 <= d {
                        even = multiplyAdd(w[j], b(j, m), even)
                        odd = multiplyAdd(w[j + 1], b(j + 1, m), odd)
                        j += 2
                    }
                    if j < d { even = multiplyAdd(w[j], b(j, m), even) }
                    projections[8 * r + m] = even + odd
                    p[m] = (even + odd) - offset[m]
                    tileSum[m] += p[m]
                }
                for j in 0..<d { for m in 0..<8 { tileProduct[8 * j + m] = multiplyAdd(w[j], p[m], tileProduct[8 * j + m]) } }
            }
            for i in product.indices { product[i] += tileProduct[i] }
            for m in 0..<8 { sum[m] += tileSum[m] }
        }
        return (product, sum, projections)
    }

    /// ckernels_pca.h's single-precision pass, written out: the same tiles of rows, c and B rounded to
    /// float, p's lane m as four column chains combined (c0 + c2) + (c1 + c3), the float sums of Σ x pᵀ
    /// in row order flushed into double every TS_PCA_SINGLE_FLUSH finite rows; Σ w pᵀ then as `runSingle`
    /// gives it.
    func documentedSinglePass(_ matrix: Matrix, block: [[Double]], centre: [Double], fused: Bool) -> (product: [Double], sum: [Double]) {
        let d = matrix.columns, padded = (d + 3) / 4 * 4
        func paired(_ j: Int, _ m: Int) -> Int { 16 * (j / 2) + 2 * m + (j % 2) }
        func multiplyAdd(_ a: Float, _ b: Float, _ c: Float) -> Float { fused ? c.addingProduct(a, b) : a * b + c }
        var b = [Float](repeating: 0, count: padded * 8)
        for (m, v) in block.enumerated() { for j in 0..<d { b[paired(j, m)] = Float(v[j]) } }
        let c = (0..<padded).map { $0 < d ? Float(centre[$0]) : 0 }
        var product = [Double](repeating: 0, count: padded * 8), sum = [Double](repeating: 0, count: 8)
        for tile in Parallelism.ranges(count: matrix.rows, chunks: PrincipalAxes.chunkCount) {
            var tileProduct = [Double](repeating: 0, count: padded * 8), tileSum = [Double](repeating: 0, count: 8)
            var partial = [Float](repeating: 0, count: padded * 8)
            var summed = 0
            func flush() {
                for i in partial.indices { tileProduct[i] += Double(partial[i]); partial[i] = 0 }
            }
            for r in tile {
                let row = matrix.row(r)
                guard row.allSatisfy(\.isFinite) else { continue }
                let x = (0..<padded).map { $0 < d ? row[$0] - c[$0] : 0 }
                for m in 0..<8 {
                    var chains = [Float](repeating: 0, count: 4)
                    for j in stride(from: 0, to: padded, by: 4) {
                        for e in 0..<4 { chains[e] = multiplyAdd(x[j + e], b[paired(j + e, m)], chains[e]) }
                    }
                    let p = (chains[0] + chains[2]) + (chains[1] + chains[3])
                    tileSum[m] += Double(p)
                    for j in 0..<padded { partial[paired(j, m)] = multiplyAdd(x[j], p, partial[paired(j, m)]) }
                }
                summed += 1
                if summed == Int(TS_PCA_SINGLE_FLUSH) { flush(); summed = 0 }
            }
            flush()
            for i in product.indices { product[i] += tileProduct[i] }
            for m in 0..<8 { sum[m] += tileSum[m] }
        }
        var out = [Double](repeating: 0, count: d * 8)
        for j in 0..<d { for m in 0..<8 { out[8 * j + m] = product[paired(j, m)] + Double(c[j]) * sum[m] } }
        return (out, sum)
    }

    /// Single passes steer, double passes decide: a tolerance below what float products can reach is
    /// still met, by the double passes after the restart, and the axes agree with the dense solver.
    @Test func doublePassesGoPastTheFloatRounding() throws {
        let matrix = planted(rows: 1200, columns: 120, format: .bf16, seed: 23)
        let axes = try PrincipalAxes(matrix: matrix, tolerance: 1e-11)
        #expect(axes.converged && axes.errorBounds.allSatisfy { $0 <= 1e-11 })
        let kinds = axes.passLog.map(\.kind)
        let firstDouble = try #require(kinds.firstIndex(of: "block product"))
        #expect(firstDouble > 0 && kinds[..<firstDouble].allSatisfy { $0.hasSuffix("single precision") || $0.contains("sample") })
        #expect(kinds[firstDouble...].allSatisfy { $0 == "block product" })
        #expect(axes.singlePrecisionPasses == firstDouble - kinds.filter { $0.contains("sample") }.count)
        let expected = reference(matrix, count: 3)
        for k in 0..<3 {
            let difference = zip(axes.axes[k], expected.vectors[k]).map { abs($0 - $1) }.max()!
            #expect(difference < 1e-9, "PC\(k + 1) differs by \(difference)")
        }
    }

    /// Rows near Float's largest magnitude overflow the single passes' products; the double passes,
    /// which decide, still find the axes.
    @Test func overflowInTheSinglePassesIsLeftToTheDoubleOnes() throws {
        let base = planted(rows: 1200, columns: 24, format: .f32, seed: 29)
        let huge = Matrix(rows: 1200, columns: 24, format: .f32, values: (0..<1200).flatMap { base.row($0).map { $0 * 1e36 } })
        let axes = try PrincipalAxes(matrix: huge)
        #expect(axes.converged && axes.errorBounds.allSatisfy { $0 <= PrincipalAxes.defaultTolerance })
        let expected = reference(huge, count: 3)
        for k in 0..<3 {
            let difference = zip(axes.axes[k], expected.vectors[k]).map { abs($0 - $1) }.max()!
            #expect(difference < 1e-6, "PC\(k + 1) differs by \(difference)")
        }
    }

    @Test func degenerateInputsThrowTheirCase() {
        #expect(throws: DegenerateInputError.noRows) { try PrincipalAxes(matrix: Matrix(rows: 0, columns: 8, format: .f32, values: [])) }
        #expect(throws: DegenerateInputError.tooFewColumns(columns: 2, axes: 3)) {
            try PrincipalAxes(matrix: Matrix(rows: 4, columns: 2, format: .f32, values: [1, 2, 3, 4, 5, 6, 7, 8]))
        }
        let same = Matrix(rows: 50, columns: 6, format: .bf16, values: (0..<300).map { Float($0 % 6) * 0.1 })
        #expect(throws: DegenerateInputError.identicalRows(finite: 50, nonFiniteSkipped: 0)) { try PrincipalAxes(matrix: same) }
        let nan = Matrix(rows: 3, columns: 4, format: .f32, values: [Float](repeating: .nan, count: 12))
        #expect(throws: DegenerateInputError.tooFewFiniteRows(finite: 0, rows: 3)) { try PrincipalAxes(matrix: nan) }
        // Rows on a line: rank 1.
        let line = Matrix(rows: 40, columns: 5, format: .f32, values: (0..<40).flatMap { r in (0..<5).map { Float(r) * Float($0 + 1) } })
        #expect(throws: DegenerateInputError.rankTooLow(finiteRows: 40, rank: 1, axes: 3)) { try PrincipalAxes(matrix: line) }
    }
}
