import ArgumentParser
import Foundation
import JSON
import Report
import TokenScope

extension TokenScopeCommand {
    struct Compare: ToolCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compare several surveys: cluster size, black holes, unreachable tokens, tokenless rows.",
            discussion: "Each argument is a survey.json or a survey folder. With --out, writes DIR/compare.html (table and chart).")

        @Argument(help: "survey.json files or survey folders.")
        var surveys: [String]

        @Option(help: ArgumentHelp("Write compare.html here.", valueName: "dir"))
        var out: String?

        @OptionGroup var common: CommonOptions

        var inputs: JSONValue { .inputs(["surveys": surveys, "out": out]) }

        func validate() throws {
            if surveys.isEmpty { throw ValidationError("give at least one survey") }
        }

        func body(_ terminal: Terminal) throws -> CommandOutput {
            let comparison = try SurveyComparison(paths: surveys)
            if let out {
                try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
                let writer = try AtomicFileWriter(destination: out + "/compare.html")
                try writer.write(Array(comparison.html().utf8))
                try writer.commit()
            }
            return CommandOutput(result: ["surveys": comparison.json]) {
                let header = ["model"] + SurveyComparison.columns
                let table = [header] + comparison.rows.map { [$0.name] + $0.figures.map { $0.map(NumberFormat.grouped) ?? "—" } }
                let widths = header.indices.map { c in table.map { $0[c].count }.max() ?? 0 }
                for line in table {
                    print(line.indices.map { c in c == 0 ? line[c].rightPadded(to: widths[c]) : line[c].leftPadded(to: widths[c]) }.joined(separator: "  "))
                }
                if let out { print("wrote \(out)/compare.html") }
            }
        }
    }
}
