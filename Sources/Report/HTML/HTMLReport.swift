/// A self-contained, single-page HTML5 report: a title, headline numbers, a contents list, and
/// sections of paragraphs, figures (inline SVG), tables, notes and preformatted text. No scripts, no
/// external resources: the CSS is embedded, images are data URIs inside the SVG. Figures and tables
/// are numbered in order. Same content, same bytes (nothing depends on the clock or locale).
///
///     var report = HTMLReport(title: "TokenScope survey: Qwen3-4B")
///     report.keyFigures = [KeyFigure("Rows of W", "151,936"), KeyFigure("Cluster", "2,212 tokens")]
///     report.addSection("Norms", [.paragraph("…"), .figure(ReportFigure(svg: h.svg(), caption: "…"))])
///     let html = report.render()
public struct HTMLReport: Sendable, Hashable {
    public var title: String
    /// A line under the title (the model, the command that made the report).
    public var subtitle: String?
    /// Shown as cards under the title.
    public var keyFigures: [KeyFigure]
    public private(set) var sections: [ReportSection]
    /// Small print at the end (tool version, date as the caller wants it written).
    public var footer: String?
    /// List the sections at the top with links.
    public var tableOfContents: Bool

    public init(title: String, subtitle: String? = nil) {
        self.title = title
        self.subtitle = subtitle
        keyFigures = []
        sections = []
        footer = nil
        tableOfContents = true
    }

    public mutating func addKeyFigure(_ label: String, _ value: String, detail: String? = nil) {
        keyFigures.append(KeyFigure(label, value, detail: detail))
    }

    public mutating func addSection(_ section: ReportSection) {
        sections.append(section)
    }

    public mutating func addSection(_ title: String, id: String? = nil, _ blocks: [ReportBlock]) {
        sections.append(ReportSection(title, id: id, blocks: blocks))
    }

    /// The complete document.
    public func render() -> String {
        var ids: [String] = []
        var used: Set<String> = []
        for (i, s) in sections.enumerated() {
            var id = Self.slug(s.id ?? s.title)
            if id.isEmpty { id = "section-\(i + 1)" }
            // Anchors must be unique in the page.
            if used.contains(id) {
                var k = 2
                while used.contains("\(id)-\(k)") { k += 1 }
                id = "\(id)-\(k)"
            }
            used.insert(id)
            ids.append(id)
        }

        var h = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        h += "<title>" + Markup.escape(title) + "</title>\n<style>\n" + ReportStyle.css + "</style>\n</head>\n<body>\n<main>\n"
        h += "<header>\n<h1>" + Markup.escape(title) + "</h1>\n"
        if let subtitle, !subtitle.isEmpty { h += "<p class=\"subtitle\">" + Markup.escape(subtitle) + "</p>\n" }
        h += "</header>\n"
        if !keyFigures.isEmpty { h += "<section class=\"summary\" aria-label=\"Key figures\">\n" + Self.cards(keyFigures) + "</section>\n" }
        if tableOfContents && sections.count > 1 {
            h += "<nav class=\"toc\" aria-label=\"Contents\">\n<h2>Contents</h2>\n<ol>\n"
            for (s, id) in zip(sections, ids) { h += "<li><a href=\"#\(id)\">" + Markup.escape(s.title) + "</a></li>\n" }
            h += "</ol>\n</nav>\n"
        }
        var figure = 0, table = 0
        for (s, id) in zip(sections, ids) {
            h += "<section id=\"\(id)\">\n<h2>" + Markup.escape(s.title) + "</h2>\n"
            for b in s.blocks {
                switch b {
                case .paragraph(let t):
                    h += "<p>" + Markup.escape(t) + "</p>\n"
                case .figure(let f):
                    figure += 1
                    h += "<figure id=\"\(id)-figure-\(figure)\">\n<div class=\"panels\">\n" + f.panels.joined(separator: "\n") + "\n</div>\n"
                    h += "<figcaption><span class=\"label\">Figure \(figure).</span> " + Markup.escape(f.caption) + "</figcaption>\n</figure>\n"
                case .table(let t):
                    table += 1
                    h += "<div class=\"table-wrap\">" + t.html(number: table) + "</div>\n"
                case .preformatted(let t):
                    h += "<pre>" + Markup.escape(t) + "</pre>\n"
                case .note(let t, let kind):
                    let cls = kind == .warning ? "note warning" : "note"
                    let label = kind == .warning ? "Warning" : "Note"
                    h += "<aside class=\"\(cls)\"><strong>\(label):</strong> " + Markup.escape(t) + "</aside>\n"
                case .keyFigures(let k):
                    h += Self.cards(k)
                case .definitions(let items):
                    h += "<dl class=\"defs\">\n"
                    for item in items {
                        h += "<dt>" + Markup.escape(item.label) + "</dt><dd>" + Markup.escape(item.value)
                        if let d = item.detail, !d.isEmpty { h += " <span class=\"detail\">" + Markup.escape(d) + "</span>" }
                        h += "</dd>\n"
                    }
                    h += "</dl>\n"
                case .html(let raw):
                    h += raw + "\n"
                }
            }
            h += "</section>\n"
        }
        if let footer, !footer.isEmpty { h += "<footer>" + Markup.escape(footer) + "</footer>\n" }
        return h + "</main>\n</body>\n</html>\n"
    }

    private static func cards(_ figures: [KeyFigure]) -> String {
        var h = "<dl class=\"cards\">\n"
        for k in figures {
            h += "<div class=\"card\"><dt>" + Markup.escape(k.label) + "</dt><dd class=\"value\">" + Markup.escape(k.value) + "</dd>"
            if let d = k.detail, !d.isEmpty { h += "<dd class=\"detail\">" + Markup.escape(d) + "</dd>" }
            h += "</div>\n"
        }
        return h + "</dl>\n"
    }

    /// Lower-case ASCII letters, digits and hyphens from `s`, for element ids.
    static func slug(_ s: String) -> String {
        var out = ""
        var hyphen = false
        for u in s.lowercased().unicodeScalars {
            if (u >= "a" && u <= "z") || (u >= "0" && u <= "9") {
                out.unicodeScalars.append(u)
                hyphen = false
            } else if !hyphen && !out.isEmpty {
                out += "-"
                hyphen = true
            }
        }
        while out.hasSuffix("-") { out.removeLast() }
        // An id must not start with a digit for CSS selectors to stay simple.
        if let f = out.unicodeScalars.first, f >= "0" && f <= "9" { out = "s-" + out }
        return out
    }
}
