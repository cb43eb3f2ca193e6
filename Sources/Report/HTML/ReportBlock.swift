/// One piece of a ``ReportSection``, in reading order. All text is escaped when rendered, except the
/// SVG of figures and the markup of `.html`.
public enum ReportBlock: Sendable, Hashable {
    case paragraph(String)
    case figure(ReportFigure)
    case table(ReportTable)
    /// Monospace text with its line breaks kept (a command line, a file listing).
    case preformatted(String)
    /// A boxed remark; `.warning` boxes stand out.
    case note(String, NoteKind)
    /// Headline numbers as cards.
    case keyFigures([KeyFigure])
    /// Terms and their values as a two-column definition list (parameters, inputs, digests).
    case definitions([KeyFigure])
    /// Markup inserted verbatim: only for trusted, well-formed HTML.
    case html(String)

    public enum NoteKind: Sendable, Hashable {
        case info
        case warning
    }
}
