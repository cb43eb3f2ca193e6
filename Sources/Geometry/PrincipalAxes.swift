#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif
import Dispatch
import Foundation  // String(format:) in progress messages
import TensorFormats

/// The top principal axes of the rows of W: eigenvectors of the covariance
/// C = (1/n) Σ (w − μ)(w − μ)ᵀ over the n finite rows (notebook 1.3a).
///
/// The d × d covariance is never formed (2560² entries from 151,936 rows is 5·10¹¹ multiply-adds).
/// Instead, block subspace iteration with Rayleigh–Ritz: a block Q of 8 orthonormal vectors is
/// multiplied by C in one pass over W (each row w contributes (w − μ)·((w − μ)ᵀQ)), the 8 × 8
/// projected matrix QᵀCQ is diagonalised by Jacobi (`SymmetricEigen`), and the Ritz vectors QS
/// become the next block. The error in the i-th Ritz vector shrinks like (λ₉/λᵢ)ᵗ, so the five
/// guard vectors make the three wanted ones converge fast even when λ₄ is close to λ₃.
///
/// Stopping rule (Davis–Kahan): a unit Ritz vector x with Ritz value θ and residual
/// r = Cx − θx lies within an angle of sin⁻¹(‖r‖/δ) of the true eigenvector, δ being the gap
/// from θ to the rest of the spectrum (estimated by the other Ritz values). Iteration stops once
/// ‖r‖/δ ≤ `tolerance` (default 10⁻⁸) for every wanted axis, so components are exact to far
/// better than 10⁻⁶.
///
/// Schedule: a few `Float` passes over every 16th row (a head start at 1/16 of the cost), then
/// `Float` passes over all rows until the bound is under 10⁻⁴ (or stops improving), then `Double`
/// passes until the tolerance is met. Only a `Double` pass may stop the iteration, and the axes,
/// eigenvalues, bounds and projections all come from that last pass, so nothing in the result is
/// limited by `Float` rounding. On the Qwen3-4B shape this is 3 sample, 3 `Float` and 2 `Double`
/// passes.
///
/// Numerics of a `Double` pass: rows widen exactly to `Double`; every product and sum is in
/// `Double`. Every pass cuts the rows into a fixed number of chunks (independent of the thread
/// count) whose partial sums are added in chunk order, so the result is bit-identical whatever
/// `Parallel.threadCount` is. Centring is applied inside the pass (p = wᵀQ − μᵀQ, then
/// Σ w pᵀ − μ (Σ p)ᵀ), avoiding the cancellation of (1/n)WᵀW − μμᵀ when the mean is large
/// against the spread.
///
/// Sign convention (eigenvectors have none): each axis is flipped so that its component of
/// largest magnitude is positive (the first such component on a tie).
public struct PrincipalAxes: Sendable {
    /// The axes, PC1 first (descending eigenvalue), each a unit vector of length d.
    public let axes: [[Double]]
    /// Eigenvalues of the covariance (divided by the number of finite rows), descending.
    public let eigenvalues: [Double]
    /// The mean of the finite rows.
    public let mean: [Double]
    /// Finite rows, the n of the covariance.
    public let rowsUsed: Int
    /// Rows holding NaN or an infinity, ascending: left out of the mean, the covariance and the
    /// projections.
    public let nonFiniteRows: [Int]
    /// Projections of the *uncentred* rows on the axes, row-major V × axes.count: entry
    /// (r, k) = w_r · axes[k]; NaN for non-finite rows.
    public let projections: [Double]
    /// Full passes over W (the sample passes not counted).
    public let passes: Int
    public let converged: Bool
    /// Per axis, the bound ‖Cx − θx‖ / gap on the sine of its angle to the true eigenvector.
    public let errorBounds: [Double]
    /// Each pass: its arithmetic ("float", "double", or `samplePrecision`), wall seconds, and the
    /// largest error bound after it.
    public let passLog: [PassRecord]

    /// `PassRecord.precision` of the head-start passes over a sample of the rows.
    public static let samplePrecision = "float, 1/16 sample"

    public struct PassRecord: Sendable {
        public var precision: String
        public var seconds: Double
        public var errorBound: Double
    }

