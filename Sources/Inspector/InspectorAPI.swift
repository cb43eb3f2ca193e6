import Foundation
import TokenScope

/// A request the API refuses: an HTTP status (4xx, or 503 when busy) and a one-line reason, sent as
/// `{"error": reason}`.
public struct APIError: Error, Equatable, Sendable {
    public let status: Int
    public let message: String
    public init(_ status: Int, _ message: String) { self.status = status; self.message = message }
}

/// The JSON API over the served surveys, independent of the HTTP framework: each endpoint takes its
/// parsed parameters and returns a JSON value or throws `APIError`.
public struct InspectorAPI: Sendable {
    public static let maxNeighbours = 1000
    public static let maxQueryCharacters = 256
    public static let maxSearchMatches = 200
    public static let maxEncodedTokens = 256
    public static let maxListedGroups = 1000
    public static let maxListedMembers = 10_000
    /// `/api/points`: magic "TSP1", UInt32 row count n, 8 reserved bytes; then Float32 longitude[n],
    /// latitude[n], r[n] (degrees, NaN for rows with no direction), UInt8 population[n], UInt8 script[n]
    /// (indices into the survey's `populations` and `scripts` lists); all little-endian.
    public static let pointsFormat = "TSP1"

    public let surveys: [InspectedSurvey]

    public init(surveys: [InspectedSurvey]) { self.surveys = surveys }

    // MARK: parameters

    /// The `survey` parameter: absent means the first survey.
    public func survey(_ value: Substring?) throws -> InspectedSurvey {
        guard let value else { return surveys[0] }
        guard let index = Int(value), index >= 0 else { throw APIError(400, "survey must be a survey index (got \"\(value.prefix(40))\")") }
        guard index < surveys.count else { throw APIError(404, "no survey \(index): \(surveys.count) served") }
        return surveys[index]
    }

    public func row(_ value: Substring?, in survey: InspectedSurvey) throws -> Int {
        guard let value, let id = Int(value), id >= 0 else { throw APIError(400, "the token id must be a non-negative integer (got \"\((value ?? "").prefix(40))\")") }
        guard id < survey.rows else { throw APIError(404, "no row \(id): W has \(survey.rows) rows") }
        return id
    }

    public func neighbourCount(_ value: Substring?) throws -> Int {
        guard let value else { return 10 }
        guard let k = Int(value), (0...Self.maxNeighbours).contains(k) else {
            throw APIError(400, "k must be an integer from 0 to \(Self.maxNeighbours) (got \"\(value.prefix(40))\")")
        }
        return k
    }

    // MARK: endpoints

    /// `GET /api/surveys`.
    public func surveyList() -> JSONValue {
        .object([
            JSONMember(key: "surveys", value: .array(surveys.enumerated().map { index, survey in describe(survey, index: index) })),
            JSONMember(key: "limits", value: ["k": JSONValue(Self.maxNeighbours), "query_characters": JSONValue(Self.maxQueryCharacters),
                                              "search_matches": JSONValue(Self.maxSearchMatches)]),
            JSONMember(key: "points_format", value: .string(Self.pointsFormat)),
        ])
    }

    func describe(_ survey: InspectedSurvey, index: Int) -> JSONValue {
        func counts(_ codes: [UInt8], _ labels: [String]) -> JSONValue {
            var tally = [Int](repeating: 0, count: labels.count)
            for code in codes { tally[Int(code)] += 1 }
            return .array(labels.enumerated().map { ["code": JSONValue($0.offset), "label": .string($0.element), "rows": JSONValue(tally[$0.offset])] })
        }
        let input = survey.summary["input"]
        let stages = survey.summary["stages"]
        return [
            "index": JSONValue(index), "name": .string(survey.name),
            "rows": JSONValue(survey.rows), "columns": JSONValue(survey.matrix.columns),
            "dtype": .string(survey.matrix.format.rawValue),
            "neighbour_index": .string(survey.neighbours.status),
            "tokenizer_ids": input?["tokenizer_ids"] ?? nil,
            "text_encoding": JSONValue(survey.tokenizer != nil),
            "sha256": input?["sha256"] ?? nil,
            "populations": counts(survey.population, survey.populationLabels),
            "scripts": counts(survey.script, survey.scriptLabels),
            "black_holes": ["groups": JSONValue(survey.blackHoles.count),
                            "tokens": JSONValue(survey.blackHoles.reduce(0) { $0 + $1.tokens.count })],
            "cluster_tokens": stages?["clusters"]?["giant"]?["tokens"] ?? nil,
            "norms": stages?["norms"]?["statistics"] ?? nil,
            "report": FileManager.default.fileExists(atPath: survey.directory + "/" + SurveyStage.reportName)
                ? .string("/surveys/\(index)/\(SurveyStage.reportName)") : nil,
        ]
    }

