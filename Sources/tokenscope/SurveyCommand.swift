import ArgumentParser
import Foundation
import Geometry
import JSON
import TokenScope

extension TokenScopeCommand {
    struct Survey: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run every stage on a model: all the notebooks' files, survey.json and report.html.",
            discussion: """
                MODEL is a model directory (W and tokenizer.json together), a GGUF file, or a safetensors file (with
                --tokenizer for the tokenizer stages). Writes into DIR: W.safetensors, 1.2a_norms, 1.3a_sky_coordinates,
                1.4a_spike_token_ids, 1.4h_cluster_tokens, 1.11i_core_cluster_tokens, 1.8d_full_vocab_reachability
                (+ 1.8d_token_table.csv), 1.8e_unreachable_tokens, survey.json (every figure, parameter, the input's
                SHA-256 and each stage's time) and report.html (self-contained: open it in any browser).
                Stages that cannot run on this input are skipped with the reason, in the report and the JSON.
                """)

        @Argument(help: "A model directory, a GGUF file or a safetensors file.")
        var model: String

        @Option(help: ArgumentHelp("Output directory.", valueName: "dir"))
        var out: String

        @Option(help: ArgumentHelp("A tokenizer other than the model's own (tokenizer.json, model directory, GGUF, .tiktoken).", valueName: "path"))
        var tokenizer: String?

        @Option(help: ArgumentHelp("Pre-tokenisation regex for a .tiktoken tokenizer.", valueName: "regex"))
        var pattern: String?

        @Option(help: "Adjacency threshold (exact L2, F32).")
        var threshold: Float = 0.002

        @Option(name: .customLong("max-core-radius-ulp"), help: "Core radius around the Big One, in ULP.")
        var maxCoreRadiusULP: Double = 3

        @Flag(name: .customLong("clusters-in-spike-box"), help: "Build the neighbour graph over the spike box only, as the notebooks did (default: every row).")
        var clustersInSpikeBox = false

        @Option(name: .customLong("distances-up-to"), help: ArgumentHelp("Also write the spike box's n × n distances (1.4b) when it holds at most this many rows.", valueName: "n"))
        var distancesUpTo: Int?

        @Flag(name: .customLong("no-witnesses"), help: "Skip the witness search for unreachable tokens.")
        var noWitnesses = false

        @Flag(name: .customLong("no-extract"), help: "Do not write W.safetensors (a full copy of the matrix).")
        var noExtract = false

        @OptionGroup var source: MatrixOptions
        @OptionGroup var common: CommonOptions

        func validate() throws {
            guard threshold > 0, threshold.isFinite else { throw ValidationError("--threshold must be a positive number") }
            guard maxCoreRadiusULP >= 0 else { throw ValidationError("--max-core-radius-ulp must not be negative") }
        }

        func run() throws {
            let terminal = common.terminal()
            try terminal.run {
                var options = SurveyOptions()
                options.threshold = threshold
                options.maxCoreRadiusULP = maxCoreRadiusULP
                options.clustersFromSpikeBox = clustersInSpikeBox
                options.tokenizerPath = tokenizer
                options.tokenizerPattern = pattern
                options.searchWitnesses = !noWitnesses
                options.extractW = !noExtract
                options.distancesUpTo = distancesUpTo
                let result = try SurveyStage.run(modelPath: model, tensor: source.tensor, role: source.matrix, options: options,
                                                 outputDirectory: out, progress: terminal.progress)
                terminal.emit(SurveyStage.summary(result)) {
                    print(result.loaded.headline)
                    if let giant = result.clusters.census.giant {
                        print("giant cluster: \(giant.tokens.count.grouped) tokens on \(giant.uniqueVectors) vectors")
                    }
                    if let core = result.core?.census {
                        print("Big One \(core.bigOne.population.grouped) tokens; core \(core.coreTokens.count.grouped), halo \(core.haloTokens.count)")
                    }
                    if let reach = result.reachability {
                        print("unreachable \(reach.lists.allUnreachable.count.grouped) of \(reach.roundTrip.idCount.grouped); rows with no token \(reach.lists.rowsWithoutToken.count.grouped)")
                    }
                    for skip in result.skipped { print("skipped \(skip.stage): \(skip.reason)") }
                    let total = result.timings.reduce(0) { $0 + $1.seconds }
                    print(String(format: "wrote %d files to %@ in %.1f s; open %@/report.html", result.files.count, out, total, out))
                }
            }
        }
    }
}
