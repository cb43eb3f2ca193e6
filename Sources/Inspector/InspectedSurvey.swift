import Foundation
import TokenScope

/// A survey folder read into memory for the inspector: what the maps draw and the tooltips show,
/// and W for the exact neighbours. Immutable once loaded, so requests share it freely.
///
/// Required files: `survey.json`, `W.safetensors`, `1.2a_norms.safetensors`,
/// `1.3a_sky_coordinates.safetensors`, `1.4h_cluster_tokens.safetensors`. Optional (written when
/// the survey had a tokenizer): `1.8d_full_vocab_reachability.safetensors` and
/// `1.8d_token_table.csv` (populations, readable forms, scripts, categories) and the tokenizer that
/// `survey.json` records (text search).
public final class InspectedSurvey: @unchecked Sendable {
    public static let requiredFiles = [
        SurveyStage.summaryName, ExtractStage.fileName, NormStage.fileName, SkyMapStage.fileName, ClusterStage.fileName,
    ]

    /// The folder's name, as the page shows it.
    public let name: String
    /// The folder with symlinks resolved: the only place `/surveys/N/…` serves from.
    public let directory: String
    public let summary: JSONValue
    public let matrix: Matrix
    /// The exact neighbour queries over `matrix` (their index builds in the background).
    let neighbours: ExactNeighbours
    public let longitude: [Float]
    public let latitude: [Float]
    public let radius: [Float]
    public let norms: [Float]
    /// Each row's index into `populationLabels`.
    public let population: [UInt8]
    public let populationLabels: [String]
    /// Each row's index into `scriptLabels`.
    public let script: [UInt8]
    public let scriptLabels: [String]
    /// Readable form and round-trip category per token id (nil past the tokenizer or without a token table).
    public let readable: [String?]
    public let category: [String?]
    public let blackHoles: [BlackHoleCensus.Hole]
    /// Each row's index into `blackHoles`, or −1.
    public let blackHoleOfRow: [Int32]
    public let tokenizer: Tokenizer?
    /// `/api/points`, built once: see `InspectorAPI.pointsFormat`.
    public let points: [UInt8]

    public var rows: Int { matrix.rows }

    /// - Parameter parallelism: the threads of the loading and of every neighbour query.
    public convenience init(directory: String, parallelism: Parallelism = .allCores) throws {
        try self.init(directory: directory, resolved: Self.resolve(directory), parallelism: parallelism)
    }