    /// Vectors iterated together; the ones beyond `count` are guards that speed convergence.
    public static let blockSize = 8
    /// Below this error bound the block goes to `Double` passes: `Float` rounding (~10⁻⁶ on the
    /// product) would soon stop the progress, and two `Double` passes take 10⁻⁴ to 10⁻⁸ when
    /// λ₉/λ₃ ≤ 0.01.
    static let floatFloor = 1e-4

    /// - Throws: `DegenerateInputError` when d < `count`, fewer than two rows are finite, every
    ///   finite row is the same vector, or the covariance has rank below `count`.
    /// - Complexity: 16·V·d multiply-adds per pass; a few passes in `Float`, then one or two in
    ///   `Double` when the spectrum is well separated.
    public init(matrix: Matrix, count: Int = 3, tolerance: Double = 1e-8, maxPasses: Int = 300,
                seed: UInt64 = 0x5EED_1A7E, progress: ((String, Double) -> Void)? = nil) throws {
        precondition(count >= 1 && count <= Self.blockSize, "between 1 and \(Self.blockSize) axes")
        let d = matrix.columns
        guard matrix.rows > 0 else { throw DegenerateInputError("W has no rows: no principal axes to find") }
        guard d >= count else {
            throw DegenerateInputError("W has \(d) column\(d == 1 ? "" : "s"): \(count) principal axes need at least \(count)")
        }
        let k = min(Self.blockSize, d)
        var random = SplitMix64(seed: seed)
        var q = Self.orthonormalise((0..<k).map { _ in (0..<d).map { _ in random.gaussian() } }, random: &random)

        // Two phases. `Float` passes (half the arithmetic of `Double` on SSE2) bring the block close
        // to the answer until their rounding stops the progress; `Double` passes then finish, and
        // only a `Double` pass may declare convergence, so the result owns nothing to `Float`.
        // The first full pass also finds the mean and the finite rows; it centres on the sample's
        // mean meanwhile (see `FloatPass`).
        var mean = [Double](repeating: 0, count: d)
        var finite = [Bool](repeating: true, count: matrix.rows)
        var n = 0
        var nonFinite: [Int] = []
        var precise = false
        var passes = 0
        var converged = false
        var bounds = [Double](repeating: .infinity, count: count)
        var history: [PassRecord] = []
        var ritzValues: [Double] = []
        var ritzVectors: [[Double]] = []
        var ritzCoefficients: [Double] = []  // S, row-major k × k: Ritz vector i = Σ_m q[m] S[m][i]
        var projections: [SIMD8<Double>] = []
        var precisePasses = 0

        // A head start on a sample of the rows (every 16th): a few Float passes at a sixteenth of
        // the cost give axes within sampling error (~10⁻²) of the full ones, which saves the
        // first two or three full passes. The sample's covariance only steers the start.
        let sampleStride = 16
        if matrix.rows >= 64 * sampleStride {
            let sample = Array(stride(from: 0, to: matrix.rows, by: sampleStride))
            var previous = Double.infinity
            for round in 1...12 {
                let passStart = DispatchTime.now().uptimeNanoseconds
                let result = matrix.run(FloatPass(matrix: matrix, rows: sample, finite: nil, mean: mean, block: q))
                let used = result.finiteCount
                guard used >= 2 else { break }
                let sampleMean = result.total.map { $0 / Double(used) }
                defer { mean = sampleMean }
                let product = (0..<k).map { m in (0..<d).map { j in (result.product[j][m] - sampleMean[j] * result.sum[m]) / Double(used) } }
                let step = Self.rayleighRitz(q: q, product: product, k: k, count: count)
                history.append(PassRecord(precision: Self.samplePrecision,
                                          seconds: Double(DispatchTime.now().uptimeNanoseconds - passStart) * 1e-9, errorBound: step.worst))
                progress?("principal axes, sample pass \(round), error bound \(String(format: "%.1e", step.worst))", 0)
                q = Self.orthonormalise(step.cx, random: &random)
                if step.worst < 1e-2 || !(step.worst < 0.25 * previous) { break }
                previous = step.worst
            }
        }

        while precisePasses == 0 || passes < maxPasses {
            let product: [[Double]]
            let passStart = DispatchTime.now().uptimeNanoseconds
            if precise {
                let result = matrix.run(CovariancePass(matrix: matrix, finite: finite, mean: mean, block: q, rowsUsed: n))
                product = result.product
                projections = result.projections
                precisePasses += 1
            } else {
                let result = matrix.run(FloatPass(matrix: matrix, finite: passes == 0 ? nil : finite, mean: mean, block: q))
                if passes == 0 {
                    finite = result.finite
                    nonFinite = finite.indices.filter { !finite[$0] }
                    n = matrix.rows - nonFinite.count
                    guard n >= 2 else {
                        throw DegenerateInputError("only \(n) of \(matrix.rows) rows are finite (\(nonFinite.count) hold NaN or infinity): "
                                                   + "a covariance needs at least two")
                    }
                    mean = result.total.map { $0 / Double(n) }
                }
                // C·Q = (Σ w pᵀ − μ (Σ p)ᵀ) / n, p centred on the best mean known before the pass.
                product = (0..<k).map { m in (0..<d).map { j in (result.product[j][m] - mean[j] * result.sum[m]) / Double(n) } }
            }
            passes += 1
            let step = Self.rayleighRitz(q: q, product: product, k: k, count: count)
            ritzValues = step.values
            ritzCoefficients = step.coefficients
            bounds = step.bounds
            let cx = step.cx
            ritzVectors = Array(step.x.prefix(count))
            let worst = step.worst
            let previous = history.last { $0.precision != Self.samplePrecision }?.errorBound ?? .infinity
            history.append(PassRecord(precision: precise ? "double" : "float",
                                      seconds: Double(DispatchTime.now().uptimeNanoseconds - passStart) * 1e-9, errorBound: worst))
            progress?("principal axes, pass \(passes) (\(precise ? "double" : "float")), error bound \(worst.isFinite ? String(format: "%.1e", worst) : "∞")", 0)

            if precise {
                let scale = ritzValues[0]
                let meanSquare = mean.reduce(0) { $0 + $1 * $1 } + ritzValues.reduce(0, +)
                if !(scale > 1e-24 * max(meanSquare, .leastNormalMagnitude)) {
                    throw DegenerateInputError("all \(n) finite rows are the same vector: the covariance is zero and has no principal axes"
                                               + (nonFinite.isEmpty ? "" : " (\(nonFinite.count) non-finite rows skipped)"))
                }
                if precisePasses >= 2, !(ritzValues[count - 1] > 1e-13 * scale) {
                    throw DegenerateInputError("the covariance of the \(n) finite rows has rank \(ritzValues.filter { $0 > 1e-13 * scale }.count), "
                                               + "below the \(count) principal axes asked for")
                }
                if worst <= tolerance { converged = true; break }
            } else if passes >= max(2, maxPasses - 1) || (passes >= 2 && (worst < Self.floatFloor || !(worst < 0.25 * previous))) {
                // Float has done what it can: under its rounding floor, or no longer improving fast.
                precise = true
            }
            q = Self.orthonormalise(cx, random: &random)
        }

        // Sign convention, then the uncentred projections through the same coefficients.
        var signs = [Double](repeating: 1, count: count)
        for i in 0..<count {
            var best = 0
            for j in 0..<d where abs(ritzVectors[i][j]) > abs(ritzVectors[i][best]) { best = j }
            if ritzVectors[i][best] < 0 { signs[i] = -1 }
        }
        axes = (0..<count).map { i in ritzVectors[i].map { $0 * signs[i] } }
        eigenvalues = Array(ritzValues.prefix(count))
        self.mean = mean
        rowsUsed = n
        nonFiniteRows = nonFinite
        self.passes = passes
        self.converged = converged
        errorBounds = bounds
        passLog = history
        var columns = [SIMD8<Double>](repeating: .zero, count: count)
        for i in 0..<count { for m in 0..<k { columns[i][m] = ritzCoefficients[m * k + i] * signs[i] } }
        var out = [Double](repeating: .nan, count: matrix.rows * count)
        for r in 0..<matrix.rows where finite[r] {
            for i in 0..<count { out[r * count + i] = (projections[r] * columns[i]).sum() }
        }
        self.projections = out
    }

