import Foundation

/// Deterministic node positions for small graphs (a few hundred nodes): each connected component is laid
/// out by a fixed number of stress-majorization sweeps started from a circle (no random numbers), and
/// the components are packed in rows, largest first.
public enum GraphLayout {
    /// Positions in the unit square [0, 1]², one per node.
    ///
    /// - Parameters:
    ///   - nodeCount: nodes are 0..<nodeCount; edges naming other indices are ignored.
    ///   - iterations: layout sweeps per component.
    public static func layout(nodeCount: Int, edges: [(Int, Int)], iterations: Int = 200) -> [(x: Double, y: Double)] {
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

    /// Stress majorization (Gansner, Koren & North 2004) in the plane: positions whose distances match
    /// the graph's shortest-path distances, weighted by d⁻², from evenly spaced points on a circle.
    /// Lattice-like graphs come out as grids; no random numbers are used. Normalised to the unit square.
    static func layoutComponent(count n: Int, edges: [(Int, Int)], iterations: Int) -> [(x: Double, y: Double)] {
        if n == 1 { return [(0.5, 0.5)] }
        var adjacency = [[Int]](repeating: [], count: n)
        for (a, b) in edges {
            adjacency[a].append(b)
            adjacency[b].append(a)
        }
        // All-pairs shortest paths by breadth-first search (the component is connected).
        var dist = [Double](repeating: 0, count: n * n)
        var queue = [Int](repeating: 0, count: n)
        for s in 0..<n {
            var seen = [Bool](repeating: false, count: n)
            seen[s] = true
            queue[0] = s
            var head = 0, tail = 1
            var level = [Int](repeating: 0, count: n)
            while head < tail {
                let v = queue[head]
                head += 1
                for w in adjacency[v] where !seen[w] {
                    seen[w] = true
                    level[w] = level[v] + 1
                    queue[tail] = w
                    tail += 1
                }
            }
            for t in 0..<n { dist[s * n + t] = Double(max(level[t], t == s ? 0 : 1)) }
        }
        // Start on a circle whose circumference matches the path lengths, so the scale is about right.
        let r0 = Double(n) / (2 * Double.pi)
        var px = (0..<n).map { r0 * cos(2 * Double.pi * Double($0) / Double(n)) }
        var py = (0..<n).map { r0 * sin(2 * Double.pi * Double($0) / Double(n)) }
        for _ in 0..<max(iterations, 0) {
            for i in 0..<n {
                var sx = 0.0, sy = 0.0, sw = 0.0
                for j in 0..<n where j != i {
                    let d = dist[i * n + j]
                    let w = 1 / (d * d)
                    var dx = px[i] - px[j], dy = py[i] - py[j]
                    var len = (dx * dx + dy * dy).squareRoot()
                    if len < 1e-9 {
                        // Coincident nodes: push apart along a fixed, index-dependent direction.
                        dx = cos(Double(i - j))
                        dy = sin(Double(i - j))
                        len = 1
                    }
                    sx += w * (px[j] + d * dx / len)
                    sy += w * (py[j] + d * dy / len)
                    sw += w
                }
                px[i] = sx / sw
                py[i] = sy / sw
            }
        }
        let minX = px.min() ?? 0, maxX = px.max() ?? 1, minY = py.min() ?? 0, maxY = py.max() ?? 1
        let span = max(maxX - minX, maxY - minY, 1e-9)
        return (0..<n).map { ((px[$0] - minX) / span + (1 - (maxX - minX) / span) / 2,
                              (py[$0] - minY) / span + (1 - (maxY - minY) / span) / 2) }
    }
}
