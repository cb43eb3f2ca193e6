import Foundation
import Hummingbird
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TestSupport
@testable import Inspector
import TokenScope

/// A tiny synthetic model surveyed once for every test here.
enum Fixture {
    struct Survey: @unchecked Sendable {
        let directory: String
        let truth: SyntheticTruth
        let survey: InspectedSurvey
        var api: InspectorAPI { InspectorAPI(surveys: [survey]) }
    }

    static let shared: Result<Survey, Error> = Result {
        // Hummingbird reads its log level from the environment; the servers' start and stop are noise here.
        setenv("LOG_LEVEL", "critical", 0)
        let root = ScratchDirectory.make("inspector")
        let truth = try SyntheticModel.generate(preset: .tiny, seed: 11, directory: root + "/model")
        var options = SurveyOptions()
        options.searchWitnesses = false
        _ = try SurveyStage.run(modelPath: root + "/model", options: options, outputDirectory: root + "/survey")
        // A link out of the folder: the server must refuse to follow it.
        try "SECRET-7f3a".write(toFile: root + "/secret.txt", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: root + "/survey/link.txt", withDestinationPath: root + "/secret.txt")
        return Survey(directory: root + "/survey", truth: truth, survey: try InspectedSurvey(directory: root + "/survey"))
    }

    static func get() throws -> Survey { try shared.get() }

}

/// An answer from the live server.
struct Reply {
    let status: Int
    let headers: [String: String]
    let body: [UInt8]
    var text: String { String(decoding: body, as: UTF8.self) }
    func json() throws -> JSONValue { try JSONParser().parse(body) }
}

/// A client of a server started in-process on an ephemeral loopback port.
struct Client: Sendable {
    let port: Int
    let session: URLSession

    func get(_ path: String, method: String = "GET", headers: [String: String] = [:]) async throws -> Reply {
        let url = try #require(URL(string: "http://127.0.0.1:\(port)" + path), "\(path.prefix(60))")
        var request = URLRequest(url: url)
        request.httpMethod = method
        for (key, value) in headers { request.setValue(value, forHTTPHeaderField: key) }
        return try await withCheckedThrowingContinuation { continuation in
            session.dataTask(with: request) { data, response, error in
                if let error { return continuation.resume(throwing: error) }
                let http = response as? HTTPURLResponse
                var fields: [String: String] = [:]
                for (key, value) in http?.allHeaderFields ?? [:] { fields[String(describing: key).lowercased()] = String(describing: value) }
                continuation.resume(returning: Reply(status: http?.statusCode ?? 0, headers: fields, body: [UInt8](data ?? Data())))
            }.resume()
        }
    }
}

/// Serves the fixture on 127.0.0.1 with an ephemeral port for the length of `body`.
@available(macOS 14, *)
func withServer(_ fixture: Fixture.Survey, kernel: KernelQueue = KernelQueue(limit: 64),
                _ body: @escaping @Sendable (Client) async throws -> Void) async throws {
    let (ports, announce) = AsyncStream<Int>.makeStream()
    let app = InspectorServer.application(api: fixture.api, kernel: kernel, host: "127.0.0.1", port: 0) { announce.yield($0) }
    let configuration = URLSessionConfiguration.ephemeral
    configuration.urlCache = nil
    configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
    // The server's handlers run on Swift's shared executor, which the other suites' long synchronous
    // tests can hold for minutes on a 2-core machine; the default 60 s would fail a reply that is only late.
    configuration.timeoutIntervalForRequest = 1800
    configuration.timeoutIntervalForResource = 1800
    let session = URLSession(configuration: configuration)
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await app.runService(gracefulShutdownSignals: []) }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())
        do { try await body(Client(port: port, session: session)) } catch { group.cancelAll(); throw error }
        group.cancelAll()
    }
}

/// The k nearest rows by a plain computation in Double over the stored values, ties by id.
func bruteForceNeighbours(_ matrix: Matrix, _ row: Int, k: Int) -> [(id: Int, distance: Double)] {
    let origin = matrix.row(row)
    var all: [(id: Int, distance: Double)] = []
    for other in 0..<matrix.rows where other != row {
        let values = matrix.row(other)
        var sum = 0.0
        for c in 0..<matrix.columns { let d = Double(origin[c]) - Double(values[c]); sum += d * d }
        all.append((other, sum.squareRoot()))
    }
    all.sort { $0.distance != $1.distance ? $0.distance < $1.distance : $0.id < $1.id }
    return Array(all.prefix(k))
}

@Suite struct InspectorAPITests {
    @Test func surveysListsTheFiguresAndPopulationsOfEveryRow() async throws {
        guard #available(macOS 14, *) else { return }
        let fixture = try Fixture.get()
        try await withServer(fixture) { client in
            let response = try await client.get("/api/surveys")
            #expect(response.status == 200)
            let survey = try #require(try response.json()["surveys"]?.arrayValue?.first)
            #expect(survey["rows"]?.intValue == fixture.truth.rows)
            #expect(survey["cluster_tokens"]?.intValue == fixture.truth.clusterTokens.count)
            #expect(survey["text_encoding"]?.boolValue == true)
            let populations = survey["populations"]?.arrayValue ?? []
            #expect(populations.compactMap { $0["rows"]?.intValue }.reduce(0, +) == fixture.truth.rows)
            let tokenless = populations.filter { ($0["label"]?.stringValue ?? "").hasPrefix("no token") }
            #expect(tokenless.compactMap { $0["rows"]?.intValue }.reduce(0, +) == fixture.truth.tokenlessRows.count)
        }
    }

