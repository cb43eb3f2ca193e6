import TokenScopeCore

/// The four under-trained-token indicators of Magikarp (Land & Bartolo 2024, "Fishing for
/// Magikarp", `magikarp/utils.py: embedding_distance_metrics`), for every row w of W against the
/// mean m of a reference set R of rows known to be unused:
///
/// - `cosineDistance`: 1 − w·m / max(‖w‖‖m‖, 10⁻⁶);
/// - `cosineDistanceWithoutFirstPC`: the same between w − (w·p)p and the reference mean of those
///   rows, p being the first principal axis of the *centred* matrix, removed from the *uncentred*
///   rows (as Magikarp does);
/// - `cosineDistanceWithoutMean`: the same between w − μ and m − μ, μ the mean row;
/// - `l2Distance`: ‖w − m‖.
///
/// The floor 10⁻⁶ under the product of norms is Magikarp's: it makes an all-zero row's cosine
/// distance 1 instead of 0/0. Departures, each for an input Magikarp would turn into NaN: rows
/// holding NaN or an infinity are left out of μ and of R's mean and get +∞ in every indicator
/// (`nonFiniteRows`); a reference id listed twice counts once.
///
/// Numerics: stored values widen exactly to `Double`; every product and sum is in `Double`, in
/// eight lanes added in a fixed tree, and the row and reference means are sums over a fixed number
/// of chunks added in chunk order, so the results are bit-identical whatever the thread count.
/// Differences (w − m, w − μ, w − (w·p)p) are formed element by element before squaring, never as
/// ‖w‖² − 2w·m + ‖m‖², whose cancellation would swamp the small distances of dead tokens.
public struct UndertrainedIndicators: Sendable {
    public let cosineDistance: [Double]
    public let cosineDistanceWithoutFirstPC: [Double]
    public let cosineDistanceWithoutMean: [Double]
    public let l2Distance: [Double]
    /// The reference rows used: distinct, ascending, finite.
    public let referenceRows: [Int]
    /// Reference ids whose row holds NaN or an infinity, left out of the reference mean.
    public let nonFiniteReferenceRows: [Int]
    /// Rows holding NaN or an infinity, ascending: +∞ in every indicator.
    public let nonFiniteRows: [Int]
    /// ‖m‖, the norm of the reference mean (0 makes every `cosineDistance` 1).
    public let referenceMeanNorm: Double

    /// Magikarp's floor under the product of norms in a cosine.
    public static let normProductFloor = 1e-6

    /// - Parameters:
    ///   - referenceRows: ids of the rows known to be unused.
    ///   - firstPrincipalComponent: the first principal axis of the centred rows (any sign, any
    ///     non-zero length: it is normalised here).
    /// - Throws: `DegenerateInputError` for too few rows (`checkShape`), an id outside W, an empty
    ///   reference set (or one whose rows are all non-finite), or an axis of the wrong length,
    ///   non-finite or zero.
    /// - Complexity: two passes over W, in parallel, and one over the reference rows.
    public init(matrix: Matrix, referenceRows: [Int], firstPrincipalComponent: [Double],
                parallelism: Parallelism = .allCores) throws {
        let d = matrix.columns
        try Self.checkShape(matrix)
        if let bad = referenceRows.first(where: { $0 < 0 || $0 >= matrix.rows }) {
            throw DegenerateInputError.referenceOutOfRange(id: bad, rowCount: matrix.rows)
        }
        let reference = Array(Set(referenceRows)).sorted()
        guard !reference.isEmpty else { throw DegenerateInputError.emptyReferenceSet(allNonFinite: false) }
        guard firstPrincipalComponent.count == d else {
            throw DegenerateInputError.axisLengthMismatch(components: firstPrincipalComponent.count, columns: d)
        }
        let axisNorm = firstPrincipalComponent.reduce(0) { $0 + $1 * $1 }.squareRoot()
        guard axisNorm.isFinite, axisNorm > 0 else {
            throw DegenerateInputError.invalidAxis
        }
        let axis = firstPrincipalComponent.map { $0 / axisNorm }

        let sums = matrix.run(FiniteRowSums(matrix: matrix, parallelism: parallelism))
        let nonFinite = Set(sums.nonFiniteRows)
        let usedReference = reference.filter { !nonFinite.contains($0) }
        guard !usedReference.isEmpty else {
            throw DegenerateInputError.emptyReferenceSet(allNonFinite: true)
        }
        let finiteCount = matrix.rows - nonFinite.count
        let rowMean = sums.total.map { $0 / Double(finiteCount) }
        let referenceMean = matrix.run(RowSubsetSum(matrix: matrix, rows: usedReference)).map { $0 / Double(usedReference.count) }

        // The reference means of the transformed rows, by linearity: mean(w − μ) = m − μ and
        // mean(w − (w·p)p) = m − (m·p)p.
        let referenceAlongAxis = zip(referenceMean, axis).reduce(0) { $0 + $1.0 * $1.1 }
        let centredReference = zip(referenceMean, rowMean).map { $0 - $1 }
        let reducedReference = zip(referenceMean, axis).map { $0 - referenceAlongAxis * $1 }
        func norm(_ v: [Double]) -> Double { v.reduce(0) { $0 + $1 * $1 }.squareRoot() }

        let vectors = IndicatorVectors(referenceMean: referenceMean, axis: axis, rowMean: rowMean,
                                       centredReference: centredReference, reducedReference: reducedReference,
                                       referenceNorm: norm(referenceMean), centredReferenceNorm: norm(centredReference),
                                       reducedReferenceNorm: norm(reducedReference))
        let columns = matrix.run(IndicatorPass(matrix: matrix, vectors: vectors, parallelism: parallelism))
        cosineDistance = columns[0]
        cosineDistanceWithoutFirstPC = columns[1]
        cosineDistanceWithoutMean = columns[2]
        l2Distance = columns[3]
        self.referenceRows = usedReference
        nonFiniteReferenceRows = reference.filter { nonFinite.contains($0) }
        nonFiniteRows = sums.nonFiniteRows
        referenceMeanNorm = vectors.referenceNorm
    }

