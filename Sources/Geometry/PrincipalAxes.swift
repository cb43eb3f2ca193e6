import CKernels
import Dispatch
import Foundation  // String(format:) in progress messages
import TokenScopeCore

/// The top principal axes of the rows of W: eigenvectors of the covariance
/// C = (1/n) Σ (w − μ)(w − μ)ᵀ over the n finite rows (notebook 1.3a).
///
/// The d × d covariance is never formed. Block Krylov (block Lanczos with full
/// reorthogonalisation): each pass over W multiplies a block of 8 orthonormal vectors by C
/// (each row w contributes w·((w − μ)ᵀQ), in the C kernel `ts_pca_block_pass`); the products,
/// orthogonalised against every earlier block, become the next block, and Rayleigh–Ritz on the
/// whole Krylov space so far (`SymmetricEigen` on QᵀCQ, whose entries come from the stored
/// products) gives the axes. Krylov's Chebyshev-like convergence depends on the square root of
/// the gap between λᵢ and λ₉, so clustered leading eigenvalues (a trained model's spectrum) cost
/// a few more passes, not the hundreds that plain subspace iteration needs when the ratio of
/// neighbouring eigenvalues is near 1. The start is the leading Ritz vectors of the same
/// iteration on every 16th row; each pass also records the rows' projections on its block, from
/// which the projections on the final axes are combined without another pass.
///
/// Accuracy (Davis–Kahan): a unit Ritz vector x with Ritz value θ and residual r = Cx − θx lies
/// within an angle sin⁻¹(‖r‖/δ) of the true eigenvector, δ the gap from θ to the rest of the
/// spectrum, estimated by the neighbouring Ritz values moved towards θ by their own residuals.
/// Iteration stops when ‖r‖/δ ≤ `tolerance` for every axis asked for: by default 10⁻⁷, the
/// resolution of the F32 files that hold the axes and the coordinates (2⁻²³ ≈ 1.2·10⁻⁷), and finer
/// than numpy's float32 covariance (whose axes are off by 3–7·10⁻⁷ on the realistic preset).
///
/// Axes too close to separate: when neighbouring eigenvalues differ by less than
/// `minimumSeparation` of λ₁, the passes' rounding (~10⁻¹⁴ of λ₁ on the residual) keeps ‖r‖/δ
/// above the tolerance; each such axis is then any unit vector of the plane (or space) of its
/// cluster, as arbitrary as a dense solver's (numpy's `eigh`) choice. The iteration then stops on
/// the bound of the cluster's subspace instead, and `unresolved` says which axes are affected.
///
/// Two precisions: the first passes run in single precision (`ts_pca_single_pass`, twice the SIMD
/// lanes, half the time per pass), until the bound meets the tolerance or the products' float
/// rounding (residuals near Float's ulp of λ₁; ~10⁻⁶ in the bound on the realistic preset) stops it
/// improving; then the space restarts in double from the Ritz vectors. Only double passes give the
/// axes, their bounds and the projections, so every stated bound is of double arithmetic.
///
/// Numerics: rows widen exactly from bf16/f16/f32; the rows are cut into `chunkCount` fixed tiles
/// whose sums are added in tile order, so the result is bit-identical whatever the `parallelism`
/// is, and identical between the AVX2, AVX-512 and NEON paths; the scalar path rounds its
/// multiply-adds separately (see `ckernels_pca.h`), which can change where the iteration stops,
/// so its axes agree with the others' within their error bounds. Centring is inside the pass
/// (p = wᵀQ − μᵀQ, then Σ w pᵀ − μ (Σ p)ᵀ), avoiding the cancellation of (1/n)WᵀW − μμᵀ when the
/// mean is large against the spread; the first pass, which also finds the mean and the finite
/// rows, centres on the sample's mean (or zero).
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
    /// Passes over all of W (the head-start passes over a sample not counted).
    public let passes: Int
    /// Of `passes`, the first ones, in single precision (see "Two precisions" above).
    public let singlePrecisionPasses: Int
    public let converged: Bool
    /// Per axis, the bound ‖Cx − θx‖ / gap on the sine of its angle to the true eigenvector; for
    /// an axis in `unresolved`, the bound on its angle to the cluster's subspace.
    public let errorBounds: [Double]
    /// Clusters of eigenvalues too close for their axes to be determined.
    public let unresolved: [UnresolvedAxes]
    /// Each pass: what it computed, wall seconds, and the largest error bound after it.
    public let passLog: [PassRecord]
    /// The instruction set the passes ran on.
    public let simdPath: SIMDPath

    public struct PassRecord: Sendable {
        /// "block product" (a Krylov pass over every row) or "block product, 1/16 sample".
        public var kind: String
        /// Wall seconds of the pass and its Rayleigh–Ritz step.
        public var seconds: Double
        /// Of which the pass over W (the C kernel and the sum of its tiles).
        public var kernelSeconds: Double
        public var errorBound: Double
    }

    /// Principal components (1-based) whose eigenvalues lie within `minimumSeparation` of each
    /// other: each of their axes is any unit vector of the subspace they span. May name the
    /// component just past those asked for (PC4 when three are asked for).
    public struct UnresolvedAxes: Sendable, Equatable {
        public var components: [Int]
        public var eigenvalues: [Double]
        /// Largest difference between neighbouring eigenvalues of the cluster, over λ₁.
        public var relativeGap: Double
        /// Bound on the sine of the angle between the computed and the true subspace.
        public var subspaceErrorBound: Double
    }

    /// Vectors per block, and so the most axes one run can give.
    public static let blockSize = 8
    /// The error bound the iteration stops at unless told otherwise.
    public static let defaultTolerance = 1e-7
    /// Neighbouring eigenvalues closer than this fraction of λ₁ are not separated.
    public static let minimumSeparation = 1e-6
    /// Fixed tiles of rows, so that the sums (and the bits of the result) do not depend on the threads.
    static let chunkCount = 64

    /// - Throws: `DegenerateInputError` when d < `count`, fewer than two rows are finite, every
    ///   finite row is the same vector, or the covariance has rank below `count`.
    /// - Complexity: 16·V·d multiply-adds per pass; the rows' projections on every basis vector
    ///   are kept (8·V doubles per pass), so the final projections need no pass of their own.
    public init(matrix: Matrix, count: Int = 3, tolerance: Double = PrincipalAxes.defaultTolerance, maxPasses: Int = 40,
                seed: UInt64 = 0x5EED_1A7E, path: SIMDPath = .best, parallelism: Parallelism = .allCores,
                progress: ((String, Double) -> Void)? = nil) throws {
        precondition(count >= 1 && count <= Self.blockSize, "between 1 and \(Self.blockSize) axes")
        let d = matrix.columns
        guard matrix.rows > 0 else { throw DegenerateInputError.noRows }
        guard d >= count else {
            throw DegenerateInputError.tooFewColumns(columns: d, axes: count)
        }
        var random = SplitMix64(seed: seed)
        let pass = BlockPass(matrix: matrix, path: path, parallelism: parallelism)
        var finite = [UInt8](repeating: 1, count: matrix.rows)
        var history: [PassRecord] = []
        var block = Self.orthonormalise((0..<min(Self.blockSize, d)).map { _ in (0..<d).map { _ in random.gaussian() } },
                                        against: KrylovSpace(columns: d), random: &random)
        // A head start on every 16th row: Krylov on the sample's covariance to within its sampling
        // error (~10⁻²) at a sixteenth of the cost per pass saves the full passes that would get
        // there from a random block. The sample only steers the start.
        var sampleMean: [Double]?
        if matrix.rows >= 64 * Self.sampleStride, let start = Self.headStart(pass: pass, block: block, count: count,
                                                                               finite: &finite, random: &random, log: &history, progress: progress) {
            block = start.block
            sampleMean = start.mean
        }

        var mean = [Double](repeating: 0, count: d)
        var n = 0
        var nonFinite: [Int] = []
        // The single passes' space keeps no projections: only the double space's give the final ones.
        var krylov = KrylovSpace(columns: d)
        var passes = 0
        var converged = false
        var ritz = RitzResult.empty
        var used = path.usable
        // Single precision first: its passes cost half as much and steer the Krylov space until their
        // rounding (~10⁻⁸ of λ₁ on a product) stops the bound improving; then the space restarts in
        // double from the Ritz vectors, and only double passes give the axes, bounds and projections.
        var single = true
        var singleBounds: [Double] = []
        var singlePasses = 0

        while passes < max(2, maxPasses) {
            let start = DispatchTime.now().uptimeNanoseconds
            let first = passes == 0
            let centre = first ? sampleMean : mean
            let result = single ? pass.runSingle(block: block, centre: centre, finite: &finite, findFinite: first)
                                : pass.run(block: block, centre: centre, finite: &finite, findFinite: first, projections: true)
            let kernel = Self.seconds(since: start)
            used = result.path
            if first {
                nonFinite = finite.indices.filter { finite[$0] == 0 }
                n = matrix.rows - nonFinite.count
                guard n >= 2 else {
                    throw DegenerateInputError.tooFewFiniteRows(finite: n, rows: matrix.rows)
                }
                mean = result.columnSum.map { $0 / Double(n) }
            }
            let products = Self.covarianceProducts(result, block: block, mean: mean, rows: n)
            passes += 1
            krylov.append(block, products: products, projections: result.projections)
            ritz = krylov.rayleighRitz(wanted: count)
            history.append(PassRecord(kind: single ? "block product, single precision" : "block product", seconds: Self.seconds(since: start),
                                      kernelSeconds: kernel, errorBound: ritz.worst))
            progress?("principal axes, pass \(passes), error bound \(ritz.worst.isFinite ? String(format: "%.1e", ritz.worst) : "∞")", 0)
            let next = Self.orthonormalise(products, against: krylov, random: &random)
            let meanSquare = mean.reduce(0) { $0 + $1 * $1 } + ritz.values.reduce(0) { $0 + max($1, 0) }
            let vanishing = !(ritz.values[0] > 1e-24 * max(meanSquare, .leastNormalMagnitude))

            if single {
                // The float products' rounding leaves residuals of about a fifth of Float's ulp of λ₁ (seen on
                // the realistic preset); once within that ulp, a further single pass gains little.
                let atFloatRounding = ritz.largestResidual <= Double(Float.ulpOfOne) * ritz.values[0]
                singleBounds.append(ritz.worst)
                let stalled = singleBounds.count >= 3 && singleBounds[singleBounds.count - 3].isFinite
                    && !(ritz.worst < 0.25 * singleBounds[singleBounds.count - 3])
                if ritz.worst <= tolerance || atFloatRounding || stalled || vanishing || next.isEmpty || passes >= max(2, maxPasses) - 1 {
                    single = false
                    singlePasses = passes
                    block = Self.completed(Array(ritz.vectors.prefix(Self.blockSize)), columns: d, random: &random)
                    krylov = KrylovSpace(columns: d, rows: matrix.rows)
                } else {
                    block = next
                }
                continue
            }
            if vanishing {
                throw DegenerateInputError.identicalRows(finite: n, nonFiniteSkipped: nonFinite.count)
            }
            if ritz.worst <= tolerance { converged = true; break }
            // The Krylov space is all of ℝᵈ: Rayleigh–Ritz is exact.
            if next.isEmpty { converged = krylov.dimension == d; break }
            block = next
        }
        let scale = ritz.values[0]
        if !(ritz.values[count - 1] > 1e-13 * scale) {
            throw DegenerateInputError.rankTooLow(finiteRows: n, rank: ritz.values.filter { $0 > 1e-13 * scale }.count, axes: count)
        }

        // Sign convention; the uncentred projections through the same coefficients from the
        // projections on the basis that every pass recorded.
        var signs = [Double](repeating: 1, count: count)
        let signed = (0..<count).map { i -> [Double] in
            let v = ritz.vectors[i]
            var best = 0
            for j in 0..<d where abs(v[j]) > abs(v[best]) { best = j }
            if v[best] < 0 { signs[i] = -1 }
            return v.map { $0 * signs[i] }
        }
        let projected = krylov.projections(coefficients: (0..<count).map { i in ritz.coefficients[i].map { $0 * signs[i] } })

        axes = signed
        eigenvalues = Array(ritz.values.prefix(count))
        self.mean = mean
        rowsUsed = n
        nonFiniteRows = nonFinite
        projections = projected
        self.passes = passes
        singlePrecisionPasses = singlePasses
        self.converged = converged
        errorBounds = ritz.bounds
        unresolved = ritz.unresolved
        passLog = history
        simdPath = used
    }

    static func seconds(since start: UInt64) -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9 }

    static let sampleStride = 16

    /// C·q_m = (Σ w pᵀ − μ (Σ p)ᵀ) / n for each vector of the block.
    static func covarianceProducts(_ result: BlockPass.Output, block: [[Double]], mean: [Double], rows n: Int) -> [[Double]] {
        let d = mean.count
        return block.indices.map { m in (0..<d).map { j in (result.product[8 * j + m] - mean[j] * result.sum[m]) / Double(n) } }
    }

    /// Block Krylov on every `sampleStride`-th row until the bound is under 10⁻² or stops
    /// improving: the starting block for the full passes (the leading Ritz vectors, completed to a
    /// full block) and the sample's mean; nil when the sample is degenerate.
    static func headStart(pass full: BlockPass, block start: [[Double]], count: Int, finite: inout [UInt8],
                          random: inout SplitMix64, log: inout [PassRecord],
                          progress: ((String, Double) -> Void)?) -> (block: [[Double]], mean: [Double])? {
        let d = full.matrix.columns
        var sample = full
        sample.rowStep = sampleStride
        var space = KrylovSpace(columns: d)
        var block = start
        var mean: [Double]?
        var used = 0
        var previous = Double.infinity
        var ritz = RitzResult.empty
        for round in 1...8 {
            let begin = DispatchTime.now().uptimeNanoseconds
            let result = sample.runSingle(block: block, centre: mean, finite: &finite, findFinite: round == 1)
            let kernel = seconds(since: begin)
            if round == 1 {
                used = (0..<sample.rows).reduce(0) { $0 + Int(finite[$1 * sampleStride]) }
                guard used >= 2 * d else { return nil }
                mean = result.columnSum.map { $0 / Double(used) }
            }
            let products = covarianceProducts(result, block: block, mean: mean ?? [], rows: used)
            space.append(block, products: products)
            ritz = space.rayleighRitz(wanted: count)
            log.append(PassRecord(kind: "block product, 1/\(sampleStride) sample", seconds: seconds(since: begin), kernelSeconds: kernel,
                                  errorBound: ritz.worst))
            progress?("principal axes, sample pass \(round), error bound \(ritz.worst.isFinite ? String(format: "%.1e", ritz.worst) : "∞")", 0)
            if ritz.worst < 1e-2 || (ritz.worst.isFinite && !(ritz.worst < 0.5 * previous)) { break }
            previous = ritz.worst
            let next = orthonormalise(products, against: space, random: &random)
            if next.isEmpty { break }
            block = next
        }
        guard let mean, ritz.values[0] > 0 else { return nil }
        return (completed(Array(ritz.vectors.prefix(blockSize)), columns: d, random: &random), mean)
    }

    /// The vectors orthonormalised, and completed with random ones to a full block.
    static func completed(_ vectors: [[Double]], columns d: Int, random: inout SplitMix64) -> [[Double]] {
        var chosen = orthonormalise(vectors, against: KrylovSpace(columns: d), random: &random)
        while chosen.count < min(blockSize, d) {
            let extra = orthonormalise([(0..<d).map { _ in random.gaussian() }], against: KrylovSpace(columns: d, basis: chosen), random: &random)
            guard !extra.isEmpty else { break }
            chosen += extra
        }
        return chosen
    }

    static func dot(_ a: [Double], _ b: [Double]) -> Double {
        var s = 0.0
        for i in a.indices { s += a[i] * b[i] }
        return s
    }

    /// The columns, orthogonalised against the Krylov space and each other (modified Gram–Schmidt,
    /// twice: "twice is enough", Giraud et al. 2005). A column that vanishes (a covariance of low
    /// rank) is replaced by a random one; none is returned once the space fills ℝᵈ.
    static func orthonormalise(_ columns: [[Double]], against space: KrylovSpace, random: inout SplitMix64) -> [[Double]] {
        var out: [[Double]] = []
        let d = space.columns
        for var v in columns {
            guard space.dimension + out.count < d else { break }
            for attempt in 0...8 {
                let original = dot(v, v).squareRoot()
                for _ in 0..<2 {
                    space.subtractProjections(from: &v)
                    for u in out { let c = dot(u, v); for j in v.indices { v[j] -= c * u[j] } }
                }
                let norm = dot(v, v).squareRoot()
                if norm > 1e-10 * original, norm > 0, norm.isFinite {
                    out.append(v.map { $0 / norm })
                    break
                }
                if attempt == 8 { return out }
                v = (0..<d).map { _ in random.gaussian() }
            }
        }
        return out
    }
}

