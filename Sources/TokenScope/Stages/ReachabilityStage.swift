import Foundation
import JSON
import Reachability
import TensorFormats
import Tokenizers

/// Notebooks 1.8c/1.8d: decode → encode round trip of every id, the five lists of
/// `1.8d_full_vocab_reachability.safetensors` (with the token table, by `write`), and a witness
/// search for every failing token.
public enum ReachabilityStage {
    public static let fileName = "1.8d_full_vocab_reachability.safetensors"
    public static let tableName = "1.8d_token_table.csv"

    public struct Result: StageResult, Sendable {
        public var roundTrip: RoundTripResult
        public var lists: ReachabilityLists
        public var witnesses: WitnessSearchResult?
        /// For a GGUF vocabulary, which normalisation semantics the run used (`GGUFTokenizerJSON.semantics`).
        public var tokenizerSemantics: String?
        public var seconds: Double
        /// The lists file and the token table, once `write` wrote them.
        public var path: String?
        public var tablePath: String?
        /// Each id's Unicode script, the token table's column, once `write` wrote the table.
        public var scripts: [TokenScript]? = nil

        /// The JSON summary, encoded from the fields above.
        public var summary: JSONValue { .object(summaryMembers) }

        /// `summary` with every token's category and re-encoding length, as the CSV has them.
        public var summaryWithPerToken: JSONValue {
            .object(summaryMembers + [JSONMember(key: "per_token", value: [
                "category": .array(roundTrip.categories.map { .string($0.label) }),
                "reencoding_length": JSONValue(roundTrip.reencodingLengths),
            ])])
        }

        private var summaryMembers: [JSONMember] {
            let trip = roundTrip
            let counts = trip.categoryCounts
            let categories = TokenCategory.allCases.map { JSONMember(key: $0.label, value: JSONValue(counts[$0] ?? 0)) }
            var witnessJSON: JSONValue = nil
            if let witnesses {
                witnessJSON = [
                    "searched": JSONValue(witnesses.witnesses.count),
                    "reachable_in_context": JSONValue(witnesses.reachableInContext.count),
                    "unreachable_in_any_context": JSONValue(witnesses.unreachableInAnyContext.count),
                    "provably_unreachable": JSONValue(witnesses.provablyUnreachable.count),
                    "bounds": .string("\(witnesses.bounds)"),
                    "examples": .array(witnesses.witnesses.filter { $0.witness != nil }.prefix(10).map {
                        ["id": JSONValue($0.id), "witness": .string($0.witness ?? "")]
                    }),
                ]
            }
            let figures: JSONValue = [
                "step": "1.8d", "output": path.map { JSONValue.string($0) } ?? nil,
                "token_table": tablePath.map { JSONValue.string($0) } ?? nil,
                "tokenizer_ids": JSONValue(trip.idCount), "rows": JSONValue(lists.rowCount),
                "reachable": JSONValue(lists.allReachable.count), "unreachable": JSONValue(lists.allUnreachable.count),
                "categories": .object(categories),
                "cluster": JSONValue(lists.cluster.count),
                "unreachable_in_cluster": JSONValue(lists.unreachableInCluster.count),
                "unreachable_outside_cluster": JSONValue(lists.unreachableOutsideCluster.count),
                "cluster_but_reachable": JSONValue(lists.clusterButReachable.count),
                "cluster_without_token": JSONValue(lists.clusterWithoutToken.count),
                "no_token_rows": JSONValue(lists.rowsWithoutToken.count),
                "no_token_ids": JSONValue(lists.noTokenIDs.count),
                "witnesses": witnessJSON,
                "seconds": JSONValue(seconds),
            ]
            var members = figures.objectValue ?? []
            // Only a GGUF vocabulary has semantics to name; other summaries leave the key out.
            if let tokenizerSemantics { members.append(JSONMember(key: "tokenizer_semantics", value: .string(tokenizerSemantics))) }
            return members
        }
    }

