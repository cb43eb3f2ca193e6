import Foundation
import TokenScopeCore

/// A histogram drawn from precomputed bin edges and counts, on linear or log axes.
///
/// Bars span their bins exactly; on a log y-axis empty bins draw nothing and the axis starts below the
/// smallest count so that a bin of one is visible. With a log x-axis, values that are exactly zero
/// (which the axis cannot place) go in ``zeroCount`` and are drawn as a separate "= 0" bar left of a
/// break in the axis. Vertical ``Marker``s label thresholds; an ``HistogramInset`` shows a zoom.
///
///     var h = Histogram(edges: b.edges, counts: b.counts, title: "Row norms",
///                       xAxis: Axis("L2 norm"), yAxis: Axis("Rows"))
///     h.markers = [Marker(1.087, label: "mean 1.087")]
///     let svg = h.svg()
public struct Histogram: Sendable {
    public var edges: [Double]
    public var counts: [Double]
    public var title: String
    public var xAxis: Axis
    public var yAxis: Axis
    public var color: RGBColor
    public var markers: [Marker]
    /// Values exactly zero (or negative), drawn as a separate "= 0" bar when set.
    public var zeroCount: Double?
    /// Lines of small text at the top left of the data area ("n = 151,936", "3 above range").
    public var notes: [String]
    public var inset: HistogramInset?
    public var width: Double
    public var height: Double

    /// - Parameters:
    ///   - edges: `counts.count + 1` increasing edges (log-spaced for a log x-axis).
    ///   - counts: one count per bin.
    public init(edges: [Double], counts: [Double], title: String, xAxis: Axis, yAxis: Axis = Axis("Count"),
                color: RGBColor = .blue, width: Double = 640, height: Double = 380) {
        self.edges = edges
        self.counts = counts
        self.title = title
        self.xAxis = xAxis
        self.yAxis = yAxis
        self.color = color
        markers = []
        zeroCount = nil
        notes = []
        inset = nil
        self.width = width
        self.height = height
    }

    /// A histogram of a ``Binning``; on a log x-axis its zero-or-negative count becomes the "= 0" bar.
    public init(_ binning: Binning, title: String, xAxis: Axis, yAxis: Axis = Axis("Count"), color: RGBColor = .blue) {
        self.init(edges: binning.edges, counts: binning.counts.map(Double.init), title: title, xAxis: xAxis, yAxis: yAxis, color: color)
        if xAxis.scale == .log10 && binning.zeroOrNegative > 0 { zeroCount = Double(binning.zeroOrNegative) }
    }

    /// The bins that can be drawn: edges and count finite, edges increasing (positive on a log x-axis).
    var bins: [(lo: Double, hi: Double, count: Double)] {
        guard edges.count == counts.count + 1 else { return [] }
        return counts.indices.compactMap { i in
            let a = edges[i], b = edges[i + 1], c = counts[i]
            guard a.isFinite, b.isFinite, c.isFinite, a < b, xAxis.scale == .linear || a > 0 else { return nil }
            return (a, b, c)
        }
    }

    /// The resolved axes for this data.
    func resolvedAxes(yTickTarget: Int = 6) -> (x: ResolvedAxis, y: ResolvedAxis) {
        let bins = self.bins
        let xr: (Double, Double)? = bins.isEmpty ? nil : (bins.map(\.lo).min() ?? 0, bins.map(\.hi).max() ?? 1)
        let x = ResolvedAxis(xAxis, dataRange: xr, nice: false, target: max(3, yTickTarget))
        var all = bins.map(\.count)
        if let z = zeroCount { all.append(z) }
        if let inset { all += inset.zoomCountsInMain ? inset.counts : [] }
        let maxCount = all.max() ?? 1
        var yAxis = self.yAxis
        if yAxis.limits == nil && yAxis.scale == .log10 {
            let minPos = all.filter { $0 > 0 }.min() ?? 1
            // Start half a step below the smallest count so that a bin of 1 still shows as a bar.
            let lo = minPos >= 1 ? 0.5 : minPos / 2
            let hi = Ticks.scaled(1, Int(Foundation.log10(max(maxCount, 1) * 1.5).rounded(.up)))
            yAxis.limits = lo...max(hi, lo * 10)
        }
        let y = ResolvedAxis(yAxis, dataRange: (0, max(maxCount, 1) * 1.05), nice: true, target: yTickTarget)
        return (x, y)
    }