/// The orthonormal Krylov basis, C applied to each basis vector, and the projected matrix QᵀCQ.
struct KrylovSpace {
    let columns: Int
    private(set) var basis: [[Double]] = []
    private(set) var products: [[Double]] = []
    /// Row-major, symmetrised: h[a][b] = (q_a·Cq_b + q_b·Cq_a) / 2.
    private var projected: [[Double]] = []
    /// Per pass, the rows' projections on its block (row-major V × 8, as the kernel writes them),
    /// and where each basis vector's column is: (pass, lane).
    private var passProjections: [[Double]] = []
    private var projectionColumn: [(pass: Int, lane: Int)] = []
    let rows: Int

    /// `rows`: keep the rows' projections on every basis vector (0: keep none).
    init(columns: Int, rows: Int = 0) {
        self.columns = columns
        self.rows = rows
    }

    /// A space of given orthonormal vectors, only to orthogonalise against.
    init(columns: Int, basis: [[Double]]) {
        self.columns = columns
        self.basis = basis
        rows = 0
    }

    var dimension: Int { basis.count }

    mutating func append(_ block: [[Double]], products new: [[Double]], projections: [Double] = []) {
        if rows > 0 {
            passProjections.append(projections)
            for lane in block.indices { projectionColumn.append((passProjections.count - 1, lane)) }
        }
        for (q, z) in zip(block, new) {
            basis.append(q)
            products.append(z)
            let a = basis.count - 1
            var row = [Double](repeating: 0, count: a + 1)
            for b in 0...a {
                let entry = (PrincipalAxes.dot(basis[a], products[b]) + PrincipalAxes.dot(basis[b], z)) / 2
                row[b] = entry
                if b < a { projected[b].append(entry) }
            }
            projected.append(row)
        }
    }

