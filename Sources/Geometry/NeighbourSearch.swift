import Foundation
import TokenScopeCore

/// A pair of points closer than the search radius, by index into the searched points (`i < j`).
public struct NearPair: Sendable, Equatable {
    public var i: Int32
    public var j: Int32
    /// The squared distance as `RowKernels.squaredDistance` computes it.
    public var squaredDistance: Double
}

/// Every pair of rows whose exact L2 distance is below a radius, without an n × n matrix.
///
/// The search never trusts an estimate: each pair it skips is skipped by a lower bound on its
/// distance, and each pair it keeps is measured by the exact kernel. The result is therefore the
/// same pair set as the all-pairs computation (a test checks it against brute force).
///
/// 1. Features: each point's norm and its values in the K dimensions of largest spread (estimated
///    on a sample; the choice affects speed only). For any two points both
///    |‖x‖ − ‖y‖| ≤ ‖x − y‖ and √Σₖ(xₖ − yₖ)² ≤ ‖x − y‖ hold, so either bound reaching R rules a
///    pair out.
/// 2. A grid on the four features of largest spread, with cells a little wider than R: two points
///    closer than R differ by at most one cell on every axis, so only neighbouring cells are
///    visited, each pair once (a half neighbourhood).
/// 3. Survivors of both bounds are measured with the exact kernel, with an early exit at R².
///
/// Bounds are compared with a relative margin of 1e-9, far above the ~1e-13 rounding error of
/// the feature sums, so rounding can only keep a pair for measurement, never drop one.
public struct NeighbourSearch {
    public let matrix: Matrix
    /// Row ids of the points (finite rows, typically one per group of identical rows).
    public let points: [Int]
    public let radius: Double
    /// The threads the searches run on; the pairs found do not depend on it.
    public let parallelism: Parallelism
    /// The features and their grid, built once for every search over these points (a census searches twice).
    private let grid: NeighbourGrid

    /// Dimensions used for the coordinate lower bound.
    public static let boundDimensions = 16

    /// Builds the points' features and grid: one read of their rows, or of 17 values of each when
    /// `rowNorms` gives the norms.
    /// - Parameter rowNorms: every row's norm, indexed by row id, as `RowNorms.norms` computes it.
    public init(matrix: Matrix, points: [Int], radius: Double, rowNorms: [Double]? = nil, parallelism: Parallelism = .allCores) {
        precondition(radius > 0 && radius.isFinite, "the search radius must be positive")
        precondition(rowNorms.map { $0.count == matrix.rows } ?? true, "one norm per row of the matrix")
        self.matrix = matrix
        self.points = points
        self.radius = radius
        self.parallelism = parallelism
        grid = matrix.run(GridBuilder(matrix: matrix, points: points, radius: radius, rowNorms: rowNorms, parallelism: parallelism))
    }

    /// All pairs closer than `radius`, sorted by (i, j). `progress` receives fractions in [0, 1].
    /// Holds every pair at once: for small sets and tests; a census streams with `forEachPair`.
    public func pairs(progress: ((Double) -> Void)? = nil) -> [NearPair] {
        var all: [NearPair] = []
        forEachPair(progress: progress) { all += $0 }
        all.sort { ($0.i, $0.j) < ($1.i, $1.j) }
        return all
    }

    /// Hands the pairs closer than `radius` to `visit` in batches, in no particular order, one
    /// batch at a time (calls come from several threads but never overlap), so memory stays
    /// linear in the points however many pairs there are. Pairs for which `skip(i, j)` holds are
    /// neither measured nor visited.
    public func forEachPair(skip: ((Int, Int) -> Bool)? = nil, progress: ((Double) -> Void)? = nil,
                            _ visit: ([NearPair]) -> Void) {
        withoutActuallyEscaping(visit) { visit in
            matrix.run(Search(matrix: matrix, points: points, grid: grid, radius: radius, parallelism: parallelism, skip: skip,
                              progress: progress, visit: visit))
        }
    }
}

