import Foundation
import ArgumentParser
import JSON
import TensorFormats
import TokenScope

/// Flags every command takes.
struct CommonOptions: ParsableArguments {
    @Flag(help: "Print a JSON summary on stdout instead of the readable one.")
    var json = false

    @Flag(name: .shortAndLong, help: "No progress on stderr (progress is also off when stderr is not a terminal).")
    var quiet = false

    @Option(help: ArgumentHelp("Threads for the parallel loops (default: every core).", valueName: "n"),
            transform: ArgumentValue.integer(atLeast: 1))
    var threads: Int?

    @Flag(help: "Neither read nor write the digest cache ($XDG_CACHE_HOME/tokenscope or ~/.cache/tokenscope; also TOKENSCOPE_NO_CACHE).")
    var noDigestCache = false

    /// The threads every stage of this command is given: `--threads`, else `TOKENSCOPE_THREADS`
    /// (the environment is read here, never by the library), else every core.
    var parallelism: Parallelism {
        if let threads { return Parallelism(threads: threads) }
        return Self.environmentThreads.flatMap { Int($0) }.map { Parallelism(threads: $0) } ?? .allCores
    }

    // `getenv`, not `ProcessInfo.environment`, which builds a dictionary of the whole environment on every read.
    private static var environmentThreads: String? { getenv("TOKENSCOPE_THREADS").map { String(cString: $0) } }

    func validate() throws {
        if threads == nil, let value = Self.environmentThreads, (Int(value) ?? 0) < 1 {
            throw ValidationError("TOKENSCOPE_THREADS must be a whole number, 1 or more (it is \"\(value)\")")
        }
    }

    /// Builds the terminal for this command and applies the digest-cache setting.
    func terminal() -> Terminal {
        let environment = ProcessInfo.processInfo.environment
        MatrixDigest.persistentCache = noDigestCache ? nil : DigestCache.standard(environment: environment)
        // A test aid: hold each finished file before its rename, so a test can interrupt there.
        if let pause = environment["TOKENSCOPE_PAUSE_BEFORE_RENAME"].flatMap(Double.init), pause > 0 {
            AtomicFileWriter.pauseBeforeRename = pause
        }
        return Terminal(json: json, quiet: quiet)
    }
}

/// Where W comes from.
struct MatrixOptions: ParsableArguments, InputGroup {
    @Option(help: ArgumentHelp("The tensor to read from a safetensors or GGUF file or model directory (default: W, the only 2-D tensor, or the model's unembedding).", valueName: "name"))
    var tensor: String?

    @Option(help: "In a model directory: the unembedding (lm_head, or the embeddings when tied) or the input embedding.")
    var matrix: MatrixRole = .unembedding

    var inputMembers: [JSONMember] {
        [JSONMember(key: "tensor", value: tensor.inputJSON), JSONMember(key: "matrix", value: matrix.inputJSON)]
    }

    func load(_ path: String, parallelism: Parallelism) throws -> LoadedMatrix {
        let loaded = try ModelLoader.load(path: path, tensor: tensor, role: matrix, parallelism: parallelism)
        MatrixDigest.register(loaded)
        if let quantization = loaded.quantization {
            // Always shown, even with --quiet: it qualifies every exact-equality finding.
            FileHandle.standardError.write(Data((
                "warning: \(loaded.tensorName) is \(quantization), expanded to F32 as llama.cpp does; quantised weights are not "
                + "the trained values: black holes may be artefacts\n").utf8))
        }
        return loaded
    }
}

extension MatrixRole: ExpressibleByArgument {}
extension MatrixRole: InputValue {}