    /// - Parameters:
    ///   - clusterTokens: the cluster's row ids (a 1.4h file's `cluster_token_ids`), if known.
    ///   - rowCount: rows of W; ids past the tokenizer's are "no token". Defaults to the id count.
    ///   - outputDirectory: where to write the lists and the token table (`write`), or `nil` for none.
    public static func run(tokenizer: Tokenizer, tokenizerPath: String, clusterTokens: [Int]?, rowCount: Int?,
                           searchWitnesses witnessSearch: Bool = true, outputDirectory: String? = nil,
                           parallelism: Parallelism = .allCores, progress: ((String, Double) -> Void)? = nil) throws -> Result {
        let rows = rowCount ?? tokenizer.idCount
        if let clusterTokens, let largest = clusterTokens.max(), largest >= rows {
            throw rowCount == nil
                ? StageError.needsInput(.rowCount, reason: "the clusters file holds id \(largest) but the tokenizer has only "
                                        + "\(tokenizer.idCount) ids, and the file does not record W's row count (\(ClusterStage.rowCountKey)): "
                                        + "give W's row count so that the ids past the tokenizer count as rows with no token")
                : StageError.idOutOfRange(id: largest, rowCount: rows)
        }
        let start = Date()
        progress?("decoding and re-encoding every id", 0)
        let trip = RoundTrip.run(tokenizer, parallelism: parallelism)
        let lists = try ReachabilityLists(roundTrip: trip, clusterIds: clusterTokens, rowCount: rows)
        progress?("searching witnesses for \(trip.unreachable.count) tokens", 0)
        let witnesses = witnessSearch ? WitnessSearch.run(tokenizer, roundTrip: trip, parallelism: parallelism) : nil
        // A regex stopped for backtracking made every encoding since incomplete.
        if let error = tokenizer.patternLimitError { throw error.inFile(tokenizerPath) }
        let seconds = Date().timeIntervalSince(start)
        var result = Result(roundTrip: trip, lists: lists, witnesses: witnesses, tokenizerSemantics: TokenizerLoader.semantics(path: tokenizerPath),
                            seconds: seconds, path: nil, tablePath: nil)
        if let outputDirectory {
            try write(&result, tokenizer: tokenizer, tokenizerPath: tokenizerPath, outputDirectory: outputDirectory, parallelism: parallelism)
        }
        return result
    }

    /// Writes `DIR/1.8d_full_vocab_reachability.safetensors` and `DIR/1.8d_token_table.csv` and
    /// records their paths in the result.
    public static func write(_ result: inout Result, tokenizer: Tokenizer, tokenizerPath: String, outputDirectory: String,
                             parallelism: Parallelism = .allCores) throws {
        try writeLists(&result, tokenizerPath: tokenizerPath, outputDirectory: outputDirectory)
        try writeTable(&result, tokenizer: tokenizer, outputDirectory: outputDirectory, parallelism: parallelism)
    }

