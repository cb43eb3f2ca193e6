/// How a legend entry's swatch is drawn.
public enum LegendSwatch: Sendable, Hashable {
    case box
    case disc
    case line
    case dashedLine
}

/// Where a plot places its legend.
public enum LegendPlacement: Sendable, Hashable {
    case topRight, topLeft, bottomRight, bottomLeft
    /// In a row under the x-axis label, outside the data area.
    case below
    /// Chosen by the plot (an ``HistogramInset`` takes the top corner over lower data); legends go top right.
    case automatic
    case none
}

/// A legend drawn as a white box (or a row under the plot) of swatches and labels.
struct Legend {
    struct Entry {
        var label: String
        var color: RGBColor
        var swatch: LegendSwatch
    }
    var entries: [Entry]
    var font: Double

    private var lineHeight: Double { font * 1.6 }

    /// Width of each entry in a `.below` legend.
    private var belowWidths: [Double] {
        let size = font * 0.95
        return entries.map { size * 1.6 + 6 + SVGDocument.textWidth($0.label, size: size) + size * 1.4 }
    }

    /// Entries packed into lines no wider than `width`, greedily, in order.
    private func belowLines(width: Double) -> [[Int]] {
        var lines: [[Int]] = []
        var used = Double.infinity
        for (i, w) in belowWidths.enumerated() {
            if used + w > width, !(lines.last?.isEmpty ?? true) || lines.isEmpty {
                lines.append([])
                used = 0
            }
            lines[lines.count - 1].append(i)
            used += w
        }
        return lines
    }

    /// Height a `.below` legend needs under a figure `width` wide: one line per row of entries, so a
    /// long legend wraps instead of running off the figure.
    func belowHeight(width: Double) -> Double {
        entries.isEmpty ? 0 : Double(belowLines(width: width - 24).count) * lineHeight + 4
    }

    func draw(_ svg: inout SVGDocument, frame: Frame, placement: LegendPlacement, figureWidth: Double, figureHeight: Double) {
        guard !entries.isEmpty, placement != .none else { return }
        let size = font * 0.95
        let swatchW = size * 1.6
        let lineH = size * 1.45
        if placement == .below {
            let widths = belowWidths
            let lines = belowLines(width: figureWidth - 24)
            var y = figureHeight - belowHeight(width: figureWidth) + 2 + lineHeight / 2
            for line in lines {
                let total = line.reduce(0) { $0 + widths[$1] }
                var x = max(12, min(frame.plot.x + (frame.plot.w - total) / 2, figureWidth - 12 - total))
                for i in line {
                    drawSwatch(&svg, entries[i], x: x, y: y, w: swatchW, size: size)
                    svg.text(entries[i].label, x + swatchW + 6, y, size: size, baseline: .middle)
                    x += widths[i]
                }
                y += lineHeight
            }
            return
        }
        let textW = entries.map { SVGDocument.textWidth($0.label, size: size) }.max() ?? 0
        let boxW = 8 + swatchW + 6 + textW + 8
        let boxH = 6 + lineH * Double(entries.count) + 4
        let inset = 8.0
        let bx: Double, by: Double
        switch placement {
        case .topLeft, .bottomLeft: bx = frame.plot.x + inset
        default: bx = frame.plot.maxX - inset - boxW
        }
        switch placement {
        case .bottomLeft, .bottomRight: by = frame.plot.maxY - inset - boxH
        default: by = frame.plot.y + inset
        }
        svg.rect(bx, by, boxW, boxH, fill: "#fff", stroke: "#bbb", strokeWidth: 0.8, opacity: 0.9)
        for (i, e) in entries.enumerated() {
            let cy = by + 6 + lineH * (Double(i) + 0.5)
            drawSwatch(&svg, e, x: bx + 8, y: cy, w: swatchW, size: size)
            svg.text(e.label, bx + 8 + swatchW + 6, cy, size: size, baseline: .middle)
        }
    }

    private func drawSwatch(_ svg: inout SVGDocument, _ e: Entry, x: Double, y: Double, w: Double, size: Double) {
        switch e.swatch {
        case .box: svg.rect(x, y - size * 0.4, w, size * 0.8, fill: e.color.css)
        case .disc: svg.circle(x + w / 2, y, size * 0.35, fill: e.color.css)
        case .line: svg.line(x, y, x + w, y, stroke: e.color.css, width: 2)
        case .dashedLine: svg.line(x, y, x + w, y, stroke: e.color.css, width: 1.5, dash: "5 3")
        }
    }
}