    /// Magikarp's own precondition: more rows than columns (with V ≤ d the principal axis and the
    /// mean say little about the vocabulary). Callers check it before costlier work.
    public static func checkShape(_ matrix: Matrix) throws {
        guard matrix.rows > matrix.columns else {
            throw DegenerateInputError.tooFewRows(rows: matrix.rows, columns: matrix.columns)
        }
    }

    /// 1 − dot / max(product of norms, 10⁻⁶), as Magikarp's `cosine_distance`.
    @inline(__always) static func cosineDistance(dot: Double, norm: Double, referenceNorm: Double) -> Double {
        1 - dot / max(norm * referenceNorm, normProductFloor)
    }
}

/// Chunks of the row range, fixed in number so that sums never depend on the thread count.
private let sumChunks = 64

@inline(__always) private func loadDoubles(_ p: UnsafePointer<Double>, _ i: Int) -> SIMD8<Double> {
    UnsafeRawPointer(p + i).loadUnaligned(as: SIMD8<Double>.self)
}

@inline(__always) private func lanes<E: StoredFloat>(_ row: UnsafeRawPointer, _ i: Int, _: E.Type) -> (SIMD8<Double>, SIMD8<Double>) {
    let x = E.load16(row + i * E.size)
    return (RowKernels<E>.widen(x.lowHalf), RowKernels<E>.widen(x.highHalf))
}

/// Σ of the finite rows in `Double`, and the rows that are not finite (Σw² is finite exactly
/// when every stored value is: a finite F32 value squared stays far below `Double`'s range).
private struct FiniteRowSums: FormatGeneric {
    let matrix: Matrix
    let parallelism: Parallelism

    func run<E: StoredFloat>(_ format: E.Type) -> (total: [Double], nonFiniteRows: [Int]) {
        let d = matrix.columns
        let kernels = RowKernels<E>(columns: d)
        let vectorEnd = d & ~15
        let parts = parallelism.map(count: matrix.rows, chunks: sumChunks) { range -> ([Double], [Int]) in
            var sum = [Double](repeating: 0, count: d)
            var bad: [Int] = []
            sum.withUnsafeMutableBufferPointer { s in
                let raw = UnsafeMutableRawPointer(s.baseAddress!)
                for row in range {
                    let p = matrix.rowPointer(row)
                    guard kernels.squaredNorm(p).isFinite else { bad.append(row); continue }
                    var i = 0
                    while i < vectorEnd {
                        let (low, high) = lanes(p, i, E.self)
                        raw.storeBytes(of: raw.loadUnaligned(fromByteOffset: i * 8, as: SIMD8<Double>.self) + low, toByteOffset: i * 8, as: SIMD8<Double>.self)
                        raw.storeBytes(of: raw.loadUnaligned(fromByteOffset: (i + 8) * 8, as: SIMD8<Double>.self) + high, toByteOffset: (i + 8) * 8, as: SIMD8<Double>.self)
                        i += 16
                    }
                    while i < d { s[i] += Double(E.load1(p + i * E.size)); i += 1 }
                }
            }
            return (sum, bad)
        }
        var total = [Double](repeating: 0, count: d)
        for part in parts { for j in 0..<d { total[j] += part.0[j] } }
        return (total, parts.flatMap(\.1))
    }
}

/// Σ of chosen rows in `Double`, in the order given.
private struct RowSubsetSum: FormatGeneric {
    let matrix: Matrix
    let rows: [Int]

    func run<E: StoredFloat>(_ format: E.Type) -> [Double] {
        var sum = [Double](repeating: 0, count: matrix.columns)
        for row in rows {
            let p = matrix.rowPointer(row)
            for j in 0..<matrix.columns { sum[j] += Double(E.load1(p + j * E.size)) }
        }
        return sum
    }
}

/// The eight lanes added in one fixed order, so a row's sums do not depend on the thread that ran it.
@inline(__always) private func fixedSum(_ s: SIMD8<Double>) -> Double {
    ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]))
}

