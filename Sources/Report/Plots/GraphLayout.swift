import Foundation

/// Deterministic node positions for small graphs (a few hundred nodes): each connected component is laid
/// out by a fixed number of Fruchterman–Reingold iterations started from a circle (no random numbers),
/// and the components are packed in rows, largest first.
public enum GraphLayout {
    /// Positions in the unit square [0, 1]², one per node.
    ///
    /// - Parameters:
    ///   - nodeCount: nodes are 0..<nodeCount; edges naming other indices are ignored.
    ///   - iterations: force-layout steps per component.
    public static func forceDirected(nodeCount: Int, edges: [(Int, Int)], iterations: Int = 300) -> [(x: Double, y: Double)] {
        guard nodeCount > 0 else { return [] }
        let valid = edges.filter { $0.0 >= 0 && $0.1 >= 0 && $0.0 < nodeCount && $0.1 < nodeCount && $0.0 != $0.1 }
        let comps = components(nodeCount: nodeCount, edges: valid)
        var local = [(x: Double, y: Double)](repeating: (0, 0), count: nodeCount)
        var index = [Int](repeating: 0, count: nodeCount)
        var compOf = [Int](repeating: 0, count: nodeCount)
        for (ci, comp) in comps.enumerated() {
            for (k, v) in comp.enumerated() {
                index[v] = k
                compOf[v] = ci
            }
        }
        var compEdges = [[(Int, Int)]](repeating: [], count: comps.count)
        for (a, b) in valid { compEdges[compOf[a]].append((index[a], index[b])) }
        for (ci, comp) in comps.enumerated() {
            let pos = layoutComponent(count: comp.count, edges: compEdges[ci], iterations: iterations)
            for (k, v) in comp.enumerated() { local[v] = pos[k] }
        }
        // Shelf packing: each component gets a square cell of side ∝ √size, rows up to a target width.
        let sides = comps.map { Double($0.count).squareRoot() + 0.6 }
        let rowWidth = max(sides.first ?? 1, (sides.map { $0 * $0 }.reduce(0, +)).squareRoot() * 1.3)
        var placed = [(x: Double, y: Double)](repeating: (0, 0), count: nodeCount)
        var x = 0.0, y = 0.0, rowH = 0.0, totalW = 0.0
        for (comp, side) in zip(comps, sides) {
            if x > 0 && x + side > rowWidth {
                x = 0
                y += rowH
                rowH = 0
            }
            let inner = side - 0.6
            for v in comp {
                placed[v] = (x + 0.3 + local[v].x * inner, y + 0.3 + local[v].y * inner)
            }
            x += side
            rowH = max(rowH, side)
            totalW = max(totalW, x)
        }
        let totalH = y + rowH
        let scale = max(totalW, totalH, 1e-9)
        return placed.map { ($0.x / scale + (1 - totalW / scale) / 2, $0.y / scale + (1 - totalH / scale) / 2) }
    }

    /// Connected components, each sorted ascending; components ordered by size (descending), then by
    /// smallest node.
    static func components(nodeCount: Int, edges: [(Int, Int)]) -> [[Int]] {
        var parent = Array(0..<nodeCount)
        func find(_ v: Int) -> Int {
            var r = v
            while parent[r] != r { r = parent[r] }
            var c = v
            while parent[c] != r {
                let next = parent[c]
                parent[c] = r
                c = next
            }
            return r
        }
        for (a, b) in edges {
            let ra = find(a), rb = find(b)
            if ra != rb { parent[max(ra, rb)] = min(ra, rb) }
        }
        var groups: [Int: [Int]] = [:]
        for v in 0..<nodeCount { groups[find(v), default: []].append(v) }
        return groups.values.sorted { ($0.count, -($0.first ?? 0)) > ($1.count, -($1.first ?? 0)) }
    }

    /// Fruchterman–Reingold in the unit square, from evenly spaced points on a circle.
    static func layoutComponent(count n: Int, edges: [(Int, Int)], iterations: Int) -> [(x: Double, y: Double)] {
        if n == 1 { return [(0.5, 0.5)] }
        var px = (0..<n).map { 0.5 + 0.4 * cos(2 * Double.pi * Double($0) / Double(n)) }
        var py = (0..<n).map { 0.5 + 0.4 * sin(2 * Double.pi * Double($0) / Double(n)) }
        let k = (1.0 / Double(n)).squareRoot()
        var temperature = 0.1
        let cooling = temperature / Double(max(iterations, 1) + 1)
        for _ in 0..<max(iterations, 0) {
            var dx = [Double](repeating: 0, count: n), dy = [Double](repeating: 0, count: n)
            for i in 0..<n {
                for j in (i + 1)..<n {
                    var ddx = px[i] - px[j], ddy = py[i] - py[j]
                    var d2 = ddx * ddx + ddy * ddy
                    if d2 < 1e-12 {
                        // Coincident nodes: separate them along a fixed, index-dependent direction.
                        ddx = 1e-3 * Double(i - j)
                        ddy = 1e-3
                        d2 = ddx * ddx + ddy * ddy
                    }
                    let f = k * k / d2
                    dx[i] += ddx * f; dy[i] += ddy * f
                    dx[j] -= ddx * f; dy[j] -= ddy * f
                }
            }
            for (a, b) in edges {
                let ddx = px[a] - px[b], ddy = py[a] - py[b]
                let d = (ddx * ddx + ddy * ddy).squareRoot()
                let f = d / k
                dx[a] -= ddx * f; dy[a] -= ddy * f
                dx[b] += ddx * f; dy[b] += ddy * f
            }
            for i in 0..<n {
                let len = (dx[i] * dx[i] + dy[i] * dy[i]).squareRoot()
                if len > 0 {
                    let step = min(len, temperature)
                    px[i] += dx[i] / len * step
                    py[i] += dy[i] / len * step
                }
            }
            temperature -= cooling
        }
        // Normalise into the unit square, keeping the aspect ratio.
        let minX = px.min() ?? 0, maxX = px.max() ?? 1, minY = py.min() ?? 0, maxY = py.max() ?? 1
        let span = max(maxX - minX, maxY - minY, 1e-9)
        return (0..<n).map { ((px[$0] - minX) / span + (1 - (maxX - minX) / span) / 2,
                              (py[$0] - minY) / span + (1 - (maxY - minY) / span) / 2) }
    }
}