    /// `GET /api/tokens/{id}` without the neighbours, which `neighbours` adds.
    public func token(_ id: Int, in survey: InspectedSurvey) -> [JSONMember] {
        func finite(_ value: Float) -> JSONValue { value.isFinite ? JSONValue(value) : nil }
        return [
            JSONMember(key: "id", value: JSONValue(id)),
            JSONMember(key: "readable", value: survey.readable[id].map { JSONValue.string($0) } ?? nil),
            JSONMember(key: "population", value: .string(survey.populationLabels[Int(survey.population[id])])),
            JSONMember(key: "script", value: .string(survey.scriptLabels[Int(survey.script[id])])),
            JSONMember(key: "category", value: survey.category[id].map { JSONValue.string($0) } ?? nil),
            JSONMember(key: "norm", value: finite(survey.norms[id])),
            JSONMember(key: "black_hole", value: survey.blackHole(of: id)),
            JSONMember(key: "longitude", value: finite(survey.longitude[id])),
            JSONMember(key: "latitude", value: finite(survey.latitude[id])),
            JSONMember(key: "r", value: finite(survey.radius[id])),
        ]
    }

    public func neighbours(_ found: [(id: Int, distance: Double)], in survey: InspectedSurvey) -> JSONValue {
        .array(found.map { ["id": JSONValue($0.id), "distance": JSONValue($0.distance), "readable": survey.readable[$0.id].map { JSONValue.string($0) } ?? nil] })
    }

    /// `GET /api/search?q=`: the id itself when `q` is one, the tokenizer's encoding of `q`, and the
    /// vocabulary entries whose readable form contains `q`.
    public func search(_ query: Substring?, in survey: InspectedSurvey) throws -> JSONValue {
        guard let query, !query.isEmpty else { throw APIError(400, "q must be a non-empty text or token id") }
        guard query.count <= Self.maxQueryCharacters else { throw APIError(400, "q is longer than \(Self.maxQueryCharacters) characters") }
        let text = String(query)
        func entry(_ id: Int) -> JSONValue {
            ["id": JSONValue(id), "readable": survey.readable[id].map { JSONValue.string($0) } ?? nil,
             "population": .string(survey.populationLabels[Int(survey.population[id])])]
        }
        var idMatch: JSONValue = nil
        if let id = Int(text.trimmingCharacters(in: .whitespaces)), id >= 0, id < survey.rows { idMatch = entry(id) }
        var encoding: JSONValue = nil
        if let tokenizer = survey.tokenizer {
            let ids = tokenizer.encode(text).filter { $0 < survey.rows }
            encoding = .array(ids.prefix(Self.maxEncodedTokens).map(entry))
        }
        var matches: [Int] = []
        var total = 0
        for id in 0..<survey.rows {
            guard let readable = survey.readable[id], readable.contains(text) else { continue }
            total += 1
            if matches.count < Self.maxSearchMatches { matches.append(id) }
        }
        return [
            "query": .string(text), "id": idMatch, "encoding": encoding,
            "matches": .array(matches.map(entry)), "match_count": JSONValue(total),
            "truncated": JSONValue(total > matches.count),
        ]
    }

    /// `GET /api/blackholes`: every group of identical rows, most populated first.
    public func blackHoles(in survey: InspectedSurvey) -> JSONValue {
        let listed = survey.blackHoles.prefix(Self.maxListedGroups)
        return [
            "groups": .array(listed.enumerated().map { index, hole in
                ["group": JSONValue(index), "population": JSONValue(hole.tokens.count), "norm": JSONValue(hole.norm),
                 "representative": JSONValue(hole.tokens[0]), "readable": survey.readable[hole.tokens[0]].map { JSONValue.string($0) } ?? nil,
                 "first_members": JSONValue(Array(hole.tokens.prefix(8)))]
            }),
            "total": JSONValue(survey.blackHoles.count), "truncated": JSONValue(survey.blackHoles.count > listed.count),
        ]
    }

    /// `GET /api/blackholes/{group}`: one group's members.
    public func blackHole(_ value: Substring?, in survey: InspectedSurvey) throws -> JSONValue {
        guard let value, let index = Int(value), index >= 0 else { throw APIError(400, "the group must be a non-negative integer") }
        guard index < survey.blackHoles.count else { throw APIError(404, "no black-hole group \(index): \(survey.blackHoles.count) groups") }
        let hole = survey.blackHoles[index]
        let listed = hole.tokens.prefix(Self.maxListedMembers)
        return [
            "group": JSONValue(index), "population": JSONValue(hole.tokens.count), "norm": JSONValue(hole.norm),
            "members": .array(listed.map { id in
                ["id": JSONValue(id), "readable": survey.readable[id].map { JSONValue.string($0) } ?? nil,
                 "population": .string(survey.populationLabels[Int(survey.population[id])])]
            }),
            "truncated": JSONValue(hole.tokens.count > listed.count),
        ]
    }

    static func pointsPayload(longitude: [Float], latitude: [Float], radius: [Float], population: [UInt8], script: [UInt8]) -> [UInt8] {
        let n = longitude.count
        var out: [UInt8] = Array(pointsFormat.utf8)
        out.reserveCapacity(16 + n * 14)
        withUnsafeBytes(of: UInt32(n).littleEndian) { out += $0 }
        out += [UInt8](repeating: 0, count: 8)
        for column in [longitude, latitude, radius] {
            for value in column { withUnsafeBytes(of: value.bitPattern.littleEndian) { out += $0 } }
        }
        out += population
        out += script
        return out
    }
}
