/// A titled section of an ``HTMLReport``, listed in the report's contents.
///
///     var s = ReportSection("Norms")
///     s.add(.paragraph("L2 norm of every row of W."))
///     s.add(.figure(ReportFigure(svg: h.svg(), caption: "Row norms.")))
public struct ReportSection: Sendable, Hashable {
    public var title: String
    /// Anchor for links; default: made from the title.
    public var id: String?
    public var blocks: [ReportBlock]

    public init(_ title: String, id: String? = nil, blocks: [ReportBlock] = []) {
        self.title = title
        self.id = id
        self.blocks = blocks
    }

    public mutating func add(_ block: ReportBlock) {
        blocks.append(block)
    }
}