    private init(directory given: String, resolved directory: String, parallelism: Parallelism) throws {
        let missing = Self.requiredFiles.filter { !FileManager.default.fileExists(atPath: directory + "/" + $0) }
        guard missing.isEmpty else {
            throw InspectorError("\(given): not a survey folder (missing \(missing.joined(separator: ", "))); run `tokenscope survey` first")
        }
        self.directory = directory
        name = URL(fileURLWithPath: directory).lastPathComponent
        let summaryBytes = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + SurveyStage.summaryName))
        do { summary = try JSONParser().parse(summaryBytes) } catch {
            throw InspectorError("\(given)/\(SurveyStage.summaryName): \(error)")
        }
        matrix = try ModelLoader.load(path: directory + "/" + ExtractStage.fileName, parallelism: parallelism).matrix
        neighbours = ExactNeighbours(matrix: matrix, parallelism: parallelism)
        let rowCount = matrix.rows

        func floats(_ file: String, _ key: String) throws -> [Float] {
            let values = try SafeTensorsFile(path: directory + "/" + file).doubles(key)
            guard values.count == rowCount else {
                throw InspectorError("\(given)/\(file): \"\(key)\" holds \(values.count) rows but W has \(rowCount)")
            }
            return values.map { Float($0) }
        }
        norms = try floats(NormStage.fileName, "norms")
        longitude = try floats(SkyMapStage.fileName, "longitude")
        latitude = try floats(SkyMapStage.fileName, "latitude")
        radius = try floats(SkyMapStage.fileName, "r")

        let cluster = try TokenIDFile.read(directory + "/" + ClusterStage.fileName, keys: ["cluster_token_ids"], rowCount: rowCount)
        let reachabilityPath = directory + "/" + ReachabilityStage.fileName
        if FileManager.default.fileExists(atPath: reachabilityPath) {
            let unreachable = try TokenIDFile.read(reachabilityPath, keys: ["all_unreachable"], rowCount: rowCount)
            let tokenless = try TokenIDFile.read(reachabilityPath, keys: ["no_token_rows"], rowCount: rowCount)
            var rows = [RowPopulation](repeating: .reachableOutsideCluster, count: rowCount)
            for id in unreachable { rows[id] = .unreachableOutsideCluster }
            for id in tokenless { rows[id] = .noToken }
            for id in cluster {
                switch rows[id] {
                case .unreachableOutsideCluster: rows[id] = .unreachableInCluster
                case .noToken: rows[id] = .noTokenInCluster
                default: rows[id] = .reachableInCluster
                }
            }
            population = rows.map(\.rawValue)
            populationLabels = RowPopulation.allCases.map(\.description)
        } else {
            // Without a tokenizer the survey knows only the cluster.
            var rows = [UInt8](repeating: 1, count: rowCount)
            for id in cluster { rows[id] = 0 }
            population = rows
            populationLabels = ["in cluster", "outside cluster"]
        }

        let tablePath = directory + "/" + ReachabilityStage.tableName
        var readable = [String?](repeating: nil, count: rowCount)
        var category = [String?](repeating: nil, count: rowCount)
        var scriptNames = [String](repeating: "no token", count: rowCount)
        if FileManager.default.fileExists(atPath: tablePath) {
            let table = try TokenTableReader(path: tablePath)
            for record in table.records where record.id < rowCount {
                readable[record.id] = record.readable
                category[record.id] = record.category
                scriptNames[record.id] = record.script
            }
        } else {
            scriptNames = [String](repeating: "unknown", count: rowCount)
        }
        self.readable = readable
        self.category = category
        let labels = Array(Set(scriptNames)).sorted()
        guard labels.count <= 255 else { throw InspectorError("\(given)/\(ReachabilityStage.tableName): more than 255 scripts") }
        let codes = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($0.element, UInt8($0.offset)) })
        scriptLabels = labels
        script = scriptNames.map { codes[$0] ?? 0 }

        let census = BlackHoleCensus(matrix: matrix, parallelism: parallelism)
        blackHoles = census.holes
        var holeOfRow = [Int32](repeating: -1, count: rowCount)
        for (index, hole) in census.holes.enumerated() { for id in hole.tokens { holeOfRow[id] = Int32(index) } }
        blackHoleOfRow = holeOfRow

        tokenizer = try Self.tokenizer(directory: directory, summary: summary, parallelism: parallelism)
        points = InspectorAPI.pointsPayload(longitude: longitude, latitude: latitude, radius: radius,
                                            population: population, script: script)
    }

    /// The folder's real path; refuses what is not a directory.
    static func resolve(_ path: String) throws -> String {
        let real = URL(fileURLWithPath: path).resolvingSymlinksInPath().standardizedFileURL.path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: real, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw InspectorError("\(path): no such directory")
        }
        return real
    }

    /// The tokenizer `survey.json` records, else a `tokenizer.json` beside the survey's files; none is fine
    /// (text search then looks at the readable forms only).
    static func tokenizer(directory: String, summary: JSONValue, parallelism: Parallelism) throws -> Tokenizer? {
        let candidates = [summary["input"]?["tokenizer"]?.stringValue, directory + "/tokenizer.json"].compactMap { $0 }
        guard let path = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else { return nil }
        return try TokenizerLoader.load(path: path, parallelism: parallelism)
    }

    /// The row's black-hole group as the API shows it.
    func blackHole(of id: Int) -> JSONValue {
        let index = Int(blackHoleOfRow[id])
        guard index >= 0 else { return nil }
        let hole = blackHoles[index]
        return ["group": JSONValue(index), "population": JSONValue(hole.tokens.count), "representative": JSONValue(hole.tokens[0]),
                "norm": JSONValue(hole.norm)]
    }
}

/// A one-line failure of the inspector: a survey that cannot be served, a bad request.
public struct InspectorError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
