import Foundation
import JSON
import Reachability
import Report
import TensorFormats
import Tokenizers

/// Notebook 1.7a: tokens in readable form with their Unicode script. Writes nothing.
public enum DecodeStage {
    /// The id lists a file of ids may hold, first found first used.
    public static let idKeys = ["cluster_token_ids", "halo_token_ids", "spike_token_ids", "all_unreachable", "all_unreachable_ids"]

    public struct Token: Sendable, Equatable, Codable {
        public var id: Int
        /// The vocabulary's string for the id; empty past the tokenizer's ids.
        public var token: String
        public var readable: String
        /// The script's name; empty past the tokenizer's ids.
        public var script: String
    }

    /// The summary has the shape of the fields, so the synthesised decoding reads it back.
    public struct Result: StageResult, Sendable, Decodable {
        public var tokens: [Token]
        public var summary: JSONValue {
            ["tokens": .array(tokens.map { ["id": JSONValue($0.id), "token": .string($0.token), "readable": .string($0.readable),
                                            "script": .string($0.script)] })]
        }
    }

    /// Ids past the tokenizer are rows of W without a token, shown as such.
    public static func run(tokenizer: Tokenizer, ids: [Int]) throws -> Result {
        if let negative = ids.first(where: { $0 < 0 }) { throw StageError.negativeID(negative) }
        return Result(tokens: ids.map { id in
            guard id < tokenizer.idCount else {
                return Token(id: id, token: "", readable: "(no token: past the tokenizer's \(NumberFormat.grouped(tokenizer.idCount)) ids)", script: "")
            }
            let bytes = tokenizer.decodedBytes([id])
            return Token(id: id, token: ReadableForm.of(tokenizer.tokenString(id) ?? ""), readable: ReadableForm.of(bytes),
                         script: TokenScript.classify(bytes, isSpecial: tokenizer.isSpecial(id)).rawValue)
        })
    }
}

/// Notebook 1.10d: every token's Unicode script, optionally against the 1.8e populations; the
/// per-token table is written by `write`, apart from the census.
public enum ClassifyStage {
    public static let fileName = "1.10d_token_scripts.csv"
    /// The cross-table's columns, in order.
    public static let populationNames = ["cluster", "halo", "other"]

    public struct ScriptCount: Sendable, Equatable {
        public var script: TokenScript
        public var count: Int
    }

    public struct CrossRow: Sendable, Equatable {
        public var script: TokenScript
        /// Tokens in each of `populationNames`.
        public var counts: [Int]
    }

    public struct Result: StageResult, Sendable {
        /// Each token's script, by id.
        public var scripts: [TokenScript]
        /// Tokens per script, most first (ties by script name, so the order never varies).
        public var counts: [ScriptCount]
        /// Empty unless populations were given.
        public var crossTable: [CrossRow]
        public var path: String?
        public var summary: JSONValue {
            var members = [JSONMember(key: "scripts", value: .object(counts.map { JSONMember(key: $0.script.rawValue, value: JSONValue($0.count)) }))]
            if !crossTable.isEmpty {
                members.append(JSONMember(key: "cross_table", value: .array(crossTable.map { row in
                    .object([JSONMember(key: "script", value: .string(row.script.rawValue))]
                            + zip(populationNames, row.counts).map { JSONMember(key: $0.0, value: JSONValue($0.1)) })
                })))
            }
            if let path { members.append(JSONMember(key: "output", value: .string(path))) }
            return .object(members)
        }
    }

    /// - Parameter populationsFile: a 1.8e file; its cluster and halo masks label the rows.
    public static func run(tokenizer: Tokenizer, populationsFile: String? = nil) throws -> Result {
        let scripts = (0..<tokenizer.idCount).map { TokenScript.classify(tokenizer.decodedBytes([$0]), isSpecial: tokenizer.isSpecial($0)) }
        var tally: [TokenScript: Int] = [:]
        for s in scripts { tally[s, default: 0] += 1 }
        let counts = tally.map { ScriptCount(script: $0.key, count: $0.value) }
            .sorted { $0.count != $1.count ? $0.count > $1.count : $0.script.rawValue < $1.script.rawValue }
        var crossTable: [CrossRow] = []
        if let populationsFile {
            let file = try SafeTensorsFile(path: populationsFile)
            let cluster = try file.booleans("cluster_mask"), halo = try file.booleans("halo_mask")
            let labels = scripts.indices.map { id -> String in
                id < cluster.count && cluster[id] ? "cluster" : id < halo.count && halo[id] ? "halo" : "other"
            }
            let table = try CrossTable(rowLabels: scripts, columnLabels: labels)
            crossTable = table.rows.map { script in CrossRow(script: script, counts: populationNames.map { table.count(script, $0) }) }
        }
        return Result(scripts: scripts, counts: counts, crossTable: crossTable, path: nil)
    }

