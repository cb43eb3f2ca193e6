import CKernels
import TokenScopeCore
#if canImport(Glibc)
import Glibc
#endif

/// The k nearest rows of W to one of its rows, exactly: the answer `NearestRows.scan` gives (the
/// library's distance kernel, ties to the smaller id), found without reading all of W.
///
/// Each row x is quantised once to 8-bit codes c = round(x / s) with s = max|xᵢ| / 127, kept as two
/// planes of 4-bit codes: the high nibble (coarse: x ≈ 8s·(2h + 1)) and the low one (together the
/// fine code: x ≈ s·c). Per row the exact error ‖x − approximation‖ of each is stored, so for any
/// row q, by the triangle inequality,
///     ‖x − q‖ ≥ ‖coarse(x) − fine(q)‖ − err_coarse(x) − err_fine(q),
/// and the same with fine(x). A query computes the coarse bound for every row (one pass over a
/// quarter of W's bytes), then visits rows by increasing bound, tightening with the fine bound and
/// computing the exact distance only where a bound does not rule the row out against the current
/// k-th exact distance. The dot products of codes are integers (exact); every rounding of the
/// floating steps is covered by a relative margin of 10⁻⁹, far above double rounding and far
/// below the quantisation error, so a row is skipped only when its exact distance provably
/// exceeds the k-th. Rows holding NaN or infinity are never skipped (their distance is computed).
///
/// Memory: two planes of columns/2 bytes per row (rounded up to 32) plus 40 bytes per row of
/// scales, norms and errors: half of W in BF16 (≈ 390 MB for 151,936 × 2,560).
public final class NearestRowIndex: @unchecked Sendable {
    public let matrix: Matrix
    private let path: SIMDPath
    /// The threads of the build and of each query.
    public let parallelism: Parallelism
    /// 64-dimension groups per row; a plane row is groups · 32 bytes.
    private let groups: Int
    private let coarse: UnsafeMutablePointer<UInt8>
    private let fine: UnsafeMutablePointer<UInt8>
    private let meta: UnsafeMutablePointer<RowMeta>

    struct RowMeta {
        var scale = 0.0
        var coarseNorm2 = 0.0, fineNorm2 = 0.0
        var coarseError = 0.0, fineError = 0.0
        var finite = true
    }

    static let margin = 1e-9
    /// A query's first k-th distance: at most this many rows of smallest coarse bound (1/32 of the
    /// rows) get a fine bound, and of those at most `seedRows` (1/512 of the rows; k at least) of
    /// smallest fine bound get an exact distance.
    static let seedCandidates = 4096
    static let seedRows = 256

    /// Builds the index in parallel (one pass over W); queries use the same `parallelism`.
    public init(matrix: Matrix, path: SIMDPath = .best, parallelism: Parallelism = .allCores) {
        self.matrix = matrix
        self.path = path.usable
        self.parallelism = parallelism
        groups = (matrix.columns + Int(TS_NIBBLE_GROUP) - 1) / Int(TS_NIBBLE_GROUP)
        let planeRow = groups * 32
        coarse = Self.allocatePlane(bytes: matrix.rows * planeRow)
        fine = Self.allocatePlane(bytes: matrix.rows * planeRow)
        meta = .allocate(capacity: max(1, matrix.rows))
        meta.initialize(repeating: RowMeta(), count: matrix.rows)
        let columns = matrix.columns, padded = groups * Int(TS_NIBBLE_GROUP)
        let cPath = self.path.cValue, format = matrix.format.rowFormat
        let (coarse, fine, meta) = (self.coarse, self.fine, self.meta)
        parallelism.forEachRange(count: matrix.rows, minimumChunk: 256) { range in
            var values = [Float](repeating: 0, count: columns)
            var codes = [Int8](repeating: 0, count: padded)
            for r in range {
                values.withUnsafeMutableBufferPointer { ts_row_widen(cPath, format, matrix.rowPointer(r), $0.baseAddress!, columns) }
                meta[r] = Self.quantise(values, into: &codes)
                Self.pack(codes, coarse: coarse + r * planeRow, fine: fine + r * planeRow)
            }
        }
    }

