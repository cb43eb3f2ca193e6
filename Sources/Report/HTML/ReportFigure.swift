/// A numbered figure: one or more SVG panels side by side (wrapping on narrow pages) and a caption.
///
///     ReportFigure(svg: histogram.svg(), caption: "Row norms; the spike at 0.371 is the dead cluster.")
public struct ReportFigure: Sendable, Hashable {
    /// SVG markup as produced by the plot types, inserted verbatim (it is not escaped).
    public var panels: [String]
    /// Plain text; escaped when rendered.
    public var caption: String

    public init(svg: String, caption: String) {
        self.init(panels: [svg], caption: caption)
    }

    public init(panels: [String], caption: String) {
        self.panels = panels
        self.caption = caption
    }
}
