import ArgumentParser
import Foundation
import JSON
import Report
import TokenScope

extension TokenScopeCommand {
    struct Norms: ToolCommand {
        static let configuration = CommandConfiguration(
            abstract: "L2 norm of every row: count, mean, std, min, max and histograms (notebook 1.2a).",
            discussion: """
                Norms are accumulated in double precision; std is the population standard deviation (NumPy's \
                default). Histograms have 100 bins over [min, max], and a zoom over the 1st–99th percentile \
                (or --zoom lo,hi). Rows holding NaN or infinity are reported and left out. With --out, writes \
                DIR/1.2a_norms.safetensors = {norms: F32 [V]}.
                """)

        @Argument(help: "W: a safetensors file (W.safetensors) or a model directory.")
        var model: String

        @Option(help: ArgumentHelp("Also write the norms to DIR/1.2a_norms.safetensors.", valueName: "dir"))
        var out: String?

        @Option(parsing: .unconditional, help: ArgumentHelp("Window of the zoom histogram (default: 1st to 99th percentile).", valueName: "lo,hi"),
                transform: Interval.parse)
        var zoom: Interval?

        @OptionGroup var source: MatrixOptions
        @OptionGroup var common: CommonOptions

        var inputs: JSONValue { .inputs(["model": model, "out": out, "zoom": zoom?.bounds], source) }

        func body(_ terminal: Terminal) throws -> CommandOutput {
            let loaded = try source.load(model, parallelism: common.parallelism)
            terminal.progress("row norms", 0)
            let result = try NormStage.run(matrix: loaded.matrix, input: model, zoom: zoom?.range, outputDirectory: out,
                                           parallelism: common.parallelism)
            let summary: JSONValue = ["matrix": loaded.description, "norms": result.summary]
            return CommandOutput(result: summary) {
                let m = loaded.matrix
                print("W: \(NumberFormat.grouped(m.rows)) × \(NumberFormat.grouped(m.columns)) \(m.format.rawValue)")
                if !result.norms.nonFiniteRows.isEmpty {
                    print("skipped \(NumberFormat.grouped(result.norms.nonFiniteRows.count)) rows holding NaN or infinity: \(result.norms.nonFiniteRows.prefix(10).map(String.init).joined(separator: ", "))")
                }
                guard let s = result.norms.statistics else { print("no finite rows: no statistics"); return }
                print(String(format: "norms of %@ rows: mean %.6f  std %.6f  min %.6f  max %.6f", NumberFormat.grouped(s.count), s.mean, s.standardDeviation, s.minimum, s.maximum))
                if let zoom = result.zoom {
                    print(String(format: "zoom window [%.6f, %.6f]: ", zoom.lower, zoom.upper) + "\(NumberFormat.grouped(zoom.below)) below, \(NumberFormat.grouped(zoom.above)) above")
                }
                if let path = result.path { print("wrote \(path)") }
            }
        }
    }
}

/// A closed interval given as `lo,hi` on the command line.
struct Interval {
    var range: ClosedRange<Double>

    init(_ range: ClosedRange<Double>) { self.range = range }

    /// The option's `transform:`, so that a malformed value is answered with the form expected.
    static let parse: @Sendable (String) throws -> Interval = { text in
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 2, let low = parts[0], let high = parts[1], low.isFinite, high.isFinite, low <= high else {
            throw ArgumentValue.OutOfRange(description: "must be two finite numbers lo,hi with lo ≤ hi")
        }
        return Interval(low...high)
    }

    /// As help shows a default: `lo,hi`.
    var text: String { "\(range.lowerBound),\(range.upperBound)" }

    /// As the JSON envelope records it: [lo, hi].
    var bounds: [Double] { [range.lowerBound, range.upperBound] }
}
