import CKernels
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
                path: SIMDPath = .best, parallelism: Parallelism = .allCores) throws {
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
        let columns = indicatorColumns(matrix: matrix, vectors: vectors, path: path, parallelism: parallelism)
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

/// The four indicators of every row from the eight sums of `ts_indicator_sums` (C, per instruction
/// set): one read of the row from W for the dot products with m, p, m − μ and the squares of w,
/// w − m, w − μ; then, the row being in cache, w − (w·p)p.
private func indicatorColumns(matrix: Matrix, vectors v: IndicatorVectors, path: SIMDPath, parallelism: Parallelism) -> [[Double]] {
    let rows = matrix.rows
    let width = Int(TS_INDICATOR_SUMS.rawValue)
    // Four columns of `rows` values, indicator-major; +∞ stays where a row is not finite.
    var outputs = [Double](repeating: .infinity, count: 4 * rows)
    v.referenceMean.withUnsafeBufferPointer { m in
    v.axis.withUnsafeBufferPointer { axis in
    v.rowMean.withUnsafeBufferPointer { mu in
    v.centredReference.withUnsafeBufferPointer { rc in
    v.reducedReference.withUnsafeBufferPointer { rp in
    outputs.withUnsafeMutableBufferPointer { out in
        let cosine = out.baseAddress!, withoutPC = cosine + rows, withoutMean = cosine + 2 * rows, l2 = cosine + 3 * rows
        let input = ts_indicator_input(base: matrix.base, row_bytes: matrix.rowBytes, format: matrix.pcaFormat, columns: matrix.columns,
                                       reference_mean: m.baseAddress, axis: axis.baseAddress, row_mean: mu.baseAddress,
                                       centred_reference: rc.baseAddress, reduced_reference: rp.baseAddress)
        parallelism.forEachRange(count: rows, minimumChunk: 512) { range in
            var sums = [Double](repeating: 0, count: range.count * width)
            var local = input
            sums.withUnsafeMutableBufferPointer { sums in
                _ = ts_indicator_sums(path.cValue, &local, range.lowerBound, range.upperBound, sums.baseAddress)
                for (k, row) in range.enumerated() {
                    let s = sums.baseAddress! + k * width
                    let squares = s[Int(TS_INDICATOR_SQUARES.rawValue)]
                    guard squares.isFinite else { continue }
                    cosine[row] = UndertrainedIndicators.cosineDistance(dot: s[Int(TS_INDICATOR_DOT_REFERENCE.rawValue)], norm: squares.squareRoot(),
                                                                        referenceNorm: v.referenceNorm)
                    withoutPC[row] = UndertrainedIndicators.cosineDistance(dot: s[Int(TS_INDICATOR_REDUCED_DOT.rawValue)],
                                                                           norm: s[Int(TS_INDICATOR_REDUCED.rawValue)].squareRoot(),
                                                                           referenceNorm: v.reducedReferenceNorm)
                    withoutMean[row] = UndertrainedIndicators.cosineDistance(dot: s[Int(TS_INDICATOR_CENTRED_DOT.rawValue)],
                                                                             norm: s[Int(TS_INDICATOR_CENTRED.rawValue)].squareRoot(),
                                                                             referenceNorm: v.centredReferenceNorm)
                    l2[row] = s[Int(TS_INDICATOR_FROM_REFERENCE.rawValue)].squareRoot()
                }
            }
        }
    }}}}}}
    return (0..<4).map { Array(outputs[($0 * rows)..<(($0 + 1) * rows)]) }
}