    /// Writes `DIR/1.10d_token_scripts.csv` (id, token, readable, script) and records its path in the result.
    public static func write(_ result: inout Result, tokenizer: Tokenizer, outputDirectory: String) throws {
        try FileManager.default.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true)
        let path = outputDirectory + "/" + fileName
        let writer = try AtomicFileWriter(destination: path)
        try writer.write(Array(CSV.document(header: ["id", "token", "readable", "script"], records: result.scripts.indices.map {
            [String($0), ReadableForm.of(tokenizer.tokenString($0) ?? ""), ReadableForm.of(tokenizer.decodedBytes([$0])), result.scripts[$0].rawValue]
        }).utf8))
        try writer.commit()
        result.path = path
    }
}

/// `count`: token frequencies over text files (`CorpusCount`) and the most frequent tokens; the
/// counts file is written by `write`, apart from the count.
public enum CountStage {
    public static let fileName = "token_counts.safetensors"

    public struct Frequent: Sendable, Equatable, Codable {
        public var id: Int
        public var count: Int
        public var readable: String
    }

    public struct Result: StageResult, Sendable {
        public var corpus: CorpusCount.Result
        public var files: [String]
        /// Ids that occur, `count` of them at most, most frequent first (ties by id).
        public var top: [Frequent]
        public var path: String?
        /// Ids that occur at least once.
        public var distinct: Int { corpus.counts.count - corpus.neverSeen.count }
        public var summary: JSONValue {
            var members: [JSONMember] = [
                JSONMember(key: "bytes", value: JSONValue(corpus.bytes)), JSONMember(key: "tokens", value: JSONValue(corpus.tokens)),
                JSONMember(key: "distinct", value: JSONValue(distinct)), JSONMember(key: "never_seen", value: JSONValue(corpus.neverSeen.count)),
                JSONMember(key: "top", value: .array(top.map { ["id": JSONValue($0.id), "count": JSONValue($0.count), "readable": .string($0.readable)] })),
            ]
            if let path { members.append(JSONMember(key: "output", value: .string(path))) }
            return .object(members)
        }
    }

    public static func run(tokenizer: Tokenizer, files: [String], top: Int = 20, parallelism: Parallelism = .allCores,
                           progress: ((String, Double) -> Void)? = nil) throws -> Result {
        guard top >= 0 else { throw StageError.invalidParameter(name: "number of frequent tokens to list", requirement: "0 or more", value: "\(top)") }
        let corpus = try CorpusCount.run(tokenizer: tokenizer, files: files, parallelism: parallelism, progress: progress)
        let counts = corpus.counts
        let ranked = counts.indices.sorted { counts[$0] != counts[$1] ? counts[$0] > counts[$1] : $0 < $1 }.prefix(top).filter { counts[$0] > 0 }
        return Result(corpus: corpus, files: files, top: ranked.map {
            Frequent(id: $0, count: counts[$0], readable: ReadableForm.of(tokenizer.decodedBytes([$0])))
        }, path: nil)
    }

    /// Writes `DIR/token_counts.safetensors` (counts: I64 per id, never_seen_ids: I64) with the
    /// files and tokenizer it came from, and records its path in the result.
    public static func write(_ result: inout Result, tokenizerPath: String, outputDirectory: String) throws {
        try FileManager.default.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true)
        var writer = SafeTensorsWriter(metadata: ["tool": "tokenscope \(Provenance.toolVersion)", "files": result.files.joined(separator: "\n"),
                                                  "input": tokenizerPath])
        writer.add("counts", int64: result.corpus.counts)
        writer.add("never_seen_ids", int64: result.corpus.neverSeen)
        let path = outputDirectory + "/" + fileName
        try writer.write(to: path)
        result.path = path
    }
}
