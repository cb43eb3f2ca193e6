import Foundation
import TokenScopeCore

/// Points in polar coordinates (angle in degrees, radius), rasterised like ``ScatterPlot``: the
/// equatorial map of radius against longitude. 0° points right and angles grow anticlockwise (the
/// convention of `atan2(y, x)`); rings at 1-2-5 radii are labelled, spokes every 30°.
///
///     let p = PolarPlot(layers: [PointLayer("bulk", x: longitude, y: r, color: .gray)],
///                       title: "Equatorial map", radiusLabel: "r (model units)")
public struct PolarPlot: Sendable {
    /// Each layer's `x` holds angles in degrees, `y` radii (≥ 0).
    public var layers: [PointLayer]
    public var title: String
    /// What the radius measures, with its unit; written under the plot.
    public var radiusLabel: String
    /// What the angle measures; written under the plot with ``radiusLabel``.
    public var angleLabel: String
    /// Outer radius; default: the largest radius, rounded up to a ring.
    public var maxRadius: Double?
    public var legend: LegendPlacement
    public var pixelDensity: Double
    public var width: Double
    public var height: Double
    /// Threads for drawing the points (the picture is the same for any count).
    public var parallelism: Parallelism = .allCores

    public init(layers: [PointLayer], title: String, radiusLabel: String, width: Double = 560, height: Double = 600) {
        self.layers = layers
        self.title = title
        self.radiusLabel = radiusLabel
        angleLabel = "longitude (degrees)"
        maxRadius = nil
        legend = .below
        pixelDensity = 2
        self.width = width
        self.height = height
    }

    public func svg() -> String {
        let font = 12.0
        let dataMax = layers.flatMap(\.y).filter { $0.isFinite }.map { abs($0) }.max() ?? 1
        let rMax = maxRadius.flatMap { $0 > 0 ? $0 : nil } ?? Ticks.niceLimits(0, max(dataMax, 1e-300), target: 4).hi
        let rings = Ticks.linear(0, rMax, target: 4).filter { $0 > 0 }
        let entries = PointLayer.legend(layers, font: font)
        let top = (title.isEmpty ? 12 : font * 1.25 + 18) + font * 1.6
        let bottom = font * 1.6 + 10 + font * 1.3 + (legend == .below ? entries.belowHeight(width: width) : 0)
        let radius = max(10, min(width - 2 * (font * 3 + 8), height - top - bottom) / 2)
        let cx = width / 2, cy = top + radius
        var svg = SVGDocument(width: width, height: height)

        svg.circle(cx, cy, radius, fill: "#fafafa", stroke: "#333")
        for r in rings where r < rMax * (1 - 1e-9) { svg.circle(cx, cy, r / rMax * radius, fill: "none", stroke: "#dcdcdc") }
        var spokes = ""
        for a in stride(from: 0.0, to: 360, by: 30) {
            let t = a * .pi / 180
            spokes += "M\(SVGDocument.num(cx)) \(SVGDocument.num(cy))L\(SVGDocument.num(cx + radius * cos(t))) \(SVGDocument.num(cy - radius * sin(t)))"
        }
        svg.path(spokes, stroke: "#dcdcdc")

        // Points: a square raster around the disc.
        let frame = Frame(plot: Rect(x: cx - radius, y: cy - radius, w: 2 * radius, h: 2 * radius),
                          x: ResolvedAxis(Axis(limits: -1...1), dataRange: nil, nice: false),
                          y: ResolvedAxis(Axis(limits: -1...1), dataRange: nil, nice: false), font: font)
        var cartesian: [PointLayer] = []
        for l in layers {
            var c = l
            c.x = zip(l.x, l.y).map { a, r in r / rMax * cos(a * .pi / 180) }
            c.y = zip(l.x, l.y).map { a, r in r / rMax * sin(a * .pi / 180) }
            cartesian.append(c)
        }
        let raster = ScatterPlot.rasterize(cartesian, frame: frame, density: pixelDensity, parallelism: parallelism) { ($0 + 1) / 2 } y: { ($0 + 1) / 2 }
        svg.image(frame.plot.x, frame.plot.y, frame.plot.w, frame.plot.h, dataURI: raster.dataURI())

        // Ring labels along the 75° spoke, where they rarely sit on a tick label.
        let labelAngle = 75 * Double.pi / 180
        for (r, label) in zip(rings, NumberFormat.linearTickLabels(rings)) where r <= rMax * (1 + 1e-9) {
            let pr = r / rMax * radius
            svg.text(label, cx + pr * cos(labelAngle) + 3, cy - pr * sin(labelAngle), size: font * 0.9, baseline: .middle,
                     fill: "#555", halo: true)
        }
        for a in stride(from: 0.0, to: 360, by: 30) {
            let t = a * .pi / 180
            let label = NumberFormat.plotMinus(NumberFormat.fixed(a > 180 ? a - 360 : a, decimals: 0)) + "°"
            let lx = cx + (radius + 8) * cos(t), ly = cy - (radius + 8) * sin(t)
            let anchor: SVGDocument.Anchor = abs(cos(t)) < 0.3 ? .middle : (cos(t) > 0 ? .start : .end)
            let base: SVGDocument.Baseline = sin(t) > 0.7 ? .alphabetic : (sin(t) < -0.7 ? .top : .middle)
            svg.text(label, lx, ly, size: font, anchor: anchor, baseline: base)
        }
        if !title.isEmpty { svg.text(title, cx, 12 + font * 1.2, size: font * 1.2, anchor: .middle, bold: true) }
        let captionY = cy + radius + font * 1.6 + 10 + font
        svg.text("Angle: " + angleLabel + "; radius: " + radiusLabel, cx, captionY, size: font * 1.05, anchor: .middle)
        entries.draw(&svg, frame: frame, placement: legend == .below ? .below : legend, figureWidth: width, figureHeight: height)
        return svg.render(title: title)
    }
}
