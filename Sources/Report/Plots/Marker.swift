/// A labelled vertical line across a plot, e.g. a threshold `T = 0.002`.
public struct Marker: Sendable, Hashable {
    public var value: Double
    public var label: String
    public var color: RGBColor
    public var dashed: Bool

    public init(_ value: Double, label: String, color: RGBColor = .red, dashed: Bool = true) {
        self.value = value
        self.label = label
        self.color = color
        self.dashed = dashed
    }

    /// Draws the markers into the frame's data area, labels staggered from the top.
    static func draw(_ markers: [Marker], _ svg: inout SVGDocument, frame: Frame) {
        for (i, m) in markers.enumerated() {
            let x = frame.px(m.value)
            guard x.isFinite, x >= frame.plot.x - 0.01, x <= frame.plot.maxX + 0.01 else { continue }
            svg.line(x, frame.plot.y, x, frame.plot.maxY, stroke: m.color.css, width: 1.5, dash: m.dashed ? "6 4" : nil)
            guard !m.label.isEmpty else { continue }
            let y = frame.plot.y + 6 + frame.font * 1.35 * Double(i)
            let w = SVGDocument.textWidth(m.label, size: frame.font)
            let right = x + 4 + w > frame.plot.maxX - 4
            svg.text(m.label, right ? x - 4 : x + 4, y, size: frame.font, anchor: right ? .end : .start, baseline: .top,
                     fill: m.color.css, halo: true)
        }
    }
}
