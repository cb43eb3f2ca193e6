import ArgumentParser
import Foundation
import TokenScope

extension TokenScopeCommand {
    struct Compare: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compare several surveys: cluster size, black holes, unreachable tokens, tokenless rows.",
            discussion: "Each argument is a survey.json or a survey folder. With --out, writes DIR/compare.html (table and chart).")

        @Argument(help: "survey.json files or survey folders.")
        var surveys: [String]

        @Option(help: ArgumentHelp("Write compare.html here.", valueName: "dir"))
        var out: String?

        @OptionGroup var common: CommonOptions

        func validate() throws {
            if surveys.isEmpty { throw ValidationError("give at least one survey") }
        }

        func run() throws {
            let terminal = common.terminal()
            try terminal.run {
                let comparison = try SurveyComparison(paths: surveys)
                if let out {
                    try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
                    let writer = try AtomicFileWriter(destination: out + "/compare.html")
                    try writer.write(Array(comparison.html().utf8))
                    try writer.commit()
                }
                terminal.emit(comparison.json) {
                    let header = ["model"] + SurveyComparison.columns
                    let table = [header] + comparison.rows.map { [$0.name] + $0.figures.map { $0.map(\.grouped) ?? "—" } }
                    let widths = header.indices.map { c in table.map { $0[c].count }.max() ?? 0 }
                    for line in table {
                        print(line.indices.map { c in c == 0 ? line[c].padding(toLength: widths[c], withPad: " ", startingAt: 0)
                            : String(repeating: " ", count: widths[c] - line[c].count) + line[c] }.joined(separator: "  "))
                    }
                    if let out { print("wrote \(out)/compare.html") }
                }
            }
        }
    }
}