    /// Row-major V × coefficients.count: each row's projection on Σ_a c[a] q_a, from the recorded
    /// projections on the basis (NaN for rows the passes skipped).
    func projections(coefficients: [[Double]]) -> [Double] {
        let count = coefficients.count
        var out = [Double](repeating: 0, count: rows * count)
        out.withUnsafeMutableBufferPointer { out in
            for (a, column) in projectionColumn.enumerated() {
                passProjections[column.pass].withUnsafeBufferPointer { lanes in
                    for k in 0..<count {
                        let c = coefficients[k][a]
                        for r in 0..<rows { out[r * count + k] += c * lanes[r * 8 + column.lane] }
                    }
                }
            }
        }
        return out
    }

    /// v minus its projections on the basis vectors, one after another.
    func subtractProjections(from v: inout [Double]) {
        for q in basis {
            let c = PrincipalAxes.dot(q, v)
            for j in v.indices { v[j] -= c * q[j] }
        }
    }

    /// Ritz pairs of the space, residuals and error bounds for the `wanted` leading axes.
    func rayleighRitz(wanted: Int) -> RitzResult {
        let size = basis.count
        let eigen = SymmetricEigen(n: size, matrix: projected.flatMap { $0 })
        // Residuals of the wanted pairs and a few beyond, for the gaps and for clusters that run past them.
        let examined = min(size, wanted + 4)
        var vectors: [[Double]] = []
        var coefficients: [[Double]] = []
        var residuals: [Double] = []
        for i in 0..<examined {
            coefficients.append((0..<size).map { eigen.vectors[$0 * size + i] })
            var x = [Double](repeating: 0, count: columns)
            var cx = [Double](repeating: 0, count: columns)
            for a in 0..<size {
                let s = eigen.vectors[a * size + i]
                if s == 0 { continue }
                for j in 0..<columns { x[j] += s * basis[a][j]; cx[j] += s * products[a][j] }
            }
            var r = 0.0
            for j in 0..<columns { let e = cx[j] - eigen.values[i] * x[j]; r += e * e }
            vectors.append(x)
            residuals.append(r.squareRoot())
        }
        return RitzResult(values: eigen.values, vectors: vectors, coefficients: coefficients, residuals: residuals, wanted: wanted,
                          exhausted: size == columns)
    }
}

