import ArgumentParser
import TokenScope

extension TokenScopeCommand {
    struct Extract: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write W.safetensors (notebook 1.1a): the unembedding matrix in its stored dtype.",
            discussion: "MODEL is a safetensors file, a GGUF file or a Hugging Face model directory (single or sharded). Only the shard holding the matrix is read; quantised GGUF weights (Q8_0, Q4_0, Q4_K, Q6_K) are expanded to F32.")

        @Argument(help: "A safetensors or GGUF file, or a model directory.")
        var model: String

        @Option(help: ArgumentHelp("Output directory.", valueName: "dir"))
        var out: String

        @OptionGroup var source: MatrixOptions
        @OptionGroup var common: CommonOptions

        func run() throws {
            let terminal = common.terminal()
            try terminal.run {
                let loaded = try source.load(model)
                terminal.progress("writing W.safetensors", 0)
                let result = try ExtractStage.run(loaded, outputDirectory: out)
                terminal.emit(result.summary) {
                    print(loaded.headline)
                    print("wrote \(result.path)")
                    print("sha256 \(result.sha256)")
                }
            }
        }
    }
}
