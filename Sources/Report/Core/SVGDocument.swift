import Foundation

/// A small SVG writer: elements appended in drawing order, numbers written with at most two decimals
/// so that output is compact and byte-for-byte reproducible.
struct SVGDocument {
    let width: Double
    let height: Double
    private(set) var body: [String] = []

    static let fontFamily = "DejaVu Sans, Helvetica, Arial, sans-serif"

    init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    /// `v` rounded to hundredths, without trailing zeros or a negative zero.
    static func num(_ v: Double) -> String {
        guard v.isFinite else { return "0" }
        let c = (v * 100).rounded()
        if c == 0 { return "0" }
        let neg = c < 0
        let m = Int64(abs(c))
        let whole = m / 100, frac = m % 100
        var s = neg ? "-" : ""
        s += String(whole)
        if frac != 0 {
            s += frac % 10 == 0 ? "." + String(frac / 10) : (frac < 10 ? ".0" : ".") + String(frac)
        }
        return s
    }

    mutating func raw(_ s: String) { body.append(s) }

    mutating func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, fill: String, stroke: String? = nil,
                       strokeWidth: Double = 1, opacity: Double = 1) {
        var s = "<rect x=\"\(Self.num(x))\" y=\"\(Self.num(y))\" width=\"\(Self.num(max(w, 0)))\" height=\"\(Self.num(max(h, 0)))\" fill=\"\(fill)\""
        if let stroke { s += " stroke=\"\(stroke)\" stroke-width=\"\(Self.num(strokeWidth))\"" }
        if opacity < 1 { s += " fill-opacity=\"\(Self.num(opacity))\"" }
        body.append(s + "/>")
    }

    mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String, width: Double = 1,
                       dash: String? = nil) {
        var s = "<line x1=\"\(Self.num(x1))\" y1=\"\(Self.num(y1))\" x2=\"\(Self.num(x2))\" y2=\"\(Self.num(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(Self.num(width))\""
        if let dash { s += " stroke-dasharray=\"\(dash)\"" }
        body.append(s + "/>")
    }

    /// A path from `d`, usually built with ``pathData(_:)``.
    mutating func path(_ d: String, fill: String = "none", stroke: String? = nil, width: Double = 1, dash: String? = nil, opacity: Double = 1) {
        guard !d.isEmpty else { return }
        var s = "<path d=\"\(d)\" fill=\"\(fill)\""
        if let stroke { s += " stroke=\"\(stroke)\" stroke-width=\"\(Self.num(width))\" stroke-linejoin=\"round\"" }
        if let dash { s += " stroke-dasharray=\"\(dash)\"" }
        if opacity < 1 { s += " opacity=\"\(Self.num(opacity))\"" }
        body.append(s + "/>")
    }

    mutating func circle(_ cx: Double, _ cy: Double, _ r: Double, fill: String, stroke: String? = nil, strokeWidth: Double = 1, opacity: Double = 1) {
        var s = "<circle cx=\"\(Self.num(cx))\" cy=\"\(Self.num(cy))\" r=\"\(Self.num(r))\" fill=\"\(fill)\""
        if let stroke { s += " stroke=\"\(stroke)\" stroke-width=\"\(Self.num(strokeWidth))\"" }
        if opacity < 1 { s += " fill-opacity=\"\(Self.num(opacity))\"" }
        body.append(s + "/>")
    }

    enum Anchor: String { case start, middle, end }
    /// Vertical placement of text relative to `y`.
    enum Baseline { case alphabetic, middle, top }

    /// Text, escaped here. `halo` paints a white outline behind it so it stays legible over data.
    mutating func text(_ string: String, _ x: Double, _ y: Double, size: Double, anchor: Anchor = .start,
                       baseline: Baseline = .alphabetic, bold: Bool = false, fill: String = "#222",
                       rotate: Double = 0, halo: Bool = false, italic: Bool = false) {
        var s = "<text x=\"\(Self.num(x))\" y=\"\(Self.num(y))\" font-size=\"\(Self.num(size))\""
        if anchor != .start { s += " text-anchor=\"\(anchor.rawValue)\"" }
        // dy offsets instead of dominant-baseline: every renderer honours them the same way.
        switch baseline {
        case .alphabetic: break
        case .middle: s += " dy=\"0.35em\""
        case .top: s += " dy=\"0.75em\""
        }
        if bold { s += " font-weight=\"bold\"" }
        if italic { s += " font-style=\"italic\"" }
        if fill != "#222" { s += " fill=\"\(fill)\"" }
        if rotate != 0 { s += " transform=\"rotate(\(Self.num(rotate)) \(Self.num(x)) \(Self.num(y)))\"" }
        if halo { s += " stroke=\"#fff\" stroke-width=\"3\" stroke-linejoin=\"round\" paint-order=\"stroke\"" }
        body.append(s + ">" + Markup.escape(string) + "</text>")
    }

    /// A raster image stretched over the rectangle.
    mutating func image(_ x: Double, _ y: Double, _ w: Double, _ h: Double, dataURI: String, pixelated: Bool = false) {
        var s = "<image x=\"\(Self.num(x))\" y=\"\(Self.num(y))\" width=\"\(Self.num(w))\" height=\"\(Self.num(h))\" preserveAspectRatio=\"none\""
        if pixelated { s += " style=\"image-rendering:pixelated\"" }
        body.append(s + " href=\"\(dataURI)\"/>")
    }

    /// Path data "M x y L x y …" for a polyline, breaking it at non-finite points.
    static func pathData(_ points: [(Double, Double)], closed: Bool = false) -> String {
        var d = ""
        var pen = false
        for (x, y) in points {
            guard x.isFinite, y.isFinite else {
                pen = false
                continue
            }
            d += (pen ? "L" : (d.isEmpty ? "M" : " M")) + num(x) + " " + num(y)
            pen = true
        }
        if closed && !d.isEmpty { d += "Z" }
        return d
    }

    /// The finished `<svg>` element, with `title` as its accessible name.
    func render(title: String) -> String {
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Self.num(width))\" height=\"\(Self.num(height))\" viewBox=\"0 0 \(Self.num(width)) \(Self.num(height))\" role=\"img\" font-family=\"\(Self.fontFamily)\">"
        s += "<title>" + Markup.escape(title) + "</title>"
        s += "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>"
        s += body.joined(separator: "\n")
        return s + "</svg>"
    }

    /// Approximate advance width of `s` at `size` in a DejaVu-like sans-serif, for layout.
    static func textWidth(_ s: String, size: Double) -> Double {
        var w = 0.0
        for ch in s {
            switch ch {
            case ".", ",", ":", ";", "'", "|", "!", "i", "l", "j", " ": w += 0.32
            case "f", "t", "r", "(", ")", "[", "]", "−", "-": w += 0.45
            case "m", "w", "M", "W", "%", "×": w += 0.88
            default: w += ch.isUppercase ? 0.7 : 0.6
            }
        }
        return w * size
    }
}