    struct RitzStep {
        var values: [Double]
        var coefficients: [Double]
        var x: [[Double]]
        var cx: [[Double]]
        var bounds: [Double]
        var worst: Double { bounds.max() ?? 0 }
    }

    /// Rayleigh–Ritz on span(q) given product = C·q: H = QᵀCQ (symmetrised against rounding), its
    /// eigenpairs, the Ritz vectors X = QS, CX = (CQ)S, and per wanted axis ‖Cx − θx‖ / gap.
    static func rayleighRitz(q: [[Double]], product: [[Double]], k: Int, count: Int) -> RitzStep {
        let d = q[0].count
        var h = [Double](repeating: 0, count: k * k)
        for a in 0..<k { for b in 0..<k { h[a * k + b] = dot(q[a], product[b]) } }
        for a in 0..<k { for b in (a + 1)..<max(a + 1, k) { let s = (h[a * k + b] + h[b * k + a]) / 2; h[a * k + b] = s; h[b * k + a] = s } }
        let eigen = SymmetricEigen(n: k, matrix: h)
        let x = combine(q, eigen.vectors, k: k)
        let cx = combine(product, eigen.vectors, k: k)
        var bounds = [Double](repeating: .infinity, count: count)
        for i in 0..<count {
            var residual = 0.0
            for j in 0..<d { let r = cx[i][j] - eigen.values[i] * x[i][j]; residual += r * r }
            var gap = Double.infinity
            for j in 0..<k where j != i { gap = min(gap, abs(eigen.values[i] - eigen.values[j])) }
            bounds[i] = residual.squareRoot() / gap
        }
        return RitzStep(values: eigen.values, coefficients: eigen.vectors, x: x, cx: cx, bounds: bounds)
    }

