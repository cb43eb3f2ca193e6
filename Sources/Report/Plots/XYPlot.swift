import Foundation

/// Lines, points or stems over numeric x and y axes (linear or log), drawn as SVG vectors: for up to a
/// few thousand points, such as a component-size distribution on log–log axes. Points that an axis
/// cannot place (≤ 0 on a log axis, NaN) are skipped, and a line breaks there.
///
///     let p = XYPlot(curves: [XYPlot.Curve("components", x: sizes, y: counts, style: .stems)],
///                    title: "Component sizes", xAxis: Axis("Size (rows)", scale: .log10),
///                    yAxis: Axis("Components", scale: .log10))
public struct XYPlot: Sendable {
    public enum Style: Sendable, Hashable {
        case line
        case points
        case linePoints
        /// A vertical line from the bottom of the plot to each point, with a dot on top.
        case stems
    }

    public struct Curve: Sendable, Hashable {
        public var name: String
        public var x: [Double]
        public var y: [Double]
        public var style: Style
        public var color: RGBColor?
        public var dashed: Bool

        public init(_ name: String, x: [Double], y: [Double], style: Style = .line, color: RGBColor? = nil, dashed: Bool = false) {
            self.name = name
            self.x = x
            self.y = y
            self.style = style
            self.color = color
            self.dashed = dashed
        }
    }

    public var curves: [Curve]
    public var title: String
    public var xAxis: Axis
    public var yAxis: Axis
    public var markers: [Marker]
    public var legend: LegendPlacement
    public var width: Double
    public var height: Double

    public init(curves: [Curve], title: String, xAxis: Axis, yAxis: Axis, width: Double = 640, height: Double = 360) {
        self.curves = curves
        self.title = title
        self.xAxis = xAxis
        self.yAxis = yAxis
        markers = []
        legend = curves.count > 1 ? .topRight : .none
        self.width = width
        self.height = height
    }

    public func svg() -> String {
        let xr = ResolvedAxis.range(curves.flatMap(\.x), scale: xAxis.scale)
        var yr = ResolvedAxis.range(curves.flatMap(\.y), scale: yAxis.scale)
        if yAxis.scale == .linear, let r = yr, curves.contains(where: { $0.style == .stems }) { yr = (min(r.0, 0), r.1) }
        // A little room around the data so that points on the extremes do not sit on the frame.
        func padded(_ r: (Double, Double)?, _ scale: AxisScale, keepZero: Bool) -> (Double, Double)? {
            guard let r, r.1 > r.0 else { return r }
            if scale == .log10 {
                let f = pow(r.1 / r.0, 0.04)
                return (r.0 / f, r.1 * f)
            }
            let p = (r.1 - r.0) * 0.04
            return (keepZero && r.0 == 0 ? 0 : r.0 - p, r.1 + p)
        }
        let stems = curves.contains { $0.style == .stems }
        let x = ResolvedAxis(xAxis, dataRange: padded(xr, xAxis.scale, keepZero: false), nice: true)
        let y = ResolvedAxis(yAxis, dataRange: padded(yr, yAxis.scale, keepZero: stems), nice: true)
        let entries = Legend(entries: curves.enumerated().map { i, c in
            Legend.Entry(label: c.name, color: c.color ?? RGBColor.series(i),
                         swatch: c.style == .points || c.style == .stems ? .disc : (c.dashed ? .dashedLine : .line))
        }, font: 12)
        var svg = SVGDocument(width: width, height: height)
        let frame = Frame.layout(width: width, height: height, hasTitle: !title.isEmpty, x: x, y: y,
                                 extraBottom: legend == .below ? entries.belowHeight(width: width) : 0)
        frame.drawGrid(&svg)
        let inside = { (px: Double, py: Double) -> Bool in
            px.isFinite && py.isFinite && px >= frame.plot.x - 0.5 && px <= frame.plot.maxX + 0.5 && py >= frame.plot.y - 0.5 && py <= frame.plot.maxY + 0.5
        }
        for (i, c) in curves.enumerated() {
            let color = (c.color ?? RGBColor.series(i)).css
            let pts = zip(c.x, c.y).map { (frame.px($0.0), frame.py($0.1)) }
            switch c.style {
            case .line, .linePoints:
                svg.path(SVGDocument.pathData(pts.map { inside($0.0, $0.1) ? $0 : (.nan, .nan) }), stroke: color, width: 1.8,
                         dash: c.dashed ? "6 4" : nil)
            case .stems:
                let bottom = y.scale == .linear ? min(max(frame.py(0), frame.plot.y), frame.plot.maxY) : frame.plot.maxY
                var d = ""
                for p in pts where inside(p.0, p.1) {
                    d += "M\(SVGDocument.num(p.0)) \(SVGDocument.num(bottom))V\(SVGDocument.num(p.1))"
                }
                svg.path(d, stroke: color, width: 1.2)
            case .points:
                break
            }
            if c.style != .line {
                for p in pts where inside(p.0, p.1) { svg.circle(p.0, p.1, 2.8, fill: color) }
            }
        }
        Marker.draw(markers, &svg, frame: frame)
        frame.drawAxes(&svg, title: title)
        entries.draw(&svg, frame: frame, placement: curves.count > 1 || legend == .below ? legend : .none, figureWidth: width, figureHeight: height)
        return svg.render(title: title)
    }
}