    /// Writes `DIR/1.8d_full_vocab_reachability.safetensors` (the lists, which depend on the
    /// cluster) and records its path.
    public static func writeLists(_ result: inout Result, tokenizerPath: String, outputDirectory: String) throws {
        try FileManager.default.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true)
        let lists = result.lists, witnesses = result.witnesses
        var metadata: [String: String] = [
            "tool": "tokenscope \(Provenance.toolVersion)", "notebook_step": "1.8d", "input": tokenizerPath,
            "round_trip": "decode([id]) keeping special tokens, encode without special tokens, padding or truncation",
            "cluster_but_reachable": "cluster rows that are not unreachable tokens, rows with no token included (the notebook's 278)",
            "unreachable_in_any_context": witnesses.map { "no witness within bounds \($0.bounds)" } ?? "not searched",
        ]
        metadata["tokenizer_semantics"] = result.tokenizerSemantics
        var writer = SafeTensorsWriter(metadata: metadata)
        writer.add("all_reachable", int64: lists.allReachable)
        writer.add("all_unreachable", int64: lists.allUnreachable)
        writer.add("unreachable_in_cluster", int64: lists.unreachableInCluster)
        writer.add("unreachable_outside_cluster", int64: lists.unreachableOutsideCluster)
        writer.add("cluster_but_reachable", int64: lists.clusterNotUnreachable.sorted())
        writer.add("no_token_rows", int64: lists.rowsWithoutToken)
        writer.add(ClusterStage.rowCountKey, int64: [lists.rowCount])
        if let witnesses { writer.add("unreachable_in_any_context", int64: witnesses.unreachableInAnyContext) }
        let path = outputDirectory + "/" + fileName
        try writer.write(to: path)
        result.path = path
    }

    /// Writes `DIR/1.8d_token_table.csv` (which needs no cluster) and records its path and the
    /// tokens' scripts.
    public static func writeTable(_ result: inout Result, tokenizer: Tokenizer, outputDirectory: String,
                                  parallelism: Parallelism = .allCores) throws {
        try FileManager.default.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true)
        let records = TokenTable.records(tokenizer, roundTrip: result.roundTrip, witnesses: result.witnesses, parallelism: parallelism)
        let tablePath = outputDirectory + "/" + tableName
        let table = try AtomicFileWriter(destination: tablePath)
        try table.write(TokenTable.csvBytes(records, parallelism: parallelism))
        try table.commit()
        result.tablePath = tablePath
        result.scripts = records.map(\.script)
    }
}

/// Notebook 1.8e: the populations, and (by `write`) their masks over the rows of W.
public enum PopulationStage {
    public static let fileName = "1.8e_unreachable_tokens.safetensors"

    /// The notebook's three populations; its bulk is rows − unreachable, so rows with no token count as bulk.
    public struct NotebookSplit: Sendable, Equatable, Codable {
        public var cluster: Int
        public var halo: Int
        public var bulk: Int
    }

    public struct Result: StageResult, Sendable {
        public var rowCount: Int
        /// Every unreachable token, its halo (those outside the cluster) and the cluster, as ids.
        public var unreachable: [Int]
        public var halo: [Int]
        public var clusterTokens: [Int]
        public var notebook: NotebookSplit
        /// Rows in each population of the corrected split.
        public var corrected: [RowPopulation: Int]
        /// Tokens unreachable in any context, when the witness search ran.
        public var unreachableInAnyContext: Int?
        /// Each row's population in the corrected split (no token as its own population).
        public var rowPopulations: [RowPopulation]
        /// The masks file, once `write` wrote it.
        public var path: String?

        /// The JSON summary, encoded from the fields above.
        public var summary: JSONValue {
            [
                "step": "1.8e", "output": path.map { JSONValue.string($0) } ?? nil, "rows": JSONValue(rowCount),
                "notebook": ["cluster": JSONValue(notebook.cluster), "halo": JSONValue(notebook.halo), "bulk": JSONValue(notebook.bulk),
                             "note": "bulk = rows − unreachable, as the notebook counts it: rows with no token count as bulk"],
                "corrected": .object(RowPopulation.allCases.map { JSONMember(key: $0.description, value: JSONValue(corrected[$0] ?? 0)) }),
                "unreachable_in_any_context": unreachableInAnyContext.map { JSONValue($0) } ?? nil,
            ]
        }
    }

    /// Reads a 1.8d file and the cluster ids and splits `rowCount` rows into the populations.
    /// - Parameter outputDirectory: where to write the 1.8e masks (`write`), or `nil` for none.
    public static func run(reachabilityFile: String, clusterTokens: [Int], rowCount: Int, outputDirectory: String? = nil) throws -> Result {
        let file = try SafeTensorsFile(path: reachabilityFile)
        let unreachable = try TokenIDFile.read(reachabilityFile, keys: ["all_unreachable"], rowCount: rowCount)
        let reachable = try TokenIDFile.read(reachabilityFile, keys: ["all_reachable"], rowCount: rowCount)
        let anyContext = file["unreachable_in_any_context"] != nil
            ? try TokenIDFile.read(reachabilityFile, keys: ["unreachable_in_any_context"], rowCount: rowCount).count : nil
        var result = split(reachable: reachable, unreachable: unreachable, unreachableInAnyContext: anyContext,
                           clusterTokens: clusterTokens, rowCount: rowCount)
        if let outputDirectory { try write(&result, input: reachabilityFile, outputDirectory: outputDirectory) }
        return result
    }