/// Ritz values (all), Ritz vectors and residual norms (the leading ones), and what they say about
/// the wanted axes.
struct RitzResult {
    var values: [Double]
    var vectors: [[Double]]
    /// Ritz vector i = Σ_a coefficients[i][a] q_a.
    var coefficients: [[Double]]
    var bounds: [Double]
    var unresolved: [PrincipalAxes.UnresolvedAxes]
    /// The largest residual norm ‖Cx − θx‖ of the wanted axes.
    var largestResidual: Double
    var worst: Double { bounds.max() ?? .infinity }

    static let empty = RitzResult(values: [0], vectors: [], coefficients: [], bounds: [.infinity], unresolved: [], largestResidual: .infinity)

    init(values: [Double], vectors: [[Double]], coefficients: [[Double]], bounds: [Double], unresolved: [PrincipalAxes.UnresolvedAxes],
         largestResidual: Double) {
        self.values = values
        self.vectors = vectors
        self.coefficients = coefficients
        self.bounds = bounds
        self.unresolved = unresolved
        self.largestResidual = largestResidual
    }

    /// `exhausted`: the space is all of ℝᵈ, so there is no spectrum beyond the Ritz values.
    init(values: [Double], vectors: [[Double]], coefficients: [[Double]], residuals: [Double], wanted: Int, exhausted: Bool) {
        let examined = residuals.count
        let scale = max(abs(values[0]), .leastNormalMagnitude)
        // Clusters: runs of neighbouring Ritz values closer than the minimum separation.
        var clusterOf = Array(0..<examined)
        for i in 1..<max(1, examined) where (values[i - 1] - values[i]) < PrincipalAxes.minimumSeparation * scale {
            clusterOf[i] = clusterOf[i - 1]
        }
        // Gap from Ritz values [lo, hi] to the rest of the spectrum: neighbours moved towards them
        // by their residuals (an eigenvalue lies within its Ritz value's residual).
        func gap(_ lo: Int, _ hi: Int) -> Double {
            var g = Double.infinity
            if lo > 0 { g = min(g, (values[lo - 1] - residuals[lo - 1]) - values[lo]) }
            if hi + 1 < examined { g = min(g, values[hi] - (values[hi + 1] + residuals[hi + 1])) }
            else if hi + 1 < values.count || !exhausted { g = min(g, values[hi] - (hi + 1 < values.count ? values[hi + 1] : 0)) }
            return g
        }
        var bounds = [Double](repeating: .infinity, count: wanted)
        var unresolved: [PrincipalAxes.UnresolvedAxes] = []
        var i = 0
        while i < wanted {
            var hi = i
            while hi + 1 < examined && clusterOf[hi + 1] == clusterOf[i] { hi += 1 }
            let g = gap(i, hi)
            let residual = (i...hi).reduce(0) { $0 + residuals[$1] * residuals[$1] }.squareRoot()
            let bound = g > 0 ? residual / g : .infinity
            for k in i...min(hi, wanted - 1) { bounds[k] = bound }
            if hi > i {
                let widest = (i..<hi).map { values[$0] - values[$0 + 1] }.max() ?? 0
                unresolved.append(.init(components: Array((i + 1)...(hi + 1)), eigenvalues: Array(values[i...hi]),
                                        relativeGap: widest / scale, subspaceErrorBound: bound))
            }
            i = hi + 1
        }
        self.init(values: values, vectors: vectors, coefficients: coefficients, bounds: bounds, unresolved: unresolved,
                  largestResidual: residuals.prefix(wanted).max() ?? .infinity)
    }
}