/// The vectors every row is compared with.
private struct IndicatorVectors {
    var referenceMean: [Double]
    var axis: [Double]
    var rowMean: [Double]
    var centredReference: [Double]
    var reducedReference: [Double]
    var referenceNorm: Double
    var centredReferenceNorm: Double
    var reducedReferenceNorm: Double
}

/// The four indicators of every row: one read of the row from W for the dot products with m,
/// p, m − μ and the squares of w, w − m, w − μ; then, the row being in cache, w − (w·p)p.
private struct IndicatorPass: FormatGeneric {
    let matrix: Matrix
    let vectors: IndicatorVectors
    let parallelism: Parallelism

    func run<E: StoredFloat>(_ format: E.Type) -> [[Double]] {
        let d = matrix.columns
        let vectorEnd = d & ~15
        let rows = matrix.rows
        // Four columns of `rows` values, indicator-major; +∞ stays where a row is not finite.
        var outputs = [Double](repeating: .infinity, count: 4 * rows)
        let v = vectors
        v.referenceMean.withUnsafeBufferPointer { m in
        v.axis.withUnsafeBufferPointer { axis in
        v.rowMean.withUnsafeBufferPointer { mu in
        v.centredReference.withUnsafeBufferPointer { rc in
        v.reducedReference.withUnsafeBufferPointer { rp in
        outputs.withUnsafeMutableBufferPointer { out in
            let cosine = out.baseAddress!, withoutPC = cosine + rows, withoutMean = cosine + 2 * rows, l2 = cosine + 3 * rows
            let m = m.baseAddress!, axis = axis.baseAddress!, mu = mu.baseAddress!, rc = rc.baseAddress!, rp = rp.baseAddress!
            parallelism.forEachRange(count: rows, minimumChunk: 512) { range in
                for row in range {
                    let w = matrix.rowPointer(row)
                    var sums = RowSums()
                    var i = 0
                    while i < vectorEnd {
                        let (low, high) = lanes(w, i, E.self)
                        sums.add(low, m: loadDoubles(m, i), axis: loadDoubles(axis, i), mu: loadDoubles(mu, i), rc: loadDoubles(rc, i))
                        sums.add(high, m: loadDoubles(m, i + 8), axis: loadDoubles(axis, i + 8), mu: loadDoubles(mu, i + 8), rc: loadDoubles(rc, i + 8))
                        i += 16
                    }
                    var nn = fixedSum(sums.squares), a = fixedSum(sums.dotReference), s = fixedSum(sums.alongAxis)
                    var ee = fixedSum(sums.fromReference), cc = fixedSum(sums.centred), cr = fixedSum(sums.centredDot)
                    while i < d {
                        let x = Double(E.load1(w + i * E.size))
                        nn += x * x; a += x * m[i]; s += x * axis[i]
                        ee += (x - m[i]) * (x - m[i]); cc += (x - mu[i]) * (x - mu[i]); cr += (x - mu[i]) * rc[i]
                        i += 1
                    }
                    guard nn.isFinite else { continue }
                    let sLanes = SIMD8<Double>(repeating: s)
                    var reduced = SIMD8<Double>(), reducedDot = SIMD8<Double>()
                    i = 0
                    while i < vectorEnd {
                        let (low, high) = lanes(w, i, E.self)
                        let yl = low - sLanes * loadDoubles(axis, i), yh = high - sLanes * loadDoubles(axis, i + 8)
                        reduced += yl * yl
                        reduced += yh * yh
                        reducedDot += yl * loadDoubles(rp, i)
                        reducedDot += yh * loadDoubles(rp, i + 8)
                        i += 16
                    }
                    var yy = fixedSum(reduced), yr = fixedSum(reducedDot)
                    while i < d {
                        let y = Double(E.load1(w + i * E.size)) - s * axis[i]
                        yy += y * y; yr += y * rp[i]
                        i += 1
                    }
                    cosine[row] = UndertrainedIndicators.cosineDistance(dot: a, norm: nn.squareRoot(), referenceNorm: v.referenceNorm)
                    withoutPC[row] = UndertrainedIndicators.cosineDistance(dot: yr, norm: yy.squareRoot(), referenceNorm: v.reducedReferenceNorm)
                    withoutMean[row] = UndertrainedIndicators.cosineDistance(dot: cr, norm: cc.squareRoot(), referenceNorm: v.centredReferenceNorm)
                    l2[row] = ee.squareRoot()
                }
            }
        }}}}}}
        return (0..<4).map { Array(outputs[($0 * rows)..<(($0 + 1) * rows)]) }
    }
}

/// The first pass's lanes over one row.
private struct RowSums {
    var squares = SIMD8<Double>(), dotReference = SIMD8<Double>(), alongAxis = SIMD8<Double>()
    var fromReference = SIMD8<Double>(), centred = SIMD8<Double>(), centredDot = SIMD8<Double>()

    @inline(__always) mutating func add(_ x: SIMD8<Double>, m: SIMD8<Double>, axis: SIMD8<Double>, mu: SIMD8<Double>, rc: SIMD8<Double>) {
        squares += x * x
        dotReference += x * m
        alongAxis += x * axis
        let e = x - m
        fromReference += e * e
        let c = x - mu
        centred += c * c
        centredDot += c * rc
    }
}