/// Each point's features, row-major ([norm, x_d1, …, x_dk]), and the points sorted into cells a
/// little wider than the radius on the four features of largest spread.
private struct NeighbourGrid: Sendable {
    var stride = 1
    var features: [Double] = []
    var cells: [(key: UInt64, last: Int, cellA: Int, cellB: Int, cellC: Int)] = []
    /// Points by (cell key, last-axis cell, index); `runs` gives each cell key's range of `order`.
    var order: [Int] = []
    var runs: [UInt64: Range<Int>] = [:]
    var sortedLast: [Int] = []

    static let bound = (1 << 20) - 2

    /// The first three axes' cells in one key.
    static func packed(_ a: Int, _ b: Int, _ c: Int) -> UInt64 {
        func part(_ v: Int) -> UInt64 { UInt64(max(-bound, min(bound, v)) + (1 << 20)) }
        return part(a) << 42 | part(b) << 21 | part(c)
    }
}

private struct GridBuilder: FormatGeneric {
    let matrix: Matrix
    let points: [Int]
    let radius: Double
    let rowNorms: [Double]?
    let parallelism: Parallelism

    func run<E: StoredFloat>(_ format: E.Type) -> NeighbourGrid {
        let n = points.count
        guard n >= 2 else { return NeighbourGrid() }
        let kernels = RowKernels<E>(columns: matrix.columns)
        let k = min(NeighbourSearch.boundDimensions, matrix.columns)
        let dimensions = widestDimensions(count: k, kernels: kernels)

        let stride = k + 1
        var features = [Double](repeating: 0, count: n * stride)
        features.withUnsafeMutableBufferPointer { f in
            parallelism.forEachRange(count: n, minimumChunk: 256) { range in
                for i in range {
                    let p = matrix.rowPointer(points[i])
                    f[i * stride] = rowNorms?[points[i]] ?? kernels.squaredNorm(p).squareRoot()
                    for (slot, d) in dimensions.enumerated() {
                        f[i * stride + 1 + slot] = Double(E.load1(p + d * E.size))
                    }
                }
            }
        }

        // Grid axes: the four features of largest spread.
        let spreads = (0..<stride).map { spread(features, stride, $0) }
        let axes = Array((0..<stride).sorted { spreads[$0] != spreads[$1] ? spreads[$0] > spreads[$1] : $0 < $1 }.prefix(4))
        let width = radius * (1 + 1e-6)
        func cell(_ value: Double) -> Int {
            let c = (value / width).rounded(.down)
            return Int(max(-0x1p60, min(0x1p60, c)))
        }
        var grid = NeighbourGrid(stride: stride, features: features)
        grid.cells = (0..<n).map { i in
            let base = i * stride
            let a = cell(features[base + axes[0]])
            let b = axes.count > 1 ? cell(features[base + axes[1]]) : 0
            let c = axes.count > 2 ? cell(features[base + axes[2]]) : 0
            let last = axes.count > 3 ? cell(features[base + axes[3]]) : 0
            return (NeighbourGrid.packed(a, b, c), last, a, b, c)
        }
        let cells = grid.cells
        grid.order = (0..<n).sorted { cells[$0].key != cells[$1].key ? cells[$0].key < cells[$1].key
            : cells[$0].last != cells[$1].last ? cells[$0].last < cells[$1].last : $0 < $1 }
        var start = 0
        while start < n {
            var end = start + 1
            while end < n, cells[grid.order[end]].key == cells[grid.order[start]].key { end += 1 }
            grid.runs[cells[grid.order[start]].key] = start..<end
            start = end
        }
        grid.sortedLast = grid.order.map { cells[$0].last }
        return grid
    }

    /// Standard deviation of one feature column.
    func spread(_ features: [Double], _ stride: Int, _ column: Int) -> Double {
        let n = features.count / stride
        var mean = 0.0
        for i in 0..<n { mean += features[i * stride + column] }
        mean /= Double(n)
        var variance = 0.0
        for i in 0..<n { let d = features[i * stride + column] - mean; variance += d * d }
        return (variance / Double(n)).squareRoot()
    }