/// One pass of the C kernel over every row (or every `rowStep`-th), in fixed tiles added in tile order.
struct BlockPass {
    let matrix: Matrix
    let path: SIMDPath
    let parallelism: Parallelism
    var rowStep = 1

    /// Rows the pass visits.
    var rows: Int { (matrix.rows + rowStep - 1) / rowStep }

    struct Output {
        /// Σ w pᵀ: entry j, lane m at 8 j + m.
        var product: [Double]
        var sum: [Double]
        var columnSum: [Double]
        /// When asked for: row-major V × 8, w·q_m (uncentred), NaN for skipped rows.
        var projections: [Double]
        var path: SIMDPath
    }

    /// Lane m of entry j holds vector m's j-th component; lanes past the block are zero.
    func interleaved(_ block: [[Double]]) -> [Double] {
        let d = matrix.columns
        var b = [Double](repeating: 0, count: d * 8)
        for (m, v) in block.enumerated() { for j in 0..<d { b[8 * j + m] = v[j] } }
        return b
    }

    /// Σ w pᵀ and Σ p with p = wᵀB − centreᵀB over the finite rows (`centre` nil: zero), and on
    /// `findFinite` the finite rows and their column sums.
    func run(block: [[Double]], centre: [Double]?, finite: inout [UInt8], findFinite: Bool, projections: Bool) -> Output {
        let d = matrix.columns
        let b = interleaved(block)
        var offset = [Double](repeating: 0, count: 8)
        if let centre { for (m, v) in block.enumerated() { offset[m] = PrincipalAxes.dot(centre, v) } }
        var lanes = [Double](repeating: 0, count: projections ? rows * 8 : 0)
        var output = b.withUnsafeBufferPointer { b in
            offset.withUnsafeBufferPointer { offset in
                lanes.withUnsafeMutableBufferPointer { lanes in
                    tiled(productCount: d * 8, findFinite: findFinite, finite: &finite) { part, flags, product, sum, columnSum in
                        var input = ts_pca_input(base: matrix.base, row_bytes: matrix.rowBytes, row_step: rowStep, format: matrix.pcaFormat,
                                                 columns: d, block: b.baseAddress, offset: offset.baseAddress,
                                                 finite: flags, find_finite: findFinite ? 1 : 0)
                        var scratch = [Double](repeating: 0, count: Int(TS_PCA_BLOCK_SCRATCH_ROWS) * d)
                        return scratch.withUnsafeMutableBufferPointer { scratch in
                            var output = ts_pca_output(product: product, sum: sum, column_sum: columnSum,
                                                       projections: projections ? lanes.baseAddress! + part.lowerBound * 8 : nil,
                                                       scratch: scratch.baseAddress)
                            return ts_pca_block_pass(path.cValue, &input, part.lowerBound, part.upperBound, &output)
                        }
                    }
                }
            }
        }
        output.projections = lanes
        return output
    }