    @Test func neighboursAreExactAndTiesGoToTheSmallerID() async throws {
        guard #available(macOS 14, *) else { return }
        let fixture = try Fixture.get()
        let matrix = fixture.survey.matrix
        let bigOne = fixture.truth.bigOne
        // A Big One member (ties at distance 0), a halo token, a bulk row and the last row.
        let rows = [bigOne[1], fixture.truth.haloTokens.first ?? 1, 0, matrix.rows - 1]
        try await withServer(fixture) { client in
            for row in rows {
                let response = try await client.get("/api/tokens/\(row)?k=12")
                #expect(response.status == 200)
                let got = (try response.json()["neighbours"]?.arrayValue ?? []).map { ($0["id"]?.intValue ?? -1, $0["distance"]?.doubleValue ?? -1) }
                let expected = bruteForceNeighbours(matrix, row, k: 12)
                #expect(got.map(\.0) == expected.map(\.id), "row \(row)")
                for (g, e) in zip(got, expected) { #expect(abs(g.1 - e.distance) <= 1e-9 * max(1, e.distance)) }
            }
            let json = try await client.get("/api/tokens/\(bigOne[1])?k=3").json()
            // Identical rows first, at distance exactly 0, in id order; the token itself left out.
            let ids = (json["neighbours"]?.arrayValue ?? []).compactMap { $0["id"]?.intValue }
            #expect(ids == Array(bigOne.filter { $0 != bigOne[1] }.prefix(3)))
            #expect(json["black_hole"]?["population"]?.intValue == bigOne.count)
            #expect(json["population"]?.stringValue?.hasSuffix("in cluster") == true)
            #expect(json["norm"]?.doubleValue != nil && json["script"]?.stringValue != nil)
        }
    }

    @Test func searchFindsTheIDTheEncodingAndTheEntriesHoldingTheText() async throws {
        guard #available(macOS 14, *) else { return }
        let fixture = try Fixture.get()
        let survey = fixture.survey
        // A reachable token whose readable form is plain text: its own encoding is itself.
        let target = try #require((0..<survey.rows).first { id in
            survey.population[id] == RowPopulation.reachableOutsideCluster.rawValue
                && (survey.readable[id].map { $0.count >= 3 && $0.allSatisfy { $0.isLetter } } ?? false)
        })
        let text = try #require(survey.readable[target])
        try await withServer(fixture) { client in
            let escaped = text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
            let response = try await client.get("/api/search?q=\(escaped)")
            #expect(response.status == 200)
            let json = try response.json()
            #expect((json["encoding"]?.arrayValue ?? []).compactMap { $0["id"]?.intValue } == [target])
            #expect((json["matches"]?.arrayValue ?? []).contains { $0["id"]?.intValue == target })
            #expect(json["match_count"]?.intValue == (0..<survey.rows).filter { survey.readable[$0]?.contains(text) == true }.count)
            #expect(try await client.get("/api/search?q=7").json()["id"]?["id"]?.intValue == 7)
        }
    }

    @Test func pointsAreTheSurveyCoordinatesAndCodes() async throws {
        guard #available(macOS 14, *) else { return }
        let fixture = try Fixture.get()
        let sky = try SafeTensorsFile(path: fixture.directory + "/" + SkyMapStage.fileName)
        let longitude = try sky.doubles("longitude"), latitude = try sky.doubles("latitude")
        try await withServer(fixture) { client in
            let response = try await client.get("/api/points")
            #expect(response.status == 200)
            let bytes = response.body
            let n = fixture.truth.rows
            #expect(bytes.count == 16 + 14 * n)
            #expect(Array(bytes.prefix(4)) == Array("TSP1".utf8))
            func float(_ offset: Int) -> Float {
                Float(bitPattern: bytes[offset..<offset + 4].reversed().reduce(0) { $0 << 8 | UInt32($1) })
            }
            for i in [0, n / 2, n - 1] {
                #expect(float(16 + 4 * i) == Float(longitude[i]))
                #expect(float(16 + 4 * (n + i)) == Float(latitude[i]))
                #expect(bytes[16 + 12 * n + i] == fixture.survey.population[i])
            }
            let tag = try #require(response.headers["etag"])
            #expect(try await client.get("/api/points", headers: ["If-None-Match": tag]).status == 304)
        }
    }

    @Test func blackHolesListEveryGroupOfIdenticalRows() async throws {
        guard #available(macOS 14, *) else { return }
        let fixture = try Fixture.get()
        let census = BlackHoleCensus(matrix: fixture.survey.matrix)
        try await withServer(fixture) { client in
            #expect(try await client.get("/api/blackholes").json()["total"]?.intValue == census.holes.count)
            let members = (try await client.get("/api/blackholes/0").json()["members"]?.arrayValue ?? []).compactMap { $0["id"]?.intValue }
            #expect(members == census.holes[0].tokens)
        }
    }

    @Test func badRequestsGetAFourHundredWithAJSONError() async throws {
        guard #available(macOS 14, *) else { return }
        let fixture = try Fixture.get()
        let cases: [(String, String, Int)] = [
            ("/api/tokens/abc", "GET", 400), ("/api/tokens/-1", "GET", 400),
            ("/api/tokens/99999999", "GET", 404), ("/api/tokens/1?survey=7", "GET", 404),
            ("/api/tokens/1?survey=x", "GET", 400), ("/api/tokens/1?k=-1", "GET", 400),
            ("/api/tokens/1?k=5000", "GET", 400), ("/api/tokens/1?k=1e3", "GET", 400),
            ("/api/search", "GET", 400), ("/api/search?q=" + String(repeating: "a", count: 300), "GET", 400),
            ("/api/points?survey=1", "GET", 404), ("/api/blackholes/100000", "GET", 404),
            ("/api/nothing", "GET", 404), ("/api/surveys", "POST", 405), ("/api/surveys", "DELETE", 405),
            ("/api/search?q=" + String(repeating: "a", count: 5000), "GET", 414),
        ]
        try await withServer(fixture) { client in
            for (uri, method, status) in cases {
                let response = try await client.get(uri, method: method)
                #expect(response.status == status, "\(method) \(uri.prefix(60))")
                #expect(try response.json()["error"]?.stringValue?.isEmpty == false, "\(uri.prefix(60))")
            }
        }
    }

    @Test func nothingOutsideTheSurveyFolderIsServed() async throws {
        guard #available(macOS 14, *) else { return }
        let fixture = try Fixture.get()
        try await withServer(fixture) { client in
            let report = try await client.get("/surveys/0/report.html")
            #expect(report.status == 200)
            #expect(report.headers["content-type"]?.hasPrefix("text/html") == true)
            for uri in ["/surveys/0/link.txt", "/surveys/0/..%2Fsecret.txt", "/surveys/0/%2E%2E", "/surveys/0/.hidden",
                        "/surveys/0/%2E%2E%2Fsecret.txt", "/surveys/0/%2Fetc%2Fpasswd", "/surveys/3/report.html", "/surveys/0/missing.txt",
                        "/surveys/0/..", "/surveys/../secret.txt"] {
                let response = try await client.get(uri)
                #expect((400..<500).contains(response.status), "\(uri)")
                #expect(!response.text.contains("SECRET-7f3a"), "\(uri)")
            }
        }
    }

    @Test func thePageAndItsAssetsComeFromTheServerItself() async throws {
        guard #available(macOS 14, *) else { return }
        let fixture = try Fixture.get()
        try await withServer(fixture) { client in
            for uri in ["/", "/inspector.js", "/inspector.css", "/api/openapi.yaml"] {
                let response = try await client.get(uri)
                #expect(response.status == 200)
                #expect(!response.text.contains("http://") && !response.text.contains("https://"), "\(uri) refers to another server")
                #expect(response.headers["content-security-policy"]?.contains("default-src 'self'") == true)
            }
        }
    }

    @Test func otherRequestsAreAnsweredWhileANeighbourQueryRuns() async throws {
        guard #available(macOS 14, *) else { return }
        let fixture = try Fixture.get()
        // One query computing at a time, so the blocker holds the queue and the next one waits.
        let kernel = KernelQueue(limit: 2, concurrency: 1)
        let gate = DispatchSemaphore(value: 0)
        // Occupies the neighbour queue until the gate opens.
        let blocker = Task { await kernel.run { gate.wait() } }
        while kernel.waitingCount == 0 { try await Task.sleep(nanoseconds: 1_000_000) }
        try await withServer(fixture, kernel: kernel) { client in
            let waiting = Task { try await client.get("/api/tokens/3?k=5").status }
            while kernel.waitingCount < 2 { try await Task.sleep(nanoseconds: 1_000_000) }
            #expect(try await client.get("/api/tokens/3?k=0").status == 200)
            #expect(try await client.get("/api/surveys").status == 200)
            // The queue is full: a third neighbour query is refused rather than queued without bound.
            #expect(try await client.get("/api/tokens/4?k=5").status == 503)
            gate.signal()
            #expect(try await waiting.value == 200)
        }
        _ = await blocker.value
    }

    @Test func aFolderThatIsNotASurveyIsRefusedInOneLine() throws {
        let empty = ScratchDirectory.make("not-a-survey")
        #expect(throws: InspectorError.self) { try InspectedSurvey(directory: empty) }
        do { _ = try InspectedSurvey(directory: empty) } catch {
            #expect("\(error)".contains("missing survey.json") && !"\(error)".contains("\n"))
        }
        #expect(throws: InspectorError.self) { try InspectedSurvey(directory: empty + "/nowhere") }
    }
}
