import ArgumentParser
import Foundation
import JSON
import Report
import TokenScope

/// Where the tokenizer comes from.
struct TokenizerOptions: ParsableArguments, InputGroup {
    @Argument(help: "A tokenizer.json, a model directory holding one, or a .tiktoken rank file (with --pattern).")
    var tokenizer: String

    @Option(help: ArgumentHelp("Pre-tokenisation regex for a .tiktoken rank file.", valueName: "regex"))
    var pattern: String?

    var inputMembers: [JSONMember] {
        [JSONMember(key: "tokenizer", value: .string(tokenizer)), JSONMember(key: "pattern", value: pattern.inputJSON)]
    }

    func load(parallelism: Parallelism) throws -> Tokenizer {
        try TokenizerLoader.load(path: tokenizer, pattern: pattern, parallelism: parallelism)
    }
}

extension TokenScopeCommand {
    struct Reachability: ToolCommand {
        static let configuration = CommandConfiguration(
            abstract: "Which tokens can the tokenizer produce? Round trip of every id (notebooks 1.8c, 1.8d).",
            discussion: """
                For every id (added tokens included): s = decode([id]) keeping special tokens, then encode(s) without \
                special tokens, padding or truncation; the token is reachable iff that gives [id]. For each token that \
                fails, a bounded search looks for a witness: a valid text whose encoding contains it (a UTF-8 fragment \
                or a ##continuation fails the round trip yet occurs inside longer text). Tokens with no witness are \
                "unreachable in any context" within the stated bounds.

                Writes DIR/1.8d_full_vocab_reachability.safetensors (all_reachable, all_unreachable, \
                unreachable_in_cluster, unreachable_outside_cluster, cluster_but_reachable, no_token_rows, \
                unreachable_in_any_context) and DIR/1.8d_token_table.csv (category, re-encoding length, script, witness \
                of every id).
                """)

        @OptionGroup var source: TokenizerOptions

        @Option(help: ArgumentHelp("A 1.4h clusters file: split the unreachable tokens by cluster membership.", valueName: "file"))
        var clusters: String?

        @Option(help: ArgumentHelp("Rows of W, when W has more rows than the tokenizer has ids and the clusters file does not record them (default: the count --clusters records, else the id count).", valueName: "n"),
                transform: ArgumentValue.integer(atLeast: 1))
        var rows: Int?

        @Option(help: ArgumentHelp("Output directory.", valueName: "dir"))
        var out: String

        @Flag(name: .customLong("no-witnesses"), help: "Skip the witness search.")
        var noWitnesses = false

        @OptionGroup var common: CommonOptions

        var inputs: JSONValue {
            .inputs(["clusters": clusters, "rows": rows, "out": out, "witnesses": !noWitnesses], source)
        }

