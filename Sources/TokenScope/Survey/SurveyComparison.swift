import Foundation
import JSON
import Report

/// Several surveys side by side (`tokenscope compare`): the figures that say how a vocabulary
/// died, read back from each `survey.json`.
public struct SurveyComparison: Sendable {
    public struct Row: Sendable {
        public var name: String
        public var figures: [Int?]
    }

    public static let columns = ["rows", "cluster tokens", "cluster vectors", "Big One", "black holes (vocabulary)",
                                 "unreachable", "unreachable in any context", "rows with no token"]
    public var rows: [Row]

    /// Reads each survey.json (or a survey folder holding one).
    public init(paths: [String]) throws {
        rows = try paths.map { path in
            var file = path
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                file = path + "/" + SurveyStage.summaryName
            }
            guard let data = FileManager.default.contents(atPath: file) else { throw StageError.unreadableInput(path: file, reason: "cannot read") }
            let json: JSONValue
            do { json = try JSONParser().parse(Array(data)) } catch { throw StageError.unreadableInput(path: file, reason: "\(error)") }
            guard json["tool"]?.stringValue?.hasPrefix("tokenscope") == true, let stages = json["stages"] else {
                throw StageError.unreadableInput(path: file, reason: "not a survey.json written by tokenscope survey")
            }
            let name = URL(fileURLWithPath: json["input"]?["path"]?.stringValue ?? file).pathComponents.suffix(2).joined(separator: "/")
            return Row(name: name, figures: [
                json["input"]?["rows"]?.intValue,
                stages["clusters"]?["giant"]?["tokens"]?.intValue,
                stages["clusters"]?["giant"]?["unique_vectors"]?.intValue,
                stages["core"]?["big_one"]?["population"]?.intValue,
                stages["black_holes"]?["groups"]?.intValue,
                stages["reachability"]?["unreachable"]?.intValue,
                stages["reachability"]?["witnesses"]?["unreachable_in_any_context"]?.intValue,
                stages["reachability"]?["no_token_rows"]?.intValue,
            ])
        }
    }

    public var json: JSONValue {
        .array(rows.map { row in
            .object([JSONMember(key: "model", value: .string(row.name))]
                + zip(Self.columns, row.figures).map { JSONMember(key: $0.0, value: $0.1.map { JSONValue($0) } ?? nil) })
        })
    }

    /// A self-contained page with the table and a grouped bar chart (log scale).
    public func html() -> String {
        var report = HTMLReport(title: "TokenScope: \(rows.count) models compared")
        let charted = [1, 3, 4, 5, 7]
        let chart = BarChart(categories: charted.map { Self.columns[$0] },
                             series: rows.map { row in Series(row.name, charted.map { Double(row.figures[$0] ?? 0) }) },
                             title: "Dead vocabulary by model", valueAxis: Axis("Count", scale: .log10), valueLabels: true,
                             width: 900, height: 420)
        report.addSection("Comparison", [
            .figure(ReportFigure(svg: chart.svg(), caption: "Cluster, Big One, black holes, unreachable tokens and tokenless rows per model (log scale; missing figures drawn as 0).")),
            .table(ReportTable(headers: ["Model"] + Self.columns,
                               rows: rows.map { [$0.name] + $0.figures.map { $0.map(NumberFormat.grouped) ?? "—" } }, caption: "Figures from each survey.json")),
        ])
        return report.render()
    }
}
