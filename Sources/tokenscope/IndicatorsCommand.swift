import ArgumentParser
import Foundation
import Geometry
import JSON
import Report
import TokenScope

extension TokenScope.IndicatorStage.Indicator: ExpressibleByArgument {}

extension TokenScopeCommand {
    struct Indicators: ToolCommand {
        static let configuration = CommandConfiguration(
            abstract: "Under-trained-token indicators after Magikarp, with the census as the reference set.",
            discussion: """
                For every row, as Magikarp's embedding_distance_metrics defines them (Land & Bartolo 2024): cosine \
                distance to the mean of a reference set of unused rows; the same with the first principal component of \
                the centred matrix removed from the rows; the same with the mean row removed; the L2 distance to the \
                reference mean; and the input-embedding norm when the model's input embedding is untied (then the main \
                indicator, as in Magikarp). The reference set is --reference-ids, or from the census: rows with no token \
                and tokens unreachable in any context, else the dead cluster. Candidates: tokens whose round trip passes \
                with the main indicator at or below the 2nd percentile of the OK tokens' (Magikarp's threshold).

                Writes DIR/indicators.safetensors, DIR/indicator_candidates.jsonl and DIR/suppress_mask.safetensors.
                """)

        @Argument(help: "W: a safetensors file, a GGUF file or a model directory.")
        var model: String

        @Option(help: ArgumentHelp("Output directory.", valueName: "dir"))
        var out: String

        @Option(name: .customLong("reference-ids"), help: ArgumentHelp(
            "The reference rows: a text file of ids (one per line or comma-separated) or a safetensors file with one integer tensor.",
            valueName: "file"))
        var referenceIDs: String?

        @Option(help: ArgumentHelp("A tokenizer other than the model's own (tokenizer.json or GGUF).", valueName: "file"))
        var tokenizer: String?

        @Option(help: ArgumentHelp("The percentile of the OK tokens' main indicator that sets the threshold.", valueName: "p"))
        var percentile: Double = IndicatorStage.defaultPercentile

        @Option(name: .customLong("main-indicator"), help: "The indicator that ranks the candidates (default: input_embedding_norm when untied, else cosine_distance).")
        var mainIndicator: IndicatorStage.Indicator?

        @Flag(name: .customLong("no-witnesses"), help: "Skip the witness search (the reference then holds only the rows with no token, or the dead cluster).")
        var noWitnesses = false

        @OptionGroup var source: MatrixOptions
        @OptionGroup var common: CommonOptions

        func validate() throws {
            if !(0...100).contains(percentile) { throw ValidationError("--percentile must lie in 0…100") }
        }

        var inputs: JSONValue {
            .inputs(["model": model, "out": out, "reference_ids": referenceIDs, "tokenizer": tokenizer, "percentile": percentile,
                     "main_indicator": mainIndicator?.rawValue, "witnesses": !noWitnesses], source)
        }

        func body(_ terminal: Terminal) throws -> CommandOutput {
            let loaded = try source.load(model, parallelism: common.parallelism)
            let matrix = loaded.matrix
            try UndertrainedIndicators.checkShape(matrix)
            let tokenizerPath = tokenizer ?? IndicatorCensus.defaultTokenizerPath(modelPath: model, loaded: loaded)
            terminal.progress("loading the tokenizer", 0)
            let codec = try tokenizerPath.map { try TokenizerLoader.load(path: $0, parallelism: common.parallelism) }
            let census = try IndicatorCensus.compute(matrix: matrix, tokenizer: codec, searchWitnesses: !noWitnesses,
                                                     parallelism: common.parallelism, progress: terminal.progress)
            let reference = try referenceIDs.map { try IndicatorReference.read(path: $0, rowCount: matrix.rows) }
                ?? IndicatorReference.fromCensus(census)
            terminal.progress("principal axis", 0)
            let axis = try IndicatorStage.firstPrincipalComponent(matrix: matrix, parallelism: common.parallelism, progress: terminal.progress)
            let embedding = IndicatorStage.inputEmbeddingNorms(modelPath: model, loaded: loaded, role: source.matrix,
                                                               parallelism: common.parallelism)
            terminal.progress("indicators", 0)
            let result = try IndicatorStage.run(matrix: matrix, input: model, firstPrincipalComponent: axis, reference: reference,
                                                census: census, inputEmbeddingNorms: embedding.norms, mainIndicator: mainIndicator,
                                                percentile: percentile, outputDirectory: out, parallelism: common.parallelism)
            let summary: JSONValue = ["matrix": loaded.description, "tokenizer": tokenizerPath.map { JSONValue.string($0) } ?? nil,
                                      "input_embedding": .string(embedding.reason), "indicators": result.summary]
            return CommandOutput(result: summary) {
                print(loaded.headline)
                print("tokenizer: \(tokenizerPath ?? "none (no round-trip categories: the threshold is taken over the rows outside the reference)")")
                print("reference: \(reference.description)")
                print("input-embedding norm: \(embedding.norms == nil ? "none, " : "")\(embedding.reason)")
                let threshold = result.threshold.map { String(format: "%.6g", $0) } ?? "none"
                print("main indicator \(result.mainIndicator.rawValue); threshold \(threshold) (\(percentile)th percentile)")
                let missed = IndicatorStage.missedByCensus(result, census: census).count
                print("candidates: \(NumberFormat.grouped(result.candidates.count)), of which \(NumberFormat.grouped(missed)) reachable and outside the dead cluster")
                for note in result.notes { print("note: \(note)") }
                for path in result.paths { print("wrote \(path)") }
            }
        }
    }
}