    /// Runs `kernel` on each fixed tile of rows (in parallel), each into sums of its own (Σ w pᵀ of
    /// `productCount` entries, Σ p, and Σ w when finding the finite rows), and adds them in tile order.
    private func tiled(productCount: Int, findFinite: Bool, finite: inout [UInt8],
                       _ kernel: (_ rows: Range<Int>, _ finite: UnsafeMutablePointer<UInt8>, _ product: UnsafeMutablePointer<Double>,
                                  _ sum: UnsafeMutablePointer<Double>, _ columnSum: UnsafeMutablePointer<Double>?) -> ts_simd_path) -> Output {
        let parts = Parallelism.ranges(count: rows, chunks: PrincipalAxes.chunkCount)
        let columns = findFinite ? matrix.columns : 0
        let partials = finite.withUnsafeMutableBufferPointer { flags in
            parallelism.map(chunks: parts.count) { c -> ([Double], [Double], [Double], SIMDPath) in
                var product = [Double](repeating: 0, count: productCount)
                var sum = [Double](repeating: 0, count: 8)
                var columnSum = [Double](repeating: 0, count: columns)
                let used = product.withUnsafeMutableBufferPointer { product in
                    sum.withUnsafeMutableBufferPointer { sum in
                        columnSum.withUnsafeMutableBufferPointer { columnSum in
                            kernel(parts[c], flags.baseAddress!, product.baseAddress!, sum.baseAddress!, findFinite ? columnSum.baseAddress : nil)
                        }
                    }
                }
                return (product, sum, columnSum, SIMDPath(rawValue: Int(used.rawValue)) ?? .scalar)
            }
        }
        return Self.added(partials)
    }

