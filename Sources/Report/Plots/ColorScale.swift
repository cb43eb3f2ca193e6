import Foundation

/// A mapping from values to colours (linear or log10 over given limits) and its drawn colour bar.
public struct ColorScale: Sendable, Hashable {
    public var colormap: Colormap
    public var scale: AxisScale
    public var lo: Double
    public var hi: Double
    /// Colour for values the scale cannot show (≤ 0 on a log scale, NaN).
    public var missingColor: RGBColor?
    /// Label beside the colour bar, with the unit.
    public var label: String

    public init(colormap: Colormap = .viridis, scale: AxisScale = .linear, lo: Double, hi: Double, label: String = "",
                missingColor: RGBColor? = nil) {
        self.colormap = colormap
        self.scale = scale
        self.lo = lo
        self.hi = hi
        self.label = label
        self.missingColor = missingColor
    }

    /// Position of `v` on the scale, clamped to [0, 1]; NaN when it has none.
    public func fraction(_ v: Double) -> Double {
        guard v.isFinite else { return .nan }
        let t: Double
        switch scale {
        case .linear: t = hi > lo ? (v - lo) / (hi - lo) : 0.5
        case .log10:
            guard v > 0, lo > 0, hi > lo else { return .nan }
            t = (log10(v) - log10(lo)) / (log10(hi) - log10(lo))
        }
        return min(max(t, 0), 1)
    }

    /// The colour for `v`; `nil` when the value has no colour (and no `missingColor` is set).
    public func color(_ v: Double) -> RGBColor? {
        let t = fraction(v)
        return t.isNaN ? missingColor : colormap.color(at: t)
    }

    var axis: ResolvedAxis {
        ResolvedAxis(Axis(label, scale: scale, limits: lo...max(hi, lo.nextUp)), dataRange: nil, nice: false, target: 5)
    }

    /// Width the colour bar needs right of the plot, labels included.
    func reservedWidth(font: Double) -> Double {
        let labelW = axis.tickLabels.map { SVGDocument.textWidth($0, size: font) }.max() ?? 0
        return 16 + 14 + Frame.tickLength + 4 + labelW + (label.isEmpty ? 0 : font * 1.3 + 8)
    }

    /// Draws the bar right of `plot`, as tall as it.
    func drawBar(_ svg: inout SVGDocument, beside plot: Rect, font: Double) {
        let ax = axis
        let x = plot.maxX + 16, w = 14.0
        var strip = Raster(width: 1, height: 256)
        for i in 0..<256 {
            strip.set(x: 0, y: 255 - i, colormap.color(at: Double(i) / 255))
        }
        svg.image(x, plot.y, w, plot.h, dataURI: strip.dataURI())
        svg.rect(x, plot.y, w, plot.h, fill: "none", stroke: "#333")
        var d = ""
        for t in ax.ticks {
            let f = ax.fraction(t)
            guard f.isFinite else { continue }
            d += "M\(SVGDocument.num(x + w)) \(SVGDocument.num(plot.maxY - f * plot.h))h\(SVGDocument.num(Frame.tickLength))"
        }
        svg.path(d, stroke: "#333")
        for (t, s) in zip(ax.ticks, ax.tickLabels) {
            let f = ax.fraction(t)
            guard f.isFinite else { continue }
            svg.text(s, x + w + Frame.tickLength + 3, plot.maxY - f * plot.h, size: font, baseline: .middle)
        }
        if !label.isEmpty {
            let labelW = ax.tickLabels.map { SVGDocument.textWidth($0, size: font) }.max() ?? 0
            svg.text(label, x + w + Frame.tickLength + 4 + labelW + 8 + font * 0.8, plot.y + plot.h / 2, size: font * 1.05,
                     anchor: .middle, rotate: 90)
        }
    }
}
