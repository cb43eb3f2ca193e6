import ArgumentParser
import JSON
import TokenScope

extension TokenScopeCommand {
    struct Extract: ToolCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write W.safetensors (notebook 1.1a): the unembedding matrix in its stored dtype.",
            discussion: "MODEL is a safetensors file, a GGUF file or a Hugging Face model directory (single or sharded). Only the shard holding the matrix is read; quantised GGUF weights (Q8_0, Q4_0, Q4_K, Q6_K) are expanded to F32.")

        @Argument(help: "A safetensors or GGUF file, or a model directory.")
        var model: String

        @Option(help: ArgumentHelp("Output directory.", valueName: "dir"))
        var out: String

        @OptionGroup var source: MatrixOptions
        @OptionGroup var common: CommonOptions

        var inputs: JSONValue { .inputs(["model": model, "out": out], source) }

        func body(_ terminal: Terminal) throws -> CommandOutput {
            let loaded = try source.load(model, parallelism: common.parallelism)
            terminal.progress("writing W.safetensors", 0)
            let result = try ExtractStage.run(loaded, outputDirectory: out, parallelism: common.parallelism)
            return CommandOutput(result: result.summary) {
                print(loaded.headline)
                if let path = result.path { print("wrote \(path)") }
                print("sha256 \(result.sha256)")
            }
        }
    }
}