    /// The `count` dimensions with the largest variance on a deterministic sample of points.
    func widestDimensions<E: StoredFloat>(count: Int, kernels: RowKernels<E>) -> [Int] {
        let d = matrix.columns
        let step = max(1, points.count / 4096)
        var sum = [Double](repeating: 0, count: d), sumSquares = [Double](repeating: 0, count: d)
        var samples = 0.0
        for i in Swift.stride(from: 0, to: points.count, by: step) {
            let p = matrix.rowPointer(points[i])
            for c in 0..<d {
                let x = Double(E.load1(p + c * E.size))
                sum[c] += x
                sumSquares[c] += x * x
            }
            samples += 1
        }
        let variance = (0..<d).map { sumSquares[$0] / samples - (sum[$0] / samples) * (sum[$0] / samples) }
        return Array((0..<d).sorted { variance[$0] != variance[$1] ? variance[$0] > variance[$1] : $0 < $1 }.prefix(count))
    }
}

private struct Search: FormatGeneric {
    let matrix: Matrix
    let points: [Int]
    let grid: NeighbourGrid
    let radius: Double
    let parallelism: Parallelism
    let skip: ((Int, Int) -> Bool)?
    let progress: ((Double) -> Void)?
    let visit: ([NearPair]) -> Void

    /// Pairs a chunk holds before handing them on.
    static let batchSize = 4096

    func run<E: StoredFloat>(_ format: E.Type) {
        let n = points.count
        guard n >= 2 else { return }
        let kernels = RowKernels<E>(columns: matrix.columns)
        let stride = grid.stride, features = grid.features, cells = grid.cells, order = grid.order
        let runs = grid.runs, sortedLast = grid.sortedLast
        var offsets: [(Int, Int, Int)] = []
        for a in -1...1 { for b in -1...1 { for c in -1...1 where (a, b, c) > (0, 0, 0) { offsets.append((a, b, c)) } } }

        let radiusSquared = radius * radius
        let pruneAbove = radiusSquared * (1 + 1e-9)
        // Pairs are handed on in no particular order, so the cut changes only the balance between threads.
        let chunkRanges = Parallelism.ranges(count: n, chunks: min(n, 64 * parallelism.threads))
        let done = ChunkCounter()
        let visitLock = NSLock()
        _ = parallelism.map(chunks: chunkRanges.count) { chunk in
            var found: [NearPair] = []
            found.reserveCapacity(Self.batchSize)
            func handOn() {
                guard !found.isEmpty else { return }
                visitLock.lock()
                visit(found)
                visitLock.unlock()
                found.removeAll(keepingCapacity: true)
            }
            func consider(_ p: Int, _ q: Int) {
                if let skip, skip(p, q) { return }
                let fp = p * stride, fq = q * stride
                let dn = features[fp] - features[fq]
                if dn * dn > pruneAbove { return }
                var partial = 0.0
                for s in 1..<stride {
                    let d = features[fp + s] - features[fq + s]
                    partial += d * d
                    if partial > pruneAbove { return }
                }
                let d2 = kernels.squaredDistance(matrix.rowPointer(points[p]), matrix.rowPointer(points[q]), stopAt: radiusSquared)
                if d2 < radiusSquared {
                    found.append(NearPair(i: Int32(min(p, q)), j: Int32(max(p, q)), squaredDistance: d2))
                    if found.count == Self.batchSize { handOn() }
                }
            }
            func window(_ run: Range<Int>, from low: Int, to high: Int) -> Range<Int> {
                // Positions in `run` whose last-axis cell lies in low...high (sorted within a run).
                var lo = run.lowerBound, hi = run.upperBound
                while lo < hi { let mid = (lo + hi) / 2; if sortedLast[mid] < low { lo = mid + 1 } else { hi = mid } }
                var end = lo
                while end < run.upperBound, sortedLast[end] <= high { end += 1 }
                return lo..<end
            }
            for position in chunkRanges[chunk] {
                let p = order[position]
                let own = cells[p]
                if let run = runs[own.key] {
                    for position2 in window((position + 1)..<run.upperBound, from: own.last, to: own.last + 1) {
                        consider(p, order[position2])
                    }
                }
                for (da, db, dc) in offsets {
                    guard let run = runs[NeighbourGrid.packed(own.cellA + da, own.cellB + db, own.cellC + dc)] else { continue }
                    for position2 in window(run, from: own.last - 1, to: own.last + 1) { consider(p, order[position2]) }
                }
            }
            handOn()
            if let progress, let finished = done.take(below: Int.max) {
                progress(Double(finished + 1) / Double(chunkRanges.count))
            }
        }
    }
}