    deinit {
        coarse.deallocate(); fine.deallocate()
        meta.deinitialize(count: matrix.rows); meta.deallocate()
    }

    /// A plane on 2 MB boundaries, asking Linux for huge pages before it is first touched: a query
    /// streams the whole coarse plane, and with 4 KB pages its TLB misses cost bandwidth.
    static func allocatePlane(bytes: Int) -> UnsafeMutablePointer<UInt8> {
        let huge = 2 << 20
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(1, bytes), alignment: huge)
        #if os(Linux)
        if bytes >= huge { _ = madvise(raw, bytes / huge * huge, MADV_HUGEPAGE) }
        #endif
        return raw.bindMemory(to: UInt8.self, capacity: max(1, bytes))
    }

    /// The `count`-th smallest of `values` (1-based), which it reorders: a selection in linear
    /// time, where keeping a sorted list of the thousands smallest would move megabytes.
    static func smallest(_ count: Int, of values: inout [Double]) -> Double {
        precondition(count >= 1 && count <= values.count)
        let target = count - 1
        var low = 0, high = values.count - 1
        while low < high {
            let pivot = Swift.max(Swift.min(values[low], values[high]), Swift.min(Swift.max(values[low], values[high]), values[(low + high) / 2]))
            var i = low, j = high
            while i <= j {
                while values[i] < pivot { i += 1 }
                while values[j] > pivot { j -= 1 }
                if i <= j { values.swapAt(i, j); i += 1; j -= 1 }
            }
            if target <= j { high = j } else if target >= i { low = i } else { break }
        }
        return values[target]
    }

    /// The 8-bit codes of one row (padding left 0) and its scale, norms and errors.
    static func quantise(_ values: [Float], into codes: inout [Int8]) -> RowMeta {
        var row = RowMeta()
        var largest = 0.0
        for v in values {
            guard v.isFinite else { row.finite = false; return row }
            largest = max(largest, abs(Double(v)))
        }
        let scale = largest / 127
        row.scale = scale
        var coarseNorm = 0, fineNorm = 0, coarseError = 0.0, fineError = 0.0, norm = 0.0
        for (i, v) in values.enumerated() {
            let x = Double(v)
            let c = scale > 0 ? Int(max(-127, min(127, (x / scale).rounded()))) : 0
            codes[i] = Int8(c)
            let h = 2 * (c >> 4) + 1
            coarseNorm += h * h
            fineNorm += c * c
            let ec = x - 8 * scale * Double(h), ef = x - scale * Double(c)
            coarseError += ec * ec
            fineError += ef * ef
            norm += x * x
        }
        row.coarseNorm2 = 64 * scale * scale * Double(coarseNorm)
        row.fineNorm2 = scale * scale * Double(fineNorm)
        // Rounded up: the computed sums err by far less than margin relative to ‖x‖.
        let slack = margin * norm.squareRoot()
        row.coarseError = coarseError.squareRoot() * (1 + margin) + slack
        row.fineError = fineError.squareRoot() * (1 + margin) + slack
        return row
    }

    /// Writes the coarse plane (high nibble + 8, 0…15) and the fine plane (low nibble) of a row's codes.
    static func pack(_ codes: [Int8], coarse: UnsafeMutablePointer<UInt8>, fine: UnsafeMutablePointer<UInt8>) {
        for g in 0..<(codes.count / 64) {
            for j in 0..<32 {
                let a = Int(codes[g * 64 + j]), b = Int(codes[g * 64 + 32 + j])
                coarse[g * 32 + j] = UInt8(((a >> 4) + 8) | (((b >> 4) + 8) << 4))
                fine[g * 32 + j] = UInt8((a & 15) | ((b & 15) << 4))
            }
        }
    }

    /// The k nearest rows to `row` (itself left out), ascending by (distance, id); identical to
    /// `NearestRows.scan`.
    public func nearest(row: Int, k: Int) -> [(id: Int, distance: Double)] { search(row: row, k: k).rows }

    /// The answer and how many exact distances it took (what the bounds save).
    func search(row: Int, k: Int) -> (rows: [(id: Int, distance: Double)], exact: Int) {
        precondition((0..<matrix.rows).contains(row), "row \(row) out of range")
        guard k > 0 else { return ([], 0) }
        let q = meta[row]
        // A query row with NaN or infinity has no finite bounds: scan.
        guard q.finite else {
            return (NearestRows.scan(matrix: matrix, row: row, k: k, path: path, parallelism: parallelism), matrix.rows)
        }
        return matrix.run(Query(index: self, row: row, k: k, query: q))
    }

    private struct Query: FormatGeneric {
        let index: NearestRowIndex
        let row: Int
        let k: Int
        let query: RowMeta

        func run<E: StoredFloat>(_ format: E.Type) -> (rows: [(id: Int, distance: Double)], exact: Int) {
            let matrix = index.matrix, groups = index.groups, planeRow = groups * 32
            let cPath = index.path.cValue, meta = index.meta
            let kernels = RowKernels<E>(columns: matrix.columns, path: index.path)
            // The query's 8-bit codes, rebuilt from its planes.
            var codes = [Int8](repeating: 0, count: groups * 64)
            let qc = index.coarse + row * planeRow, qf = index.fine + row * planeRow
            for g in 0..<groups {
                for j in 0..<32 {
                    let c = Int(qc[g * 32 + j]), f = Int(qf[g * 32 + j])
                    codes[g * 64 + j] = Int8(16 * ((c & 15) - 8) + (f & 15))
                    codes[g * 64 + 32 + j] = Int8(16 * ((c >> 4) - 8) + (f >> 4))
                }
            }
            let codeSum = Double(codes.reduce(0) { $0 + Int($1) })
            let m = NearestRowIndex.margin
            // ‖a − b‖ from ‖a‖², ‖b‖² and a·b, less the triangle terms; never above the true distance.
            @inline(__always) func bound(_ a2: Double, _ b2: Double, _ dot: Double, _ errors: Double) -> Double {
                let g = a2 + b2 - 2 * dot - m * (a2 + b2 + 2 * abs(dot))
                return g > 0 ? g.squareRoot() * (1 - m) - errors : -.infinity
            }
            // Pass 1: the coarse bound of every row; its integer dot is kept for the fine bound.
            var lower = [Double](repeating: 0, count: matrix.rows)
            var coarseDots = [Int32](repeating: 0, count: matrix.rows)
            codes.withUnsafeBufferPointer { codes in
                lower.withUnsafeMutableBufferPointer { lower in
                    coarseDots.withUnsafeMutableBufferPointer { coarseDots in
                        index.parallelism.forEachRange(count: matrix.rows, minimumChunk: 2048) { range in
                            for r in range {
                                let x = meta[r]
                                guard x.finite else { lower[r] = -.infinity; continue }
                                let d = ts_nibble_dot(cPath, codes.baseAddress, index.coarse + r * planeRow, groups)
                                coarseDots[r] = d
                                let dot = 8 * x.scale * query.scale * (2 * Double(d) - 15 * codeSum)
                                lower[r] = bound(x.coarseNorm2, query.fineNorm2, dot, x.coarseError + query.fineError)
                            }
                        }
                    }
                }
            }
            let origin = matrix.rowPointer(row)
            var best = TopRows(k: k)
            var exact = 0
            func visit(_ r: Int) {
                exact += 1
                best.offer(id: r, distance: kernels.squaredDistance(origin, matrix.rowPointer(r)).squareRoot())
            }
            // Skipped only when the bound proves the exact squared distance (relative error ≤ 3·10⁻¹³)
            // exceeds the k-th: a row tying it is never skipped.
            func ruledOut(_ bound: Double, by worst: Double?) -> Bool {
                guard bound > 0, let worst else { return false }
                return bound * bound * (1 - m) > worst * worst
            }
            // The fine bound, from the coarse plane's dot kept by pass 1 and the fine plane's; never
            // below the coarse one.
            func fineBound(_ r: Int, coarse: Double, _ codes: UnsafePointer<Int8>) -> Double {
                let x = meta[r]
                let dl = Double(ts_nibble_dot(cPath, codes, index.fine + r * planeRow, groups))
                let dot = x.scale * query.scale * (16 * Double(coarseDots[r]) + dl - 128 * codeSum)
                return max(coarse, bound(x.fineNorm2, query.fineNorm2, dot, x.fineError + query.fineError))
            }
            // A first k-th distance, as near the final one as a few MB of reading gets it (the
            // nearer, the fewer rows pass 2 reads): the rows of smallest coarse bound ranked by
            // their fine bound, the best of those measured exactly. On a trained-like spectrum the
            // k nearest rarely have the k smallest coarse bounds, but nearly always rank among the
            // first thousands, and the fine bound orders them almost as the distance does.
            lower[row] = .infinity
            var scratch = lower
            let cut = NearestRowIndex.smallest(min(matrix.rows - 1, max(k, min(NearestRowIndex.seedCandidates, matrix.rows / 32))), of: &scratch)
            var byFine = TopRows(k: max(k, min(NearestRowIndex.seedRows, matrix.rows / 512)))
            codes.withUnsafeBufferPointer { codes in
                for r in 0..<matrix.rows where lower[r] <= cut && meta[r].finite {
                    byFine.offer(id: r, distance: fineBound(r, coarse: lower[r], codes.baseAddress!))
                }
            }
            for (r, _) in byFine.rows { visit(r) }
            for (r, _) in byFine.rows { lower[r] = .infinity }
            // Pass 2: the fine bound of every row the coarse one does not rule out.
            let seeded = best.worst
            codes.withUnsafeBufferPointer { codes in
                lower.withUnsafeMutableBufferPointer { lower in
                    index.parallelism.forEachRange(count: matrix.rows, minimumChunk: 2048) { range in
                        for r in range where meta[r].finite && lower[r] < .infinity {
                            lower[r] = ruledOut(lower[r], by: seeded) ? .infinity : fineBound(r, coarse: lower[r], codes.baseAddress!)
                        }
                    }
                }
            }
            // The exact distance of every row left, by increasing bound, until the bound passes the k-th.
            var candidates: [(bound: Double, id: Int)] = []
            for r in 0..<matrix.rows where lower[r] < .infinity && !ruledOut(lower[r], by: seeded) {
                candidates.append((lower[r], r))
            }
            candidates.sort { ($0.bound, $0.id) < ($1.bound, $1.id) }
            for candidate in candidates {
                if ruledOut(candidate.bound, by: best.worst) { break }
                visit(candidate.id)
            }
            return (best.rows, exact)
        }
    }
}

