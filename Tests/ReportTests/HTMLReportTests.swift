import Foundation
import Testing
@testable import Report

@Suite("HTML report")
struct HTMLReportTests {
    @Test func structureAndEscaping() {
        var r = HTMLReport(title: "Survey <b>&</b>", subtitle: "model \"x\"")
        r.addKeyFigure("Rows", "151,936", detail: "d = 2560")
        r.addSection("Norms", [.paragraph("a < b"), .figure(ReportFigure(svg: "<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>", caption: "cap & more"))])
        r.addSection("Norms", [.note("careful <script>", .warning), .preformatted("x\n<y>")])
        let html = r.render()
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
        #expect(html.hasSuffix("</html>\n"))
        #expect(html.contains("<title>Survey &lt;b&gt;&amp;&lt;/b&gt;</title>"))
        #expect(html.contains("<p>a &lt; b</p>"))
        #expect(html.contains("Figure 1.</span> cap &amp; more"))
        #expect(html.contains("careful &lt;script&gt;"))
        #expect(!html.contains("<script"))
        #expect(html.contains("<pre>x\n&lt;y&gt;</pre>"))
        // Duplicate titles get distinct anchors, linked from the contents.
        #expect(html.contains("<section id=\"norms\">") && html.contains("<section id=\"norms-2\">"))
        #expect(html.contains("href=\"#norms-2\""))
        #expect(html.contains("<meta charset=\"utf-8\">"))
        #expect(!html.contains("http://") || !html.contains("src=\"http"))
    }

    @Test func tablesAlignNumbersAndCutLongTables() {
        let t = ReportTable(headers: ["id", "token", "norm"], rows: (0..<30).map { ["\($0)", "<t\($0)>", "0.\($0)"] },
                            caption: "Tokens", maxRows: 5)
        #expect(t.columns.map(\.kind) == [.number, .text, .number])
        let html = t.html(number: 3)
        #expect(html.contains("<caption><span class=\"label\">Table 3.</span> Tokens</caption>"))
        #expect(html.components(separatedBy: "<tr>").count - 1 == 6)   // header + 5 rows
        #expect(html.contains("… 25 more rows not shown"))
        #expect(html.contains("<td class=\"num\">4</td>"))
        #expect(html.contains("&lt;t4&gt;"))
        #expect(!html.contains("<t5>"))
        #expect(ReportTable.looksNumeric("−1,234.5") && ReportTable.looksNumeric("12%") && !ReportTable.looksNumeric("abc"))
    }

    /// A long table shows its first rows, folds the next ones behind a disclosure and counts what
    /// is left out, so that thousands of decoded tokens do not bury the page.
    @Test func longTablesFoldAndThenCut() {
        let t = ReportTable(headers: ["id"], rows: (0..<1_500).map { ["\($0)"] }, caption: "Ids", foldAfter: 20, maxRows: 1_200)
        let html = t.html(number: 1)
        let parts = html.components(separatedBy: "<details>")
        #expect(parts.count == 2)
        let visible = parts[0], folded = parts.count > 1 ? parts[1] : ""
        #expect(visible.components(separatedBy: "<tr>").count - 1 == 21)   // header + 20 rows
        #expect(visible.contains("<td class=\"num\">19</td>") && !visible.contains("<td class=\"num\">20</td>"))
        #expect(folded.hasPrefix("<summary>Show 1,180 more rows</summary><table><thead>"))
        #expect(folded.contains("<td class=\"num\">20</td>") && folded.contains("<td class=\"num\">1199</td>"))
        #expect(!folded.contains("<td class=\"num\">1200</td>"))
        #expect(folded.contains("… 300 more rows not shown") && !visible.contains("not shown"))

        // Short enough: no disclosure at all.
        let short = ReportTable(headers: ["id"], rows: [["1"], ["2"]], foldAfter: 20).html(number: 2)
        #expect(!short.contains("<details>") && short.components(separatedBy: "<tr>").count - 1 == 3)
    }

    @Test func tokenColumnsShowWhitespace() {
        let t = ReportTable(columns: [.init("token", .token)], rows: [[" a\u{0}"]])
        #expect(t.html(number: 1).contains("<td class=\"tok\">\u{2423}a\\x00</td>"))
    }

    @Test func slugs() {
        #expect(HTMLReport.slug("PCA frame & sky maps") == "pca-frame-sky-maps")
        #expect(HTMLReport.slug("1.4h clusters") == "s-1-4h-clusters")
        #expect(HTMLReport.slug("中文") == "")
    }

    @Test func sampleReportIsSelfContained() throws {
        let sample = SampleReport.make(scale: 0.02)
        let html = sample.html
        #expect(!html.contains("<script"))
        #expect(!html.contains("src=\"http") && !html.contains("href=\"http") && !html.contains("url(http") && !html.contains("@import"))
        let svgs = svgElements(html)
        #expect(svgs.count == sample.svgs.count)
        for s in svgs { #expect(xmlError(s) == nil) }
        #expect(html.contains("Figure 8.") || html.contains("Figure 7."))
        #expect(html.contains("more rows not shown"))
        // Control characters from token strings never reach the page.
        #expect(!html.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\n" && $0 != "\t") || (0x7F...0x9F).contains($0.value) })
    }

    /// With TOKENSCOPE_WRITE_SAMPLE=1, writes the full-size sample report for a screenshot:
    /// `TOKENSCOPE_WRITE_SAMPLE=1 swift test --filter writeSampleReport` then
    /// `scripts/screenshot-report.sh /tmp/tokenscope-report-sample.html /tmp/tokenscope-report-sample.png`.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["TOKENSCOPE_WRITE_SAMPLE"] == "1"))
    func writeSampleReport() throws {
        let sample = SampleReport.make(scale: 1, pixelDensity: 2)
        try sample.html.write(toFile: "/tmp/tokenscope-report-sample.html", atomically: true, encoding: .utf8)
    }
}