    static func dot(_ a: [Double], _ b: [Double]) -> Double {
        var s = 0.0
        for i in a.indices { s += a[i] * b[i] }
        return s
    }

    /// Columns Σ_m v[m] · S[m][i] for i in 0..<k.
    static func combine(_ v: [[Double]], _ s: [Double], k: Int) -> [[Double]] {
        let d = v[0].count
        return (0..<k).map { i in
            var out = [Double](repeating: 0, count: d)
            for m in 0..<k {
                let c = s[m * k + i]
                for j in 0..<d { out[j] += c * v[m][j] }
            }
            return out
        }
    }

    /// Modified Gram–Schmidt, twice ("twice is enough", Giraud et al. 2005). A column that
    /// vanishes against the earlier ones (a covariance of low rank) is replaced by a random one.
    static func orthonormalise(_ columns: [[Double]], random: inout SplitMix64) -> [[Double]] {
        var out: [[Double]] = []
        for var v in columns {
            var attempts = 0
            while true {
                let original = dot(v, v).squareRoot()
                for _ in 0..<2 { for u in out { let c = dot(u, v); for j in v.indices { v[j] -= c * u[j] } } }
                let norm = dot(v, v).squareRoot()
                if norm > 1e-10 * original, norm > 0, norm.isFinite || attempts > 8 {
                    out.append(v.map { $0 / norm })
                    break
                }
                attempts += 1
                v = v.indices.map { _ in random.gaussian() }
            }
        }
        return out
    }
}

/// One pass in `Float`: Σ w pᵀ with p = wᵀQ − μᵀQ, and Σ p, over the finite rows. Each chunk
/// accumulates in `Float` over about V/64 rows (relative error ~10⁻⁵ at V = 151,936), chunks are
/// added in `Double` in chunk order. The first pass (`finite == nil`) also sorts out the finite
/// rows (no stored value with an all-ones exponent) and sums them in `Double` for the mean,
/// centring p on a provisional mean meanwhile.
private struct FloatPass: FormatGeneric {
    static let chunkCount = 64

    let matrix: Matrix
    /// The rows to use (a sample), or `nil` for every row.
    var rows: [Int]? = nil
    let finite: [Bool]?
    let mean: [Double]
    let block: [[Double]]

