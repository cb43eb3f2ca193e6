import ArgumentParser
import Foundation
import JSON
import Report
import TokenScope

/// The synthetic presets as command-line choices.
enum PresetName: String, CaseIterable, ExpressibleByArgument, InputValue {
    case tiny, small
    case qwen34b = "qwen3-4b"
    case realistic
    case realisticSmall = "realistic-small"

    var preset: SyntheticPreset {
        switch self {
        case .tiny: return .tiny
        case .small: return .small
        case .qwen34b: return .qwen3_4b
        case .realistic: return .realistic
        case .realisticSmall: return .realisticSmall
        }
    }
}

extension TokenScopeCommand {
    struct Synth: ToolCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a synthetic model directory with planted, known structure.",
            discussion: """
                Writes config.json, model.safetensors (tied BF16 embeddings), tokenizer.json (byte-level BPE with \
                unreachable entries) and truth.json (what was planted: cluster vectors and their ids, Big One, shells, \
                core and halo, tokenless rows, void, unreachable ids). Presets: tiny (618 × 64), small (8,040 × 256), \
                qwen3-4b (151,936 × 2,560, the census of Qwen3-4B-Instruct-2507 from the seed notebooks); realistic (the \
                qwen3-4b census with a trained-like bulk spectrum: power-law tail, PC2 and PC3 --gap apart, PC4 and PC5 \
                0.1 % apart, an anisotropic mean) and realistic-small (the same at the small size).
                """)

        @Option(help: ArgumentHelp("Output directory (the model directory).", valueName: "dir"))
        var out: String

        @Option(help: "Which planted structure to write.")
        var preset: PresetName = .small

        @Option(help: "Random seed: the same seed writes the same bytes.")
        var seed: UInt64 = 1

        @Option(help: ArgumentHelp("realistic presets: relative gap between the PC2 and PC3 eigenvalues (e.g. 0.1, 0.02, 0.001).",
                                   valueName: "fraction"))
        var gap: Double?

        @OptionGroup var common: CommonOptions

        var inputs: JSONValue { .inputs(["out": out, "preset": preset, "seed": seed, "gap": gap]) }

        func validate() throws {
            guard let gap else { return }
            guard preset.preset.spectrum != nil else { throw ValidationError("--gap applies to the realistic presets only") }
            guard gap >= 0, gap < 1 else { throw ValidationError("--gap must be in [0, 1) (got \(gap))") }
        }

        func body(_ terminal: Terminal) throws -> CommandOutput {
            var chosen = preset.preset
            if let gap { chosen.spectrum?.gap = gap }
            let truth = try SyntheticModel.generate(preset: chosen, seed: seed, directory: out, parallelism: common.parallelism,
                                                    progress: terminal.progress)
            return CommandOutput(result: truth.json) {
                print("wrote \(out): \(NumberFormat.grouped(truth.rows)) × \(NumberFormat.grouped(truth.columns)) BF16, \(NumberFormat.grouped(truth.tokenizerIDs)) token ids")
                print("planted: cluster of \(NumberFormat.grouped(truth.clusterTokens.count)) tokens on \(NumberFormat.grouped(truth.clusterVectors.count)) vectors, "
                      + "Big One \(NumberFormat.grouped(truth.bigOne.count)), \(NumberFormat.grouped(truth.tokenlessRows.count)) tokenless rows, \(NumberFormat.grouped(truth.unreachable.count)) unreachable tokens")
            }
        }
    }

    struct Demo: ToolCommand {
        static let configuration = CommandConfiguration(
            abstract: "Synthesise a model with planted structure, survey it, and set what was found beside what was planted.",
            discussion: """
                Writes the synthetic model into DIR/model, runs every stage of `survey` on it (census, \
                reachability and witnesses, maps, report) into DIR, and prints each planted item beside \
                what the survey found. Exits with status 1 on any mismatch. The last line is the path of \
                the report.
                """)

        @Option(help: ArgumentHelp("Working directory for the model and the outputs.", valueName: "dir"))
        var out: String = "tokenscope-demo"

        @Option(help: "Which synthetic model to survey.")
        var preset: PresetName = .small

        @Option(help: "Random seed of the synthetic model.")
        var seed: UInt64 = 1

        @OptionGroup var common: CommonOptions

        var inputs: JSONValue { .inputs(["out": out, "preset": preset, "seed": seed]) }

        func body(_ terminal: Terminal) throws -> CommandOutput {
            let result = try TokenScope.Demo.run(preset: preset.preset, seed: seed, directory: out, parallelism: common.parallelism,
                                                  progress: terminal.progress)
            return CommandOutput(result: result.summary, readable: {
                print("synthetic model \(preset.rawValue) (seed \(seed)) in \(result.directory)")
                let width = result.checks.map(\.name.count).max() ?? 0
                for check in result.checks {
                    print("\(check.agrees ? "✓" : "✗") \(check.name.rightPadded(to: width))  planted \(check.planted)  found \(check.found)")
                }
                print(result.agrees ? "the survey found exactly what was planted" : "MISMATCH between planted and found")
                printSurvey(result.survey)
            }, succeeded: result.agrees)
        }
    }
}