    /// The tiles' sums (Σ w pᵀ, Σ p, Σ w, and the path each ran on) added in tile order.
    static func added(_ partials: [([Double], [Double], [Double], SIMDPath)]) -> Output {
        var product = [Double](repeating: 0, count: partials.first?.0.count ?? 0)
        var sum = [Double](repeating: 0, count: 8)
        var columnSum = [Double](repeating: 0, count: partials.first?.2.count ?? 0)
        for (p, s, t, _) in partials {
            for i in product.indices { product[i] += p[i] }
            for m in 0..<8 { sum[m] += s[m] }
            for j in columnSum.indices { columnSum[j] += t[j] }
        }
        return Output(product: product, sum: sum, columnSum: columnSum, projections: [], path: partials.first?.3 ?? .scalar)
    }

    /// The same sums from the single-precision kernel (`ts_pca_single_pass`): p = (w − c)ᵀB in float,
    /// with B and c rounded to float (c zero when nil); no projections.
    func runSingle(block: [[Double]], centre: [Double]?, finite: inout [UInt8], findFinite: Bool) -> Output {
        let d = matrix.columns
        let padded = (d + 3) / 4 * 4
        // Entry (j, m) of B at 16 ⌊j/2⌋ + 2m + (j mod 2): one broadcast of (x_j, x_{j+1}) meets all eight vectors.
        func paired(_ j: Int, _ m: Int) -> Int { 16 * (j / 2) + 2 * m + (j % 2) }
        var b = [Float](repeating: 0, count: padded * 8)
        for (m, v) in block.enumerated() { for j in 0..<d { b[paired(j, m)] = Float(v[j]) } }
        var c = [Float](repeating: 0, count: padded)
        if let centre { for j in 0..<d { c[j] = Float(centre[j]) } }
        var output = b.withUnsafeBufferPointer { b in
            c.withUnsafeBufferPointer { c in
                tiled(productCount: padded * 8, findFinite: findFinite, finite: &finite) { part, flags, product, sum, columnSum in
                    var input = ts_pca_single_input(base: matrix.base, row_bytes: matrix.rowBytes, row_step: rowStep, format: matrix.pcaFormat,
                                                    columns: d, padded_columns: padded, block: b.baseAddress, centre: c.baseAddress,
                                                    finite: flags, find_finite: findFinite ? 1 : 0)
                    var scratch = [Float](repeating: 0, count: Int(TS_PCA_SINGLE_SCRATCH_ROWS) * padded)
                    return scratch.withUnsafeMutableBufferPointer { scratch in
                        var output = ts_pca_single_output(product: product, sum: sum, column_sum: columnSum, scratch: scratch.baseAddress)
                        return ts_pca_single_pass(path.cValue, &input, part.lowerBound, part.upperBound, &output)
                    }
                }
            }
        }
        // Σ w pᵀ = Σ (w − c) pᵀ + c (Σ p)ᵀ, in the layout of the double pass.
        let pairedProduct = output.product
        output.product = [Double](repeating: 0, count: d * 8)
        for j in 0..<d { for m in 0..<8 { output.product[8 * j + m] = pairedProduct[paired(j, m)] + Double(c[j]) * output.sum[m] } }
        return output
    }
}

extension Matrix {
    /// The storage format as the C kernels name it.
    var pcaFormat: ts_pca_format {
        switch format {
        case .bf16: return TS_PCA_BF16
        case .f16: return TS_PCA_F16
        case .f32: return TS_PCA_F32
        }
    }
}