    struct Output {
        /// Σ w pᵀ: entry j, lane m.
        var product: [SIMD8<Double>]
        var sum: SIMD8<Double>
        /// First pass only: Σ w over the finite rows, and which rows (positions) are finite.
        var total: [Double]
        var finite: [Bool]
        var finiteCount: Int { finite.reduce(0) { $0 + ($1 ? 1 : 0) } }
    }

    func run<E: StoredFloat>(_ format: E.Type) -> Output {
        let d = matrix.columns
        let k = block.count
        var q = [SIMD8<Float>](repeating: .zero, count: d)
        for m in 0..<k { for j in 0..<d { q[j][m] = Float(block[m][j]) } }
        var qMeanDouble = SIMD8<Double>()
        for m in 0..<k { for j in 0..<d { qMeanDouble[m] += mean[j] * Double(q[j][m]) } }
        // Centring on `mean` (provisional in a first pass: zero, or a sample's mean) keeps the
        // Float products small; (Σ w pᵀ − μ (Σ p)ᵀ)/n is exact for any provisional centre
        // because Σ (w − μ) = 0 for the pass's own mean μ.
        let qMean = SIMD8<Float>((0..<8).map { Float(qMeanDouble[$0]) })
        let first = finite == nil
        let count = rows?.count ?? matrix.rows
        // Indexed by position in `rows` (by row when `rows` is nil).
        var flags = finite ?? [Bool](repeating: true, count: count)
        let parts = Parallel.ranges(count: count, chunks: Self.chunkCount)
        let partials: [([SIMD8<Float>], SIMD8<Double>, [SIMD8<Double>])] = flags.withUnsafeMutableBufferPointer { flags in
            q.withUnsafeBufferPointer { q in
                Parallel.map(chunks: parts.count) { c in
                    var y = [SIMD8<Float>](repeating: .zero, count: d)
                    var total = [SIMD8<Double>](repeating: .zero, count: first ? (d + 15) / 16 * 2 : 0)
                    var row = [Float](repeating: 0, count: d + 16)
                    var sum = SIMD8<Double>()
                    y.withUnsafeMutableBufferPointer { y in
                        row.withUnsafeMutableBufferPointer { w in
                            for r in parts[c] where flags[r] {
                                let p0 = matrix.rowPointer(rows?[r] ?? r)
                                let base = UnsafeMutableRawPointer(w.baseAddress!)
                                var j = 0
                                let exponent = SIMD16<UInt32>(repeating: 0x7F80_0000)
                                var allOnes = SIMDMask<SIMD16<Int32>>(repeating: false)
                                while j + 16 <= d {
                                    let x = E.load16(p0 + j * E.size)
                                    if first {
                                        allOnes .|= (unsafeBitCast(x, to: SIMD16<UInt32>.self) & exponent) .== exponent
                                    }
                                    (base + j * 4).storeBytes(of: x, as: SIMD16<Float>.self)
                                    j += 16
                                }
                                var tailFinite = true
                                while j < d { w[j] = E.load1(p0 + j * E.size); tailFinite = tailFinite && w[j].isFinite; j += 1 }
                                if first {
                                    guard !any(allOnes), tailFinite else { flags[r] = false; continue }
                                    // The row is finite: add it to the chunk's Double sum, 8 lanes at a time
                                    // (the tail of `w` past d is zero).
                                    var t = 0
                                    while t * 8 < d {
                                        total[t] += RowKernels<F32>.widen((base + t * 32).loadUnaligned(as: SIMD8<Float>.self))
                                        t += 1
                                    }
                                }
                                var pa = SIMD8<Float>(), pb = SIMD8<Float>()
                                j = 0
                                while j + 2 <= d {
                                    pa += w[j] * q[j]
                                    pb += w[j + 1] * q[j + 1]
                                    j += 2
                                }
                                if j < d { pa += w[j] * q[j] }
                                let p = pa + pb - qMean
                                sum += RowKernels<F32>.widen(p)
                                for j in 0..<d { y[j] += w[j] * p }
                            }
                        }
                    }
                    return (y, sum, total)
                }
            }
        }
        var product = [SIMD8<Double>](repeating: .zero, count: d)
        var sum = SIMD8<Double>()
        var total = [Double](repeating: 0, count: first ? d : 0)
        for (y, s, t) in partials {
            for j in 0..<d { product[j] += RowKernels<F32>.widen(y[j]) }
            sum += s
            for j in 0..<total.count { total[j] += t[j / 8][j % 8] }
        }
        return Output(product: product, sum: sum, total: total, finite: flags)
    }
}

