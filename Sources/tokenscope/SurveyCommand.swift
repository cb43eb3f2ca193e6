import ArgumentParser
import Foundation
import Geometry
import JSON
import Report
import TokenScope

extension TokenScopeCommand {
    struct Survey: ToolCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run every stage on a model: all the notebooks' files, survey.json and report.html.",
            discussion: """
                MODEL is a model directory (W and tokenizer.json together), a GGUF file, or a safetensors file (with \
                --tokenizer for the tokenizer stages).

                Writes into DIR: W.safetensors, 1.2a_norms, 1.3a_sky_coordinates, 1.4a_spike_token_ids, \
                1.4h_cluster_tokens, 1.11i_core_cluster_tokens, 1.8d_full_vocab_reachability (+ 1.8d_token_table.csv), \
                1.8e_unreachable_tokens, survey.json (every figure, parameter, the input's SHA-256 and each stage's \
                time) and report.html (self-contained: open it in any browser). Stages that cannot run on this input are \
                skipped with the reason, in the report and the JSON.
                """)

        @Argument(help: "A model directory, a GGUF file or a safetensors file.")
        var model: String

        @Option(help: ArgumentHelp("Output directory.", valueName: "dir"))
        var out: String

        @Option(help: ArgumentHelp("A tokenizer other than the model's own (tokenizer.json, model directory, GGUF, .tiktoken).", valueName: "path"))
        var tokenizer: String?

        @Option(help: ArgumentHelp("Pre-tokenisation regex for a .tiktoken tokenizer.", valueName: "regex"))
        var pattern: String?

        @Option(parsing: .unconditional, help: "Adjacency threshold (exact L2, F32; default: 0.002).", transform: ArgumentValue.positiveFloat)
        var threshold: Float = 0.002

        @Option(name: .customLong("max-core-radius-ulp"), parsing: .unconditional, help: "Core radius around the Big One, in ULP (default: 3).",
                transform: ArgumentValue.nonNegativeDouble)
        var maxCoreRadiusULP: Double = 3

        @Flag(name: .customLong("clusters-in-spike-box"), help: "Build the neighbour graph over the spike box only, as the notebooks did (default: every row).")
        var clustersInSpikeBox = false

        @Option(name: .customLong("distances-up-to"), help: ArgumentHelp("Also write the spike box's n × n distances (1.4b) when it holds at most this many rows.", valueName: "n"),
                transform: ArgumentValue.integer(atLeast: 0))
        var distancesUpTo: Int?

        @Flag(name: .customLong("no-witnesses"), help: "Skip the witness search for unreachable tokens.")
        var noWitnesses = false

        @Flag(name: .customLong("no-extract"), help: "Do not write W.safetensors (a full copy of the matrix).")
        var noExtract = false

        @OptionGroup var source: MatrixOptions
        @OptionGroup var common: CommonOptions

        var inputs: JSONValue {
            .inputs(["model": model, "out": out, "tokenizer": tokenizer, "pattern": pattern, "threshold": threshold,
                     "max_core_radius_ulp": maxCoreRadiusULP, "clusters_in_spike_box": clustersInSpikeBox, "distances_up_to": distancesUpTo,
                     "witnesses": !noWitnesses, "extract": !noExtract], source)
        }

        func body(_ terminal: Terminal) throws -> CommandOutput {
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
                                             outputDirectory: out, parallelism: common.parallelism, progress: terminal.progress)
            return CommandOutput(result: SurveyStage.summary(result)) { printSurvey(result) }
        }
    }
}

/// The survey's headline figures, shared by `survey` and `demo`; the last line names the report.
func printSurvey(_ result: SurveyResult) {
    print(result.loaded.headline)
    if let giant = result.clusters.census.giant {
        print("giant cluster: \(NumberFormat.grouped(giant.tokens.count)) tokens on \(NumberFormat.grouped(giant.uniqueVectors)) vectors")
    }
    if let core = result.core?.census {
        print("Big One \(NumberFormat.grouped(core.bigOne.population)) tokens; core \(NumberFormat.grouped(core.coreTokens.count)), halo \(NumberFormat.grouped(core.haloTokens.count))")
    }
    if let reach = result.reachability {
        print("unreachable \(NumberFormat.grouped(reach.lists.allUnreachable.count)) of \(NumberFormat.grouped(reach.roundTrip.idCount)); "
              + "rows with no token \(NumberFormat.grouped(reach.lists.rowsWithoutToken.count))")
    }
    for skip in result.skipped { print("skipped \(skip.stage): \(skip.reason)") }
    if result.tokenizer == nil { print("(give a tokenizer with --tokenizer PATH for the token stages)") }
    print("wrote \(NumberFormat.grouped(result.files.count)) files to \(result.outputDirectory) in " + String(format: "%.1f s", result.seconds))
    print("report: \(result.outputDirectory)/report.html")
}
