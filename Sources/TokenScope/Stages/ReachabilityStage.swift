import Foundation
import JSON
import Reachability
import TensorFormats
import Tokenizers

/// Notebooks 1.8c/1.8d: decode → encode round trip of every id, the five lists of
/// `1.8d_full_vocab_reachability.safetensors`, and a witness search for every failing token.
public enum ReachabilityStage {
    public static let fileName = "1.8d_full_vocab_reachability.safetensors"
    public static let tableName = "1.8d_token_table.csv"

    public struct Result: Sendable {
        public var roundTrip: RoundTripResult
        public var lists: ReachabilityLists
        public var witnesses: WitnessSearchResult?
        public var path: String
        public var tablePath: String
        public var summary: JSONValue
        /// For a GGUF vocabulary, which normalisation semantics the run used (`GGUFTokenizerJSON.semantics`).
        public var tokenizerSemantics: String?

        /// `summary` with every token's category and re-encoding length, as the CSV has them.
        public var summaryWithPerToken: JSONValue {
            guard case .object(let members) = summary else { return summary }
            return .object(members + [JSONMember(key: "per_token", value: [
                "category": .array(roundTrip.categories.map { .string($0.label) }),
                "reencoding_length": JSONValue(roundTrip.reencodingLengths),
            ])])
        }
    }

    /// - Parameters:
    ///   - clusterTokens: the cluster's row ids (a 1.4h file's `cluster_token_ids`), if known.
    ///   - rowCount: rows of W; ids past the tokenizer's are "no token". Defaults to the id count.
    public static func run(tokenizer: Tokenizer, tokenizerPath: String, clusterTokens: [Int]?, rowCount: Int?,
                           searchWitnesses witnessSearch: Bool = true, outputDirectory: String,
                           parallelism: Parallelism = .allCores, progress: ((String, Double) -> Void)? = nil) throws -> Result {
        let rows = rowCount ?? tokenizer.idCount
        if let clusterTokens, let largest = clusterTokens.max(), largest >= rows {
            throw rowCount == nil
                ? StageError.needsInput(.rowCount, reason: "the clusters file holds id \(largest) but the tokenizer has only "
                                        + "\(tokenizer.idCount) ids, and the file does not record W's row count (\(ClusterStage.rowCountKey)): "
                                        + "give W's row count so that the ids past the tokenizer count as rows with no token")
                : StageError.idOutOfRange(id: largest, rowCount: rows)
        }
        try FileManager.default.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true)
        let start = Date()
        progress?("decoding and re-encoding every id", 0)
        let trip = RoundTrip.run(tokenizer, parallelism: parallelism)
        let lists = try ReachabilityLists(roundTrip: trip, clusterIds: clusterTokens, rowCount: rows)
        progress?("searching witnesses for \(trip.unreachable.count) tokens", 0)
        let witnesses = witnessSearch ? WitnessSearch.run(tokenizer, roundTrip: trip, parallelism: parallelism) : nil
        // A regex stopped for backtracking made every encoding since incomplete.
        if let error = tokenizer.patternLimitError { throw error.inFile(tokenizerPath) }
        let seconds = Date().timeIntervalSince(start)
        let semantics = TokenizerLoader.semantics(path: tokenizerPath)

        var metadata: [String: String] = [
            "tool": "tokenscope \(Provenance.toolVersion)", "notebook_step": "1.8d", "input": tokenizerPath,
            "round_trip": "decode([id]) keeping special tokens, encode without special tokens, padding or truncation",
            "cluster_but_reachable": "cluster rows that are not unreachable tokens, rows with no token included (the notebook's 278)",
            "unreachable_in_any_context": witnesses.map { "no witness within bounds \($0.bounds)" } ?? "not searched",
        ]
        metadata["tokenizer_semantics"] = semantics
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

        let records = TokenTable.records(tokenizer, roundTrip: trip, witnesses: witnesses, parallelism: parallelism)
        let tablePath = outputDirectory + "/" + tableName
        let table = try AtomicFileWriter(destination: tablePath)
        try table.write(TokenTable.csvBytes(records, parallelism: parallelism))
        try table.commit()

        var summary = summary(trip, lists, witnesses, path: path, tablePath: tablePath, seconds: seconds)
        if let semantics, case .object(var members) = summary {
            members.append(JSONMember(key: "tokenizer_semantics", value: .string(semantics)))
            summary = .object(members)
        }
        return Result(roundTrip: trip, lists: lists, witnesses: witnesses, path: path, tablePath: tablePath,
                      summary: summary, tokenizerSemantics: semantics)
    }

    static func summary(_ trip: RoundTripResult, _ lists: ReachabilityLists, _ witnesses: WitnessSearchResult?,
                        path: String, tablePath: String, seconds: Double) -> JSONValue {
        let categories = TokenCategory.allCases.map { JSONMember(key: $0.label, value: JSONValue(trip.categoryCounts[$0] ?? 0)) }
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
        return [
            "step": "1.8d", "output": .string(path), "token_table": .string(tablePath),
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
    }
}

/// Notebook 1.8e: the populations as masks over the rows of W.
public enum PopulationStage {
    public static let fileName = "1.8e_unreachable_tokens.safetensors"

