/// A node-link drawing of a small graph (up to a few hundred nodes), all SVG: edges as thin lines,
/// nodes as discs coloured by a value (with a colour bar) and sized by another. Positions come from
/// ``GraphLayout/layout(nodeCount:edges:iterations:)`` unless given.
///
///     var g = GraphPlot(nodeCount: 122, edges: latticeEdges, title: "Lattice graph of the core")
///     g.values = shellRadius            // colour
///     g.colorLabel = "L∞ distance to the Big One (ULP)"
///     g.sizes = populations             // area ∝ tokens per vector
public struct GraphPlot: Sendable {
    public var nodeCount: Int
    /// Pairs of node indices.
    public var edges: [GraphEdge]
    public var title: String
    /// One value per node, shown by colour with a colour bar; `nil`: one colour for all.
    public var values: [Double]?
    public var colormap: Colormap
    public var colorLabel: String
    /// One non-negative size per node (e.g. a population); disc area grows with it. `nil`: equal discs.
    public var sizes: [Double]?
    /// Node positions in the unit square (y down); `nil`: force-directed layout.
    public var positions: [GraphPoint]?
    /// Short labels drawn beside nodes (empty strings skip a node).
    public var labels: [String]?
    public var nodeColor: RGBColor
    /// A line of text under the drawing, e.g. "122 vectors, 180 edges, 3 components".
    public var caption: String
    public var width: Double
    public var height: Double

    public init(nodeCount: Int, edges: [GraphEdge], title: String, width: Double = 640, height: Double = 520) {
        self.nodeCount = max(nodeCount, 0)
        self.edges = edges
        self.title = title
        values = nil
        colormap = .viridis
        colorLabel = ""
        sizes = nil
        positions = nil
        labels = nil
        nodeColor = .blue
        caption = ""
        self.width = width
        self.height = height
    }

    public func svg() -> String {
        let font = 12.0
        let n = nodeCount
        let pos: [GraphPoint]
        if let p = positions, p.count == n {
            pos = p
        } else {
            pos = GraphLayout.layout(nodeCount: n, edges: edges.map { ($0.a, $0.b) }).map { GraphPoint(x: $0.x, y: 1 - $0.y) }
        }
        var colorScale: ColorScale?
        if let v = values, v.count == n, let lo = v.filter(\.isFinite).min(), let hi = v.filter(\.isFinite).max() {
            colorScale = ColorScale(colormap: colormap, lo: lo, hi: hi > lo ? hi : lo + 1, label: colorLabel)
        }
        let top = title.isEmpty ? 12.0 : font * 1.25 + 18
        let bottom = caption.isEmpty ? 12.0 : font * 2 + 8
        let right = colorScale.map { $0.reservedWidth(font: font) } ?? 0
        let plot = Rect(x: 16, y: top, w: max(width - 32 - right, 10), h: max(height - top - bottom, 10))
        var svg = SVGDocument(width: width, height: height)
        svg.rect(plot.x, plot.y, plot.w, plot.h, fill: "#fcfcfc", stroke: "#ccc")

        let maxSize = sizes.flatMap { $0.count == n ? $0.filter(\.isFinite).max() : nil } ?? 0
        let baseR = min(6.0, max(2.5, 0.22 * (plot.w * plot.h / Double(max(n, 1))).squareRoot() / 2))
        func radius(_ i: Int) -> Double {
            guard let s = sizes, s.count == n, maxSize > 0, s[i].isFinite, s[i] > 0 else { return baseR }
            // Area proportional to size, from baseR (smallest) up to 3·baseR (largest).
            return baseR * (1 + 2 * (s[i] / maxSize).squareRoot())
        }
        let pad = baseR * 3 + 4
        func at(_ i: Int) -> (Double, Double) {
            (plot.x + pad + pos[i].x * (plot.w - 2 * pad), plot.y + pad + pos[i].y * (plot.h - 2 * pad))
        }
        var d = ""
        for e in edges where e.a >= 0 && e.b >= 0 && e.a < n && e.b < n {
            let p = at(e.a), q = at(e.b)
            d += "M\(SVGDocument.num(p.0)) \(SVGDocument.num(p.1))L\(SVGDocument.num(q.0)) \(SVGDocument.num(q.1))"
        }
        svg.path(d, stroke: "#8a8a8a", width: 0.9, opacity: 0.8)
        // Larger discs first so small ones stay visible on top.
        let order = (0..<n).sorted { (radius($0), $1) > (radius($1), $0) }
        for i in order {
            let p = at(i)
            let c = colorScale.flatMap { cs in values.flatMap { cs.color($0[i]) } } ?? nodeColor
            svg.circle(p.0, p.1, radius(i), fill: c.css, stroke: "#222", strokeWidth: 0.6)
        }
        if let labels, labels.count == n {
            for i in 0..<n where !labels[i].isEmpty {
                let p = at(i)
                svg.text(labels[i], p.0 + radius(i) + 2, p.1, size: font * 0.8, baseline: .middle, fill: "#333", halo: true)
            }
        }
        if !title.isEmpty { svg.text(title, plot.x + plot.w / 2, plot.y - 12, size: font * 1.2, anchor: .middle, bold: true) }
        if !caption.isEmpty { svg.text(caption, plot.x + plot.w / 2, plot.maxY + font * 1.6, size: font, anchor: .middle, fill: "#444") }
        colorScale?.drawBar(&svg, beside: plot, font: font)
        return svg.render(title: title)
    }
}
