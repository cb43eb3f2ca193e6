import Foundation

/// A table of text cells: columns aligned by kind (numbers right, in tabular figures), token strings
/// shown with visible whitespace; long tables folded after `foldAfter` rows (the rest behind a
/// "Show N more rows" disclosure, which needs no script) and cut after `maxRows` with a
/// "… N more rows" line. Every cell is escaped.
///
///     var t = ReportTable(columns: [.init("Token id", .number), .init("Token", .token), .init("Script")],
///                         rows: [["124", " the", "Latin"]], foldAfter: 20, maxRows: 2000)
public struct ReportTable: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case text
        /// Right-aligned, tabular figures.
        case number
        /// Monospace, whitespace and control characters made visible.
        case token
    }

    public struct Column: Sendable, Hashable {
        public var title: String
        public var kind: Kind
        public init(_ title: String, _ kind: Kind = .text) {
            self.title = title
            self.kind = kind
        }
    }

    public var columns: [Column]
    public var rows: [[String]]
    /// Shown above the table, numbered ("Table 2. …").
    public var caption: String
    /// Rows beyond this many are folded: in the page, hidden until the reader opens them.
    public var foldAfter: Int?
    /// Rows beyond this many are left out and counted in a last line.
    public var maxRows: Int?

    public init(columns: [Column], rows: [[String]], caption: String = "", foldAfter: Int? = nil, maxRows: Int? = nil) {
        self.columns = columns
        self.rows = rows
        self.caption = caption
        self.foldAfter = foldAfter
        self.maxRows = maxRows
    }

    /// A table whose columns are `.number` where every non-empty cell reads as a number
    /// ("1,234", "−0.5", "1.5e-05", "12%"), `.text` otherwise.
    public init(headers: [String], rows: [[String]], caption: String = "", foldAfter: Int? = nil, maxRows: Int? = nil) {
        let kinds = headers.indices.map { c -> Kind in
            let cells = rows.compactMap { c < $0.count ? $0[c] : nil }.filter { !$0.isEmpty }
            return !cells.isEmpty && cells.allSatisfy(Self.looksNumeric) ? .number : .text
        }
        self.init(columns: zip(headers, kinds).map { Column($0, $1) }, rows: rows, caption: caption, foldAfter: foldAfter, maxRows: maxRows)
    }

    static func looksNumeric(_ s: String) -> Bool {
        var t = s.replacingOccurrences(of: ",", with: "").replacingOccurrences(of: "\u{2212}", with: "-")
        if t.hasSuffix("%") { t.removeLast() }
        return Double(t.trimmingCharacters(in: .whitespaces)) != nil
    }

    /// The `<table>` element, and the folded rows in a `<details>` below it (a disclosure cannot
    /// sit inside a table); `number` is the table's number in the report.
    func html(number: Int) -> String {
        let kept = maxRows.map { min(max($0, 0), rows.count) } ?? rows.count
        let visible = foldAfter.map { min(max($0, 0), kept) } ?? kept
        var s = "<table>"
        if !caption.isEmpty {
            s += "<caption><span class=\"label\">Table \(number).</span> " + Markup.escape(caption) + "</caption>"
        }
        s += header + "<tbody>" + body(rows[..<visible])
        if visible == kept { s += omittedLine(rows.count - kept) }
        s += "</tbody></table>"
        if visible < kept {
            let folded = kept - visible
            s += "<details><summary>Show \(NumberFormat.grouped(folded)) more row\(folded == 1 ? "" : "s")</summary><table>"
                + header + "<tbody>" + body(rows[visible..<kept]) + omittedLine(rows.count - kept) + "</tbody></table></details>"
        }
        return s
    }

    private var header: String {
        "<thead><tr>" + columns.map { "<th" + Self.cssClass($0.kind) + " scope=\"col\">" + Markup.escape($0.title) + "</th>" }.joined()
            + "</tr></thead>"
    }

    private func body(_ slice: ArraySlice<[String]>) -> String {
        var s = ""
        for row in slice {
            s += "<tr>"
            for (i, c) in columns.enumerated() {
                let cell = i < row.count ? row[i] : ""
                let text = c.kind == .token ? Markup.escapeToken(cell) : Markup.escape(cell)
                s += "<td" + Self.cssClass(c.kind) + ">" + text + "</td>"
            }
            s += "</tr>"
        }
        return s
    }

    private func omittedLine(_ omitted: Int) -> String {
        guard omitted > 0 else { return "" }
        return "<tr class=\"more\"><td colspan=\"\(max(columns.count, 1))\">… \(NumberFormat.grouped(omitted)) more row\(omitted == 1 ? "" : "s") not shown</td></tr>"
    }

    private static func cssClass(_ k: Kind) -> String {
        switch k {
        case .text: return ""
        case .number: return " class=\"num\""
        case .token: return " class=\"tok\""
        }
    }
}