/// One pass: C·Q for a block of up to 8 columns, and the uncentred projections wᵀQ of every row.
private struct CovariancePass: FormatGeneric {
    /// Fixed, so that partial sums (and so the bits of the result) do not depend on the threads.
    static let chunkCount = 32

    let matrix: Matrix
    let finite: [Bool]
    let mean: [Double]
    let block: [[Double]]
    let rowsUsed: Int

    struct Output {
        var product: [[Double]]
        var projections: [SIMD8<Double>]
    }

    @inline(__always)
    static func widen<E: StoredFloat>(_ format: E.Type, _ p: UnsafeRawPointer, into row: inout [Double]) {
        let d = row.count
        row.withUnsafeMutableBufferPointer { out in
            let base = UnsafeMutableRawPointer(out.baseAddress!)
            var j = 0
            while j + 16 <= d {
                let x = E.load16(p + j * E.size)
                (base + j * 8).storeBytes(of: RowKernels<E>.widen(x.lowHalf), as: SIMD8<Double>.self)
                (base + (j + 8) * 8).storeBytes(of: RowKernels<E>.widen(x.highHalf), as: SIMD8<Double>.self)
                j += 16
            }
            while j < d { out[j] = Double(E.load1(p + j * E.size)); j += 1 }
        }
    }

    func run<E: StoredFloat>(_ format: E.Type) -> Output {
        let d = matrix.columns
        let k = block.count
        // Q interleaved: lane m of entry j is column m's j-th component (unused lanes zero).
        var q = [SIMD8<Double>](repeating: .zero, count: d)
        for m in 0..<k { for j in 0..<d { q[j][m] = block[m][j] } }
        var qMean = SIMD8<Double>()
        for j in 0..<d { qMean += mean[j] * q[j] }
        var projections = [SIMD8<Double>](repeating: .zero, count: matrix.rows)
        let parts = Parallel.ranges(count: matrix.rows, chunks: Self.chunkCount)
        let partials: [([SIMD8<Double>], SIMD8<Double>)] = projections.withUnsafeMutableBufferPointer { slots in
            q.withUnsafeBufferPointer { q in
                Parallel.map(chunks: parts.count) { c in
                    var y = [SIMD8<Double>](repeating: .zero, count: d)
                    var row = [Double](repeating: 0, count: d)
                    var sum = SIMD8<Double>()
                    y.withUnsafeMutableBufferPointer { y in
                        for r in parts[c] where finite[r] {
                            Self.widen(E.self, matrix.rowPointer(r), into: &row)
                            row.withUnsafeBufferPointer { w in
                                // Two accumulators halve the dependency chain of the dot products.
                                // `+= a * b`, not `addProduct`: without hardware FMA the fused form
                                // is a library call per lane.
                                var pa = SIMD8<Double>(), pb = SIMD8<Double>()
                                var j = 0
                                while j + 2 <= d {
                                    pa += w[j] * q[j]
                                    pb += w[j + 1] * q[j + 1]
                                    j += 2
                                }
                                if j < d { pa += w[j] * q[j] }
                                let p = pa + pb
                                slots[r] = p
                                let centred = p - qMean
                                sum += centred
                                for j in 0..<d { y[j] += w[j] * centred }
                            }
                        }
                    }
                    return (y, sum)
                }
            }
        }
        var y = [SIMD8<Double>](repeating: .zero, count: d)
        var sum = SIMD8<Double>()
        for (partial, s) in partials {
            for j in 0..<d { y[j] += partial[j] }
            sum += s
        }
        let scale = 1 / Double(rowsUsed)
        for j in 0..<d { y[j] = (y[j] - mean[j] * sum) * scale }
        return Output(product: (0..<k).map { m in (0..<d).map { y[$0][m] } }, projections: projections)
    }
}
