/// A rectangle in SVG user units (y down).
struct Rect {
    var x: Double
    var y: Double
    var w: Double
    var h: Double
    var maxX: Double { x + w }
    var maxY: Double { y + h }
}

/// The axes box of a plot: where the data area sits in the figure, how values map into it, and how
/// its grid, ticks, tick labels, axis labels and title are drawn.
struct Frame {
    var plot: Rect
    let x: ResolvedAxis
    let y: ResolvedAxis
    let font: Double
    /// Where the y-axis ticks and labels sit, when not at the left edge of the data area (a histogram's
    /// separate "= 0" panel sits between them).
    var yAxisX: Double? = nil
    /// Drop every other x tick label (or more) when they would collide; off for category labels.
    var thinXLabels = true
    static let tickLength = 5.0

    /// Margins sized from the labels: room for the y tick labels and the rotated y label on the left,
    /// the x tick labels and x label below, the title above. `extra*` reserve room for colour bars,
    /// legends or side panels.
    static func layout(width: Double, height: Double, hasTitle: Bool, x: ResolvedAxis, y: ResolvedAxis,
                       font: Double = 12, extraLeft: Double = 0, extraRight: Double = 0, extraBottom: Double = 0,
                       extraTop: Double = 0) -> Frame {
        let yTickWidth = y.tickLabels.map { SVGDocument.textWidth($0, size: font) }.max() ?? 0
        var left = 10 + tickLength + 4 + yTickWidth + extraLeft
        if !y.label.isEmpty { left += font * 1.2 + 8 }
        let lastX = x.tickLabels.last.map { SVGDocument.textWidth($0, size: font) / 2 } ?? 0
        let right = max(16, lastX + 6) + extraRight
        var bottom = tickLength + 4 + font * 1.1 + 8 + extraBottom
        if !x.label.isEmpty { bottom += font * 1.2 + 6 }
        let top = (hasTitle ? font * 1.25 + 18 : 12) + extraTop
        return Frame(plot: Rect(x: left, y: top, w: max(width - left - right, 10), h: max(height - top - bottom, 10)),
                     x: x, y: y, font: font)
    }

    /// Horizontal SVG position of data value `v` (NaN where the axis has no place for it).
    func px(_ v: Double) -> Double { plot.x + x.fraction(v) * plot.w }
    /// Vertical SVG position of data value `v`.
    func py(_ v: Double) -> Double { plot.maxY - y.fraction(v) * plot.h }

    /// Grid lines at the major ticks, under the data.
    func drawGrid(_ svg: inout SVGDocument) {
        let grid = "#e3e3e3"
        if x.grid {
            for t in x.ticks {
                let p = px(t)
                if p > plot.x + 0.5 && p < plot.maxX - 0.5 { svg.line(p, plot.y, p, plot.maxY, stroke: grid) }
            }
        }
        if y.grid {
            for t in y.ticks {
                let p = py(t)
                if p > plot.y + 0.5 && p < plot.maxY - 0.5 { svg.line(plot.x, p, plot.maxX, p, stroke: grid) }
            }
        }
    }

    /// The box, outward ticks (minor ones shorter), tick labels, axis labels and the title.
    func drawAxes(_ svg: inout SVGDocument, title: String?, showXTickLabels: Bool = true) {
        let ink = "#333"
        svg.rect(plot.x, plot.y, plot.w, plot.h, fill: "none", stroke: ink, strokeWidth: 1)
        var d = ""
        for t in x.minorTicks {
            let p = px(t)
            if p.isFinite { d += "M\(SVGDocument.num(p)) \(SVGDocument.num(plot.maxY))v\(SVGDocument.num(Self.tickLength * 0.6))" }
        }
        let yx = yAxisX ?? plot.x
        for t in y.minorTicks {
            let p = py(t)
            if p.isFinite { d += "M\(SVGDocument.num(yx)) \(SVGDocument.num(p))h\(SVGDocument.num(-Self.tickLength * 0.6))" }
        }
        for t in x.ticks {
            let p = px(t)
            if p.isFinite { d += "M\(SVGDocument.num(p)) \(SVGDocument.num(plot.maxY))v\(SVGDocument.num(Self.tickLength))" }
        }
        for t in y.ticks {
            let p = py(t)
            if p.isFinite { d += "M\(SVGDocument.num(yx)) \(SVGDocument.num(p))h\(SVGDocument.num(-Self.tickLength))" }
        }
        svg.path(d, stroke: ink, width: 1)

        if showXTickLabels {
            // Show every k-th label when they would collide.
            let widths = x.tickLabels.map { SVGDocument.textWidth($0, size: font) }
            var k = 1
            if x.ticks.count > 1 {
                let spacing = abs(px(x.ticks[1]) - px(x.ticks[0]))
                while thinXLabels && k < x.ticks.count && spacing * Double(k) < (widths.max() ?? 0) + font * 0.8 { k += 1 }
            }
            for (i, t) in x.ticks.enumerated() where i % k == 0 {
                let p = px(t)
                if p.isFinite {
                    svg.text(x.tickLabels[i], p, plot.maxY + Self.tickLength + 3, size: font, anchor: .middle, baseline: .top)
                }
            }
        }
        for (i, t) in y.ticks.enumerated() {
            let p = py(t)
            if p.isFinite { svg.text(y.tickLabels[i], yx - Self.tickLength - 4, p, size: font, anchor: .end, baseline: .middle) }
        }
        if !x.label.isEmpty {
            svg.text(x.label, plot.x + plot.w / 2, plot.maxY + Self.tickLength + 4 + font * 1.1 + 6 + font,
                     size: font * 1.05, anchor: .middle)
        }
        if !y.label.isEmpty {
            let yTickWidth = y.tickLabels.map { SVGDocument.textWidth($0, size: font) }.max() ?? 0
            let lx = yx - Self.tickLength - 4 - yTickWidth - 8 - font * 0.35
            svg.text(y.label, lx, plot.y + plot.h / 2, size: font * 1.05, anchor: .middle, rotate: -90)
        }
        if let title, !title.isEmpty {
            svg.text(title, plot.x + plot.w / 2, plot.y - 12, size: font * 1.2, anchor: .middle, bold: true)
        }
    }
}