/// The k smallest (distance, id) pairs offered, ascending, NaN distances refused: the one selection
/// rule of the exact neighbour answers.
public struct TopRows {
    public let k: Int
    public private(set) var rows: [(id: Int, distance: Double)] = []

    public init(k: Int) {
        self.k = k
        rows.reserveCapacity(k + 1)
    }

    /// The k-th distance once k rows are held.
    public var worst: Double? { rows.count == k ? rows.last?.distance : nil }

    public mutating func offer(id: Int, distance: Double) {
        guard k > 0, !distance.isNaN else { return }
        if rows.count == k, let last = rows.last, (last.distance, last.id) < (distance, id) { return }
        var low = 0, high = rows.count
        while low < high {
            let mid = (low + high) / 2
            if (rows[mid].distance, rows[mid].id) < (distance, id) { low = mid + 1 } else { high = mid }
        }
        rows.insert((id, distance), at: low)
        if rows.count > k { rows.removeLast() }
    }
}

/// The k nearest rows to one row by the exact distance to every row (one pass over W).
public enum NearestRows {
    public static func scan(matrix: Matrix, row: Int, k: Int, path: SIMDPath = .best,
                            parallelism: Parallelism = .allCores) -> [(id: Int, distance: Double)] {
        guard k > 0 else { return [] }
        var best = TopRows(k: k)
        let distances = DistancesFromRow(matrix: matrix, row: row, path: path, parallelism: parallelism).distances
        for (id, distance) in distances.enumerated() where id != row {
            best.offer(id: id, distance: distance)
        }
        return best.rows
    }
}