    /// The notebook's three populations; its bulk is rows − unreachable, so rows with no token count as bulk.
    public struct NotebookSplit: Sendable, Equatable, Codable {
        public var cluster: Int
        public var halo: Int
        public var bulk: Int
    }

    public struct Result: Sendable {
        public var path: String
        public var rowCount: Int
        public var notebook: NotebookSplit
        /// Rows in each population of the corrected split.
        public var corrected: [RowPopulation: Int]
        /// Tokens unreachable in any context, when the witness search ran.
        public var unreachableInAnyContext: Int?
        /// Each row's population in the corrected split (no token as its own population).
        public var rowPopulations: [RowPopulation]

        /// The JSON summary, encoded from the fields above.
        public var summary: JSONValue {
            [
                "step": "1.8e", "output": .string(path), "rows": JSONValue(rowCount),
                "notebook": ["cluster": JSONValue(notebook.cluster), "halo": JSONValue(notebook.halo), "bulk": JSONValue(notebook.bulk),
                             "note": "bulk = rows − unreachable, as the notebook counts it: rows with no token count as bulk"],
                "corrected": .object(RowPopulation.allCases.map { JSONMember(key: $0.description, value: JSONValue(corrected[$0] ?? 0)) }),
                "unreachable_in_any_context": unreachableInAnyContext.map { JSONValue($0) } ?? nil,
            ]
        }
    }

    /// Reads a 1.8d file and the cluster ids and writes the 1.8e masks over `rowCount` rows.
    public static func run(reachabilityFile: String, clusterTokens: [Int], rowCount: Int, outputDirectory: String) throws -> Result {
        let file = try SafeTensorsFile(path: reachabilityFile)
        let unreachable = try TokenIDFile.read(reachabilityFile, keys: ["all_unreachable"], rowCount: rowCount)
        let reachable = try TokenIDFile.read(reachabilityFile, keys: ["all_reachable"], rowCount: rowCount)
        let anyContext = file["unreachable_in_any_context"] != nil
            ? try TokenIDFile.read(reachabilityFile, keys: ["unreachable_in_any_context"], rowCount: rowCount).count : nil
        return try run(reachable: reachable, unreachable: unreachable, unreachableInAnyContext: anyContext,
                       clusterTokens: clusterTokens, rowCount: rowCount, input: reachabilityFile, outputDirectory: outputDirectory)
    }

    /// The populations from a reachability run in memory (the survey's path: no file read back).
    public static func run(reachability: ReachabilityStage.Result, clusterTokens: [Int], rowCount: Int,
                           outputDirectory: String) throws -> Result {
        try run(reachable: reachability.lists.allReachable, unreachable: reachability.lists.allUnreachable,
                unreachableInAnyContext: reachability.witnesses?.unreachableInAnyContext.count,
                clusterTokens: clusterTokens, rowCount: rowCount, input: reachability.path, outputDirectory: outputDirectory)
    }

    /// - Parameter input: the 1.8d file the lists come from, recorded as the masks' provenance.
    static func run(reachable: [Int], unreachable: [Int], unreachableInAnyContext: Int?, clusterTokens: [Int], rowCount: Int,
                    input: String, outputDirectory: String) throws -> Result {
        let cluster = Set(clusterTokens)
        let halo = unreachable.filter { !cluster.contains($0) }
        var unreachableMask = [Bool](repeating: false, count: rowCount)
        var haloMask = unreachableMask, clusterMask = unreachableMask
        for id in unreachable { unreachableMask[id] = true }
        for id in halo { haloMask[id] = true }
        for id in clusterTokens { clusterMask[id] = true }

        try FileManager.default.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true)
        var writer = SafeTensorsWriter(metadata: ["tool": "tokenscope \(Provenance.toolVersion)", "notebook_step": "1.8e",
                                                  "input": input])
        writer.add("all_unreachable_ids", int64: unreachable)
        writer.add("halo_token_ids", int64: halo)
        writer.add("cluster_token_ids", int64: clusterTokens)
        writer.add("unreachable_mask", bool: unreachableMask)
        writer.add("halo_mask", bool: haloMask)
        writer.add("cluster_mask", bool: clusterMask)
        writer.add(ClusterStage.rowCountKey, int64: [rowCount])
        let path = outputDirectory + "/" + fileName
        try writer.write(to: path)

        // The corrected split: rows that are neither reachable nor unreachable tokens (past the
        // tokenizer's ids, or gaps in them) have no token.
        var populations = [RowPopulation](repeating: .noToken, count: rowCount)
        for id in cluster { populations[id] = .noTokenInCluster }
        for id in reachable { populations[id] = .reachableOutsideCluster }
        for id in unreachable { populations[id] = cluster.contains(id) ? .unreachableInCluster : .unreachableOutsideCluster }
        for id in reachable where cluster.contains(id) { populations[id] = .reachableInCluster }
        var counts: [RowPopulation: Int] = [:]
        for p in populations { counts[p, default: 0] += 1 }
        return Result(path: path, rowCount: rowCount,
                      notebook: NotebookSplit(cluster: clusterTokens.count, halo: halo.count, bulk: rowCount - unreachable.count),
                      corrected: counts, unreachableInAnyContext: unreachableInAnyContext, rowPopulations: populations)
    }
}