        func body(_ terminal: Terminal) throws -> CommandOutput {
            terminal.progress("loading the tokenizer", 0)
            let tokenizer = try source.load(parallelism: common.parallelism)
            // Ids are checked against the rows by the stage, which can say which count is missing.
            let cluster = try clusters.map { try CoreStage.clusterTokens(fromFile: $0, rowCount: Int.max) }
            // W's row count: recorded in the clusters file (ours), else --rows.
            var rowCount = rows
            if let clusters, let recorded = try ClusterStage.recordedRowCount(inFile: clusters) {
                if let rows, rows != recorded {
                    throw StageError.mismatchedInputs("\(clusters) records W's row count \(recorded), but --rows says \(rows)")
                }
                rowCount = recorded
            }
            let result = try ReachabilityStage.run(
                tokenizer: tokenizer, tokenizerPath: source.tokenizer, clusterTokens: cluster, rowCount: rowCount,
                searchWitnesses: !noWitnesses, outputDirectory: out, parallelism: common.parallelism, progress: terminal.progress)
            // Machines get every token's category and re-encoding length.
            return CommandOutput(result: result.summaryWithPerToken) {
                let lists = result.lists
                print("tokenizer: \(NumberFormat.grouped(tokenizer.idCount)) ids (\(tokenizer.modelKind)); W rows: \(NumberFormat.grouped(lists.rowCount))")
                print("unreachable: \(NumberFormat.grouped(lists.allUnreachable.count)) of \(NumberFormat.grouped(tokenizer.idCount))")
                let counts = result.roundTrip.categoryCounts
                for category in TokenCategory.allCases {
                    print("  \(category.label): \(NumberFormat.grouped(counts[category] ?? 0))")
                }
                if cluster != nil {
                    print("cluster: \(NumberFormat.grouped(lists.cluster.count)); unreachable in it \(NumberFormat.grouped(lists.unreachableInCluster.count)), "
                          + "outside it \(NumberFormat.grouped(lists.unreachableOutsideCluster.count)); cluster rows reachable or without a token \(NumberFormat.grouped(lists.clusterNotUnreachable.count))")
                }
                if !lists.tokenlessRows.isEmpty {
                    print("rows with no token: \(NumberFormat.grouped(lists.tokenlessRows.count)) (\(lists.tokenlessRows.lowerBound)–\(lists.tokenlessRows.upperBound - 1))")
                }
                if !lists.noTokenIDs.isEmpty {
                    print("ids with no token (gaps in the vocabulary): \(NumberFormat.grouped(lists.noTokenIDs.count))")
                }
                if let witnesses = result.witnesses {
                    print("witness search: \(NumberFormat.grouped(witnesses.reachableInContext.count)) reachable in context, "
                          + "\(NumberFormat.grouped(witnesses.unreachableInAnyContext.count)) unreachable in any context within bounds "
                          + "(\(NumberFormat.grouped(witnesses.provablyUnreachable.count)) provably)")
                }
                for path in [result.path, result.tablePath].compactMap({ $0 }) { print("wrote \(path)") }
            }
        }
    }

    struct Populations: ToolCommand {
        static let configuration = CommandConfiguration(
            abstract: "Cluster, halo and bulk as masks over the rows of W (notebook 1.8e).",
            discussion: """
                Writes DIR/1.8e_unreachable_tokens.safetensors: all_unreachable_ids, halo_token_ids (unreachable outside \
                the cluster), cluster_token_ids, and unreachable_mask, halo_mask, cluster_mask over the rows of W. Reports \
                the notebook's split (bulk = rows − unreachable) and the corrected one, where rows with no token are \
                their own population.
                """)

        @Argument(help: "W: a safetensors file or a model directory (for its row count).")
        var model: String

        @Option(help: ArgumentHelp("The 1.8d reachability file.", valueName: "file"))
        var reachability: String

        @Option(help: ArgumentHelp("The 1.4h clusters file.", valueName: "file"))
        var clusters: String

        @Option(help: ArgumentHelp("Output directory.", valueName: "dir"))
        var out: String

        @OptionGroup var matrix: MatrixOptions
        @OptionGroup var common: CommonOptions

        var inputs: JSONValue { .inputs(["model": model, "reachability": reachability, "clusters": clusters, "out": out], matrix) }

        func body(_ terminal: Terminal) throws -> CommandOutput {
            let loaded = try matrix.load(model, parallelism: common.parallelism)
            let rows = loaded.matrix.rows
            let cluster = try CoreStage.clusterTokens(fromFile: clusters, rowCount: rows)
            let result = try PopulationStage.run(reachabilityFile: reachability, clusterTokens: cluster, rowCount: rows, outputDirectory: out)
            return CommandOutput(result: result.summary) {
                print(loaded.headline)
                let notebook = result.notebook
                print("notebook split: cluster \(NumberFormat.grouped(notebook.cluster)), halo \(NumberFormat.grouped(notebook.halo)), "
                      + "bulk \(NumberFormat.grouped(notebook.bulk)) (rows − unreachable)")
                print("corrected split:")
                for population in RowPopulation.allCases {
                    print("  \(population): \(NumberFormat.grouped(result.corrected[population] ?? 0))")
                }
                if let path = result.path { print("wrote \(path)") }
            }
        }
    }
}