    /// The populations from a reachability run in memory (the survey's path: no file read back).
    /// - Parameter outputDirectory: where to write the 1.8e masks (`write`), or `nil` for none.
    public static func run(reachability: ReachabilityStage.Result, clusterTokens: [Int], rowCount: Int,
                           outputDirectory: String? = nil) throws -> Result {
        var result = split(reachable: reachability.lists.allReachable, unreachable: reachability.lists.allUnreachable,
                           unreachableInAnyContext: reachability.witnesses?.unreachableInAnyContext.count,
                           clusterTokens: clusterTokens, rowCount: rowCount)
        if let outputDirectory {
            // The masks' provenance is the 1.8d file the lists went to, if they went to one.
            try write(&result, input: reachability.path ?? "1.8d lists in memory (not written)", outputDirectory: outputDirectory)
        }
        return result
    }

    static func split(reachable: [Int], unreachable: [Int], unreachableInAnyContext: Int?, clusterTokens: [Int],
                      rowCount: Int) -> Result {
        let cluster = Set(clusterTokens)
        let halo = unreachable.filter { !cluster.contains($0) }
        // The corrected split: rows that are neither reachable nor unreachable tokens (past the
        // tokenizer's ids, or gaps in them) have no token.
        var populations = [RowPopulation](repeating: .noToken, count: rowCount)
        for id in cluster { populations[id] = .noTokenInCluster }
        for id in reachable { populations[id] = .reachableOutsideCluster }
        for id in unreachable { populations[id] = cluster.contains(id) ? .unreachableInCluster : .unreachableOutsideCluster }
        for id in reachable where cluster.contains(id) { populations[id] = .reachableInCluster }
        var counts: [RowPopulation: Int] = [:]
        for p in populations { counts[p, default: 0] += 1 }
        return Result(rowCount: rowCount, unreachable: unreachable, halo: halo, clusterTokens: clusterTokens,
                      notebook: NotebookSplit(cluster: clusterTokens.count, halo: halo.count, bulk: rowCount - unreachable.count),
                      corrected: counts, unreachableInAnyContext: unreachableInAnyContext, rowPopulations: populations, path: nil)
    }

    /// Writes `DIR/1.8e_unreachable_tokens.safetensors` (the id lists and their masks over the
    /// rows) and records its path in the result.
    /// - Parameter input: the 1.8d file the lists come from, recorded as the masks' provenance.
    public static func write(_ result: inout Result, input: String, outputDirectory: String) throws {
        func mask(_ ids: [Int]) -> [Bool] {
            var mask = [Bool](repeating: false, count: result.rowCount)
            for id in ids { mask[id] = true }
            return mask
        }
        try FileManager.default.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true)
        var writer = SafeTensorsWriter(metadata: ["tool": "tokenscope \(Provenance.toolVersion)", "notebook_step": "1.8e",
                                                  "input": input])
        writer.add("all_unreachable_ids", int64: result.unreachable)
        writer.add("halo_token_ids", int64: result.halo)
        writer.add("cluster_token_ids", int64: result.clusterTokens)
        writer.add("unreachable_mask", bool: mask(result.unreachable))
        writer.add("halo_mask", bool: mask(result.halo))
        writer.add("cluster_mask", bool: mask(result.clusterTokens))
        writer.add(ClusterStage.rowCountKey, int64: [result.rowCount])
        let path = outputDirectory + "/" + fileName
        try writer.write(to: path)
        result.path = path
    }
}
