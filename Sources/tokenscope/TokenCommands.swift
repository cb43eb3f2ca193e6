import ArgumentParser
import Foundation
import JSON
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
            let tokenizer = try source.load()
            var wanted = ids
            if let idsFile {
                wanted += try TokenIDFile.read(idsFile, keys: ["cluster_token_ids", "halo_token_ids", "spike_token_ids", "all_unreachable", "all_unreachable_ids"],
                                               rowCount: Int.max)
            }
            guard !wanted.isEmpty else { throw ValidationError("give token ids or --ids FILE") }
            let rows = wanted.map { id -> (Int, String, String, String) in
                guard id < tokenizer.idCount else { return (id, "", "(no token: past the tokenizer's \(tokenizer.idCount.grouped) ids)", "") }
                let bytes = tokenizer.decodedBytes([id])
                return (id, readableForm(tokenizer.tokenString(id) ?? ""), readableForm(bytes),
                        classifyScript(bytes, isSpecial: tokenizer.isSpecial(id)).rawValue)
            }
            let summary: JSONValue = ["tokens": .array(rows.map { ["id": JSONValue($0.0), "token": .string($0.1), "readable": .string($0.2), "script": .string($0.3)] })]
            return CommandOutput(result: summary) {
                if csv {
                    print(csvDocument(header: ["id", "token", "readable", "script"], records: rows.map { [String($0.0), $0.1, $0.2, $0.3] }), terminator: "")
                } else {
                    for row in rows { print("\(row.0)\t\(row.2)\t\(row.3)") }
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
            let tokenizer = try source.load()
            let scripts = (0..<tokenizer.idCount).map { classifyScript(tokenizer.decodedBytes([$0]), isSpecial: tokenizer.isSpecial($0)) }
            var counts: [TokenScript: Int] = [:]
            for s in scripts { counts[s, default: 0] += 1 }
            var summary: [JSONMember] = [JSONMember(key: "scripts", value: .object(counts.sorted { $0.value > $1.value }.map {
                JSONMember(key: $0.key.rawValue, value: JSONValue($0.value))
            }))]
            var crossTable: [(TokenScript, [Int])] = []
            let populationNames = ["cluster", "halo", "other"]
            if let populations {
                let file = try SafeTensorsFile(path: populations)
                let cluster = try file.booleans("cluster_mask"), halo = try file.booleans("halo_mask")
                let labels = scripts.indices.map { id -> String in
                    id < cluster.count && cluster[id] ? "cluster" : id < halo.count && halo[id] ? "halo" : "other"
                }
                let table = try crossTabulate(scripts, labels)
                crossTable = table.rows.map { script in (script, populationNames.map { table.count(script, $0) }) }
                summary.append(JSONMember(key: "cross_table", value: .array(crossTable.map { row in
                    .object([JSONMember(key: "script", value: .string(row.0.rawValue))]
                            + zip(populationNames, row.1).map { JSONMember(key: $0.0, value: JSONValue($0.1)) })
                })))
            }
            if let out {
                try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
                let path = out + "/1.10d_token_scripts.csv"
                let writer = try AtomicFileWriter(destination: path)
                try writer.write(Array(csvDocument(header: ["id", "token", "readable", "script"], records: scripts.indices.map {
                    [String($0), readableForm(tokenizer.tokenString($0) ?? ""), readableForm(tokenizer.decodedBytes([$0])), scripts[$0].rawValue]
                }).utf8))
                try writer.commit()
                summary.append(JSONMember(key: "output", value: .string(path)))
            }
            return CommandOutput(result: .object(summary)) {
                print("\(tokenizer.idCount.grouped) tokens by script:")
                for (script, n) in counts.sorted(by: { $0.value > $1.value }) { print("  \(script.rawValue): \(n.grouped)") }
                if !crossTable.isEmpty {
                    print("script × population (cluster, halo, other):")
                    for (script, row) in crossTable { print("  \(script.rawValue): " + row.map(\.grouped).joined(separator: ", ")) }
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
            let tokenizer = try source.load()
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
            let tokenizer = try source.load()
            let result = try CorpusCount.run(tokenizer: tokenizer, files: files, progress: terminal.progress)
            let never = result.neverSeen
            let ranked = result.counts.indices.sorted { result.counts[$0] != result.counts[$1] ? result.counts[$0] > result.counts[$1] : $0 < $1 }
                .prefix(top).filter { result.counts[$0] > 0 }
            var summary: JSONValue = [
                "bytes": JSONValue(result.bytes), "tokens": JSONValue(result.tokens),
                "distinct": JSONValue(tokenizer.idCount - never.count), "never_seen": JSONValue(never.count),
                "top": .array(ranked.map { ["id": JSONValue($0), "count": JSONValue(result.counts[$0]),
                                            "readable": .string(readableForm(tokenizer.decodedBytes([$0])))] }),
            ]
            if let out {
                try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
                var writer = SafeTensorsWriter(metadata: ["tool": "tokenscope \(Provenance.toolVersion)", "files": files.joined(separator: "\n")])
                writer.add("counts", int64: result.counts)
                writer.add("never_seen_ids", int64: never)
                try writer.write(to: out + "/token_counts.safetensors")
                if case .object(var members) = summary {
                    members.append(JSONMember(key: "output", value: .string(out + "/token_counts.safetensors")))
                    summary = .object(members)
                }
            }
            return CommandOutput(result: summary) {
                print("\(result.bytes.grouped) bytes → \(result.tokens.grouped) tokens; \((tokenizer.idCount - never.count).grouped) distinct ids, "
                      + "\(never.count.grouped) of \(tokenizer.idCount.grouped) never occur")
                for id in ranked { print("  \(result.counts[id].grouped)\t\(id)\t\(readableForm(tokenizer.decodedBytes([id])))") }
            }
        }
    }
}
