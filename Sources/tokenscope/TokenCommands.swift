import ArgumentParser
import Foundation
import JSON
import Report
import TokenScope

extension TokenScopeCommand {
    struct Decode: ToolCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show tokens in readable form with their Unicode script (notebook 1.7a).",
            discussion: "Invalid UTF-8 bytes are shown as <0xE0>, control characters escaped. Ids come from the arguments or from --ids (a safetensors file, e.g. a 1.4h cluster file).")

        @OptionGroup var source: TokenizerOptions

        @Argument(help: "Token ids.")
        var ids: [Int] = []

        @Option(name: .customLong("ids"), help: ArgumentHelp("Safetensors file of ids (first of cluster_token_ids, halo_token_ids, spike_token_ids, all_unreachable).", valueName: "file"))
        var idsFile: String?

        @Flag(help: "Print CSV (id, token, readable, script) instead of a table.")
        var csv = false

        @OptionGroup var common: CommonOptions

        var inputs: JSONValue { .inputs(["ids": ids, "ids_file": idsFile], source) }

        func validate() throws {
            // Ids past the tokenizer are rows of W without a token and are shown as such; a negative id is no row at all.
            if let negative = ids.first(where: { $0 < 0 }) { throw ValidationError("token ids are 0 or more; \(negative) is not an id") }
        }

        func body(_ terminal: Terminal) throws -> CommandOutput {
            let tokenizer = try source.load(parallelism: common.parallelism)
            var wanted = ids
            if let idsFile {
                wanted += try TokenIDFile.read(idsFile, keys: DecodeStage.idKeys, rowCount: Int.max)
            }
            guard !wanted.isEmpty else { throw ValidationError("give token ids or --ids FILE") }
            let result = try DecodeStage.run(tokenizer: tokenizer, ids: wanted)
            return CommandOutput(result: result.summary) {
                if csv {
                    print(CSV.document(header: ["id", "token", "readable", "script"],
                                      records: result.tokens.map { [String($0.id), $0.token, $0.readable, $0.script] }), terminator: "")
                } else {
                    for token in result.tokens { print("\(token.id)\t\(token.readable)\t\(token.script)") }
                }
            }
        }
    }

    struct Classify: ToolCommand {
        static let configuration = CommandConfiguration(
            abstract: "Classify every token by Unicode script (notebook 1.10d), optionally against the populations.",
            discussion: "Writes DIR/1.10d_token_scripts.csv with --out. With --populations (a 1.8e file) prints the cross-table script × population.")

        @OptionGroup var source: TokenizerOptions

        @Option(help: ArgumentHelp("A 1.8e populations file: cross-tabulate scripts against cluster, halo and the rest.", valueName: "file"))
        var populations: String?

        @Option(help: ArgumentHelp("Write the per-token CSV here.", valueName: "dir"))
        var out: String?

        @OptionGroup var common: CommonOptions

        var inputs: JSONValue { .inputs(["populations": populations, "out": out], source) }

        func body(_ terminal: Terminal) throws -> CommandOutput {
            let tokenizer = try source.load(parallelism: common.parallelism)
            var result = try ClassifyStage.run(tokenizer: tokenizer, populationsFile: populations)
            if let out { try ClassifyStage.write(&result, tokenizer: tokenizer, outputDirectory: out) }
            return CommandOutput(result: result.summary) {
                print("\(NumberFormat.grouped(tokenizer.idCount)) tokens by script:")
                for entry in result.counts { print("  \(entry.script.rawValue): \(NumberFormat.grouped(entry.count))") }
                if !result.crossTable.isEmpty {
                    print("script × population (\(ClassifyStage.populationNames.joined(separator: ", "))):")
                    for row in result.crossTable { print("  \(row.script.rawValue): " + row.counts.map(NumberFormat.grouped).joined(separator: ", ")) }
                }
            }
        }
    }

    struct Encode: ToolCommand {
        static let configuration = CommandConfiguration(
            abstract: "Encode text to token ids (no special tokens added, no padding or truncation).")

        @OptionGroup var source: TokenizerOptions

        @Argument(help: "The text (or use --file).")
        var text: String?

        @Option(help: ArgumentHelp("Read the text from a file.", valueName: "path"))
        var file: String?

        @Option(help: ArgumentHelp("Encode each part of the text between these separators on its own: one line of ids per part.",
                                   valueName: "text"))
        var separator: String?

        @OptionGroup var common: CommonOptions

        var inputs: JSONValue { .inputs(["text": text, "file": file, "separator": separator], source) }

        func validate() throws {
            if (text == nil) == (file == nil) { throw ValidationError("give the text or --file, one of them") }
            if separator?.isEmpty == true { throw ValidationError("--separator must not be empty") }
        }

        func body(_ terminal: Terminal) throws -> CommandOutput {
            let tokenizer = try source.load(parallelism: common.parallelism)
            let input: String
            if let file {
                input = String(decoding: try Data(contentsOf: URL(fileURLWithPath: file)), as: UTF8.self)
            } else {
                input = text ?? ""
            }
            if let separator {
                // Split on bytes: String's own splitting compares Characters, and a separator could
                // join a neighbouring combining mark into one.
                let parts = Array(input.utf8).split(separator: Array(separator.utf8), omittingEmptySubsequences: false)
                let encoded = parts.map { tokenizer.encode(String(decoding: $0, as: UTF8.self)) }
                if let error = tokenizer.patternLimitError { throw error }
                return CommandOutput(result: ["ids": .array(encoded.map { JSONValue($0) })]) {
                    for ids in encoded { print(ids.map(String.init).joined(separator: " ")) }
                }
            }
            let ids = tokenizer.encode(input)
            if let error = tokenizer.patternLimitError { throw error }
            return CommandOutput(result: ["ids": JSONValue(ids), "tokens": JSONValue(ids.map { tokenizer.tokenString($0) ?? "" })]) {
                print(ids.map(String.init).joined(separator: " "))
            }
        }
    }

    struct Count: ToolCommand {
        static let configuration = CommandConfiguration(
            abstract: "Token frequencies over text files, and the vocabulary entries that never occur.",
            discussion: """
                Files are streamed from disk in pieces cut at line ends and encoded on every core. With --out, writes \
                DIR/token_counts.safetensors (counts: I64 per id, never_seen_ids: I64).
                """)

        @OptionGroup var source: TokenizerOptions

        @Argument(help: "UTF-8 text files.")
        var files: [String]

        @Option(help: ArgumentHelp("Write the counts here.", valueName: "dir"))
        var out: String?

        @Option(help: "How many of the most frequent tokens to list (default: 20).", transform: ArgumentValue.integer(atLeast: 0))
        var top: Int = 20

        @OptionGroup var common: CommonOptions

        var inputs: JSONValue { .inputs(["files": files, "out": out, "top": top], source) }

        func body(_ terminal: Terminal) throws -> CommandOutput {
            let tokenizer = try source.load(parallelism: common.parallelism)
            var result = try CountStage.run(tokenizer: tokenizer, files: files, top: top, parallelism: common.parallelism,
                                            progress: terminal.progress)
            if let out { try CountStage.write(&result, tokenizerPath: source.tokenizer, outputDirectory: out) }
            return CommandOutput(result: result.summary) {
                let corpus = result.corpus
                print("\(NumberFormat.grouped(corpus.bytes)) bytes → \(NumberFormat.grouped(corpus.tokens)) tokens; \(NumberFormat.grouped(result.distinct)) distinct ids, "
                      + "\(NumberFormat.grouped(corpus.neverSeen.count)) of \(NumberFormat.grouped(tokenizer.idCount)) never occur")
                for entry in result.top { print("  \(NumberFormat.grouped(entry.count))\t\(entry.id)\t\(entry.readable)") }
            }
        }
    }
}
