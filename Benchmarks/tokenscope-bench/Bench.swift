// The command line of tokenscope-bench: one subcommand per area of BENCHMARKS.md, `all` by default.
// Each area prints its figures beside the baselines measured in the same run.
import ArgumentParser

/// What every area reads: set once from the parsed options before an area runs.
struct Settings {
    var model: String?
    var quick = false
    var repeats = 3
}

nonisolated(unsafe) var options = Settings()

/// The options every subcommand accepts.
struct BenchOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The model directory to measure the census and kernels on (default: the qwen3-4b synthetic model, generated once under .build/bench-data); the principal-axes area uses it in place of the realistic preset.", valueName: "dir"))
    var model: String?

    @Option(help: "How many times each figure is measured; the best is printed.")
    var repeats = 3

    @Flag(help: "Measure each figure once (the same as --repeats 1).")
    var quick = false

    func apply() {
        options = Settings(model: model, quick: quick, repeats: quick ? 1 : repeats)
    }
}

@main
struct TokenScopeBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenscope-bench",
        abstract: "Measure the figures of BENCHMARKS.md, each beside its baseline in the same run.",
        discussion: "Run it in release: swift run -c release tokenscope-bench [subcommand]. Commands are timed as the tokenscope binary next to this one, page cache warm; the baselines are the notebooks' method in numpy (scripts/bench/notebook_baseline.py) and Hugging Face tokenizers (scripts/bench/tokenizer_baseline.py), run when python3 has them.",
        subcommands: [All.self, TokenizerArea.self, PCAArea.self, CensusArea.self, KernelsArea.self, NeighboursArea.self],
        defaultSubcommand: All.self)
}

extension TokenScopeBench {
    struct All: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every area in turn: tokenizer, pca, census, kernels.")
        @OptionGroup var common: BenchOptions
        func run() throws {
            common.apply()
            try tokenizerBenchmarks()
            try pcaBenchmarks()
            let model = try loadBenchModel()
            try censusBenchmarks(model)
            try kernelBenchmarks(matrix: model.matrix, modelDirectory: model.directory, tokenizer: qwenTokenizer)
        }
    }

    struct TokenizerArea: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "tokenizer",
            abstract: "Load, round trip, witnesses, per-token table, encode and count on the Qwen3 tokenizer.json, against HF tokenizers.",
            discussion: "Needs no model. The corpus is the Python standard library's .py files, gathered once under .build/bench-data.")
        @OptionGroup var common: BenchOptions
        func run() throws {
            common.apply()
            try tokenizerBenchmarks()
        }
    }

    struct PCAArea: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "pca",
            abstract: "Principal axes, sky map, survey, extract and digests on the realistic preset.",
            discussion: "The realistic preset is generated once under .build/bench-data unless --model names a model.")
        @OptionGroup var common: BenchOptions
        func run() throws {
            common.apply()
            try pcaBenchmarks()
        }
    }

    struct CensusArea: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "census",
            abstract: "extract, clusters and core as commands, the numpy notebook method, the whole survey, and scaling with V, threshold and threads.")
        @OptionGroup var common: BenchOptions
        func run() throws {
            common.apply()
            try censusBenchmarks(try loadBenchModel())
        }
    }

    struct KernelsArea: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "kernels",
            abstract: "Row kernels on every SIMD path, the reachability command, and the 1.4b distances against numpy.")
        @OptionGroup var common: BenchOptions
        func run() throws {
            common.apply()
            let model = try loadBenchModel()
            try kernelBenchmarks(matrix: model.matrix, modelDirectory: model.directory, tokenizer: qwenTokenizer)
        }
    }

    struct NeighboursArea: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "neighbours",
            abstract: "The inspector's exact k nearest rows: the pruning index against the full scan.")
        @OptionGroup var common: BenchOptions
        func run() throws {
            common.apply()
            neighbourBenchmarks(matrix: try loadBenchModel().matrix)
        }
    }
}