    public func svg() -> String {
        let (x, y) = resolvedAxes()
        var svg = SVGDocument(width: width, height: height)
        var frame = Frame.layout(width: width, height: height, hasTitle: !title.isEmpty, x: x, y: y)
        var zeroPanel: Rect?
        if zeroCount != nil {
            // A narrow panel left of the main one, with its own box: zero has no place on a log axis.
            let zw = 34.0, gap = 20.0
            zeroPanel = Rect(x: frame.plot.x, y: frame.plot.y, w: zw, h: frame.plot.h)
            frame.yAxisX = frame.plot.x
            frame.plot.x += zw + gap
            frame.plot.w -= zw + gap
        }
        frame.drawGrid(&svg)
        if let zp = zeroPanel {
            for t in y.ticks {
                let p = frame.py(t)
                if p > zp.y + 0.5 && p < zp.maxY - 0.5 { svg.line(zp.x, p, zp.maxX, p, stroke: "#e3e3e3") }
            }
        }
        Self.drawBars(bins, &svg, frame: frame, color: color)
        if let zp = zeroPanel, let z = zeroCount {
            let top = max(frame.py(z), frame.plot.y)
            if top.isFinite && z > 0 {
                svg.rect(zp.x + 6, top, zp.w - 12, zp.maxY - top, fill: color.mixed(with: .black, 0.25).css)
            }
            svg.rect(zp.x, zp.y, zp.w, zp.h, fill: "none", stroke: "#333")
            svg.path("M\(SVGDocument.num(zp.x + zp.w / 2)) \(SVGDocument.num(zp.maxY))v\(SVGDocument.num(Frame.tickLength))", stroke: "#333")
            svg.text("= 0", zp.x + zp.w / 2, zp.maxY + Frame.tickLength + 3, size: frame.font, anchor: .middle, baseline: .top)
            // Axis-break marks on both sides of the gap.
            for bx in [zp.maxX, frame.plot.x] {
                svg.line(bx - 3, zp.maxY + 4, bx + 3, zp.maxY - 4, stroke: "#333")
            }
        }
        Marker.draw(markers, &svg, frame: frame)
        for (i, note) in notes.enumerated() {
            svg.text(note, frame.plot.x + 8, frame.plot.y + 8 + frame.font * 1.3 * Double(i), size: frame.font * 0.92,
                     baseline: .top, fill: "#444", halo: true)
        }
        frame.drawAxes(&svg, title: title)
        if let inset { inset.draw(&svg, in: frame, color: color, mainBins: bins) }
        return svg.render(title: title)
    }

    /// Filled bars and a darker step outline over them.
    static func drawBars(_ bins: [(lo: Double, hi: Double, count: Double)], _ svg: inout SVGDocument, frame: Frame, color: RGBColor) {
        // Bars rise from zero on a linear axis (which may extend below it) and from the bottom on a log one.
        let zero = frame.y.scale == .linear ? frame.py(0) : frame.plot.maxY
        let base = min(max(zero.isFinite ? zero : frame.plot.maxY, frame.plot.y), frame.plot.maxY)
        var fill = ""
        var outline: [(Double, Double)] = []
        for b in bins {
            let x0 = max(frame.px(b.lo), frame.plot.x), x1 = min(frame.px(b.hi), frame.plot.maxX)
            guard x0.isFinite, x1.isFinite, x1 > x0 else {
                outline.append((.nan, .nan))
                continue
            }
            var top = frame.py(b.count)
            if !top.isFinite || (frame.y.scale == .log10 && b.count <= 0) { top = base }
            top = min(max(top, frame.plot.y), frame.plot.maxY)
            if top != base {
                fill += "M\(SVGDocument.num(x0)) \(SVGDocument.num(base))V\(SVGDocument.num(top))H\(SVGDocument.num(x1))V\(SVGDocument.num(base))Z"
            }
            if let last = outline.last, last.0.isFinite, abs(last.0 - x0) > 0.01 { outline.append((.nan, .nan)) }
            if outline.last.map({ !$0.0.isFinite }) ?? true { outline.append((x0, base)) }
            outline.append((x0, top))
            outline.append((x1, top))
            outline.append((x1, base))
        }
        svg.path(fill, fill: color.mixed(with: .white, 0.15).css)
        svg.path(SVGDocument.pathData(outline), stroke: color.mixed(with: .black, 0.3).css, width: 0.8)
    }
}
