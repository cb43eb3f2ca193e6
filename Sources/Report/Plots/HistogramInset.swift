import TokenScopeCore

/// A zoomed histogram drawn in a corner of a ``Histogram``'s data area, e.g. the narrow range around a
/// spike in the norm distribution, with its own (smaller) axes. The zoomed x-range is shaded in the
/// main plot.
public struct HistogramInset: Sendable {
    public var edges: [Double]
    public var counts: [Double]
    public var title: String
    public var xAxis: Axis
    public var yAxis: Axis
    /// `.topLeft`, `.topRight`, or `.automatic` (default; any other value too): the top corner whose
    /// part of the main histogram is lower, so that the inset hides less of it.
    public var placement: LegendPlacement
    /// Fraction of the main data area's width and height the inset takes.
    public var widthFraction: Double
    public var heightFraction: Double
    /// Shade the inset's x-range in the main plot.
    public var shadeRange: Bool
    /// Let the main y-axis range include these counts too (off by default).
    public var zoomCountsInMain: Bool

    public init(edges: [Double], counts: [Double], title: String = "Zoom", xAxis: Axis = Axis(), yAxis: Axis = Axis(),
                placement: LegendPlacement = .automatic, widthFraction: Double = 0.42, heightFraction: Double = 0.5) {
        self.edges = edges
        self.counts = counts
        self.title = title
        self.xAxis = xAxis
        self.yAxis = yAxis
        self.placement = placement
        self.widthFraction = widthFraction
        self.heightFraction = heightFraction
        shadeRange = true
        zoomCountsInMain = false
    }

    /// The inset of a ``Binning``'s bins.
    public init(_ binning: Binning, title: String = "Zoom") {
        self.init(edges: binning.edges, counts: binning.counts.map(Double.init), title: title)
    }

    func draw(_ svg: inout SVGDocument, in main: Frame, color: RGBColor, mainBins: [(lo: Double, hi: Double, count: Double)] = []) {
        var h = Histogram(edges: edges, counts: counts, title: title, xAxis: xAxis, yAxis: yAxis, color: color)
        h.width = main.plot.w * widthFraction
        h.height = main.plot.h * heightFraction
        let (x, y) = h.resolvedAxes(yTickTarget: max(2, Int(h.height / 45)))
        if shadeRange, let lo = edges.first, let hi = edges.last {
            let a = max(main.px(lo), main.plot.x), b = min(main.px(hi), main.plot.maxX)
            if a.isFinite, b.isFinite, b > a {
                svg.rect(a, main.plot.y, max(b - a, 1.5), main.plot.h, fill: "#000", opacity: 0.06)
            }
        }
        var left = placement == .topLeft
        if placement != .topLeft && placement != .topRight {
            // Highest bar (as a fraction of the plot height) under each candidate footprint.
            func peak(_ x0: Double, _ x1: Double) -> Double {
                mainBins.filter { main.px($0.hi) > x0 && main.px($0.lo) < x1 }
                    .map { 1 - (main.py($0.count) - main.plot.y) / main.plot.h }.filter(\.isFinite).max() ?? 0
            }
            left = peak(main.plot.x, main.plot.x + h.width + 6) < peak(main.plot.maxX - h.width - 6, main.plot.maxX)
        }
        let ox = left ? main.plot.x + 6 : main.plot.maxX - h.width - 6
        let oy = main.plot.y + 6
        svg.rect(ox, oy, h.width, h.height, fill: "#fff", stroke: "#999", strokeWidth: 0.8, opacity: 0.96)
        var frame = Frame.layout(width: h.width, height: h.height, hasTitle: !title.isEmpty, x: x, y: y, font: 10)
        frame.plot.x += ox
        frame.plot.y += oy - 4
        frame.drawGrid(&svg)
        Histogram.drawBars(h.bins, &svg, frame: frame, color: color)
        frame.drawAxes(&svg, title: title)
    }
}
