import Foundation
import Hummingbird
import TokenScope

/// `tokenscope serve`: the inspector page and its JSON API over survey folders, read-only.
@available(macOS 14, *)
public enum InspectorServer {
    public static let defaultHost = "127.0.0.1"
    public static let defaultPort = 8080
    /// Longer request lines are refused (414): the API needs nothing near this.
    static let maxURIBytes = 4096
    /// Files of a survey folder larger than this are not served (W itself, the 1.4b matrix).
    static let maxServedFileBytes = 32 << 20

    /// Opens every folder (a one-line error for the first that is not a survey) and builds the server.
    /// Neighbour queries run one at a time, each on `parallelism`'s threads, so that the queries
    /// together never use more.
    public static func application(surveyDirectories: [String], host: String = defaultHost, port: Int = defaultPort,
                                   parallelism: Parallelism = .allCores,
                                   onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in })
        throws -> some ApplicationProtocol
    {
        guard !surveyDirectories.isEmpty else { throw InspectorError("give at least one survey folder") }
        let api = InspectorAPI(surveys: try surveyDirectories.map { try InspectedSurvey(directory: $0, parallelism: parallelism) })
        return application(api: api, kernel: KernelQueue(limit: 512, concurrency: 1), host: host, port: port,
                           onServerRunning: onServerRunning)
    }

    static func application(api: InspectorAPI, kernel: KernelQueue, host: String, port: Int,
                            onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        Application(
            router: router(api: api, kernel: kernel),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "tokenscope"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) })
    }

    /// Serves until interrupted (SIGINT/SIGTERM) from synchronous code such as the command line.
    public static func runBlocking(_ app: some ApplicationProtocol) throws {
        let finished = DispatchSemaphore(value: 0)
        let failure = LockedBox<Error?>(nil)
        Task {
            do { try await app.runService() } catch { failure.value = error }
            finished.signal()
        }
        finished.wait()
        if let error = failure.value { throw error }
    }

    static func router(api: InspectorAPI, kernel: KernelQueue) -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: GuardMiddleware())
        router.get("/") { _, _ in asset(PageAssets.html, type: "text/html; charset=utf-8") }
        router.get("/index.html") { _, _ in asset(PageAssets.html, type: "text/html; charset=utf-8") }
        router.get("/inspector.js") { _, _ in asset(PageAssets.script, type: "text/javascript; charset=utf-8") }
        router.get("/inspector.css") { _, _ in asset(PageAssets.style, type: "text/css; charset=utf-8") }
        router.get("/api/openapi.yaml") { _, _ in asset(PageAssets.openAPI, type: "application/yaml; charset=utf-8") }
        router.get("/api/surveys") { _, _ in json(api.surveyList()) }
        router.get("/api/points") { request, _ in
            let survey = try api.survey(request.uri.queryParameters["survey"])
            let tag = "\"\(survey.summary["input"]?["sha256"]?.stringValue ?? survey.name)-\(survey.rows)\""
            var headers: HTTPFields = [.contentType: "application/octet-stream", .cacheControl: "private, max-age=3600", .eTag: tag]
            if request.headers[.ifNoneMatch] == tag { return Response(status: .notModified, headers: headers) }
            headers[.contentLength] = String(survey.points.count)
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: survey.points)))
        }
        router.get("/api/tokens/:id") { request, context in
            let query = request.uri.queryParameters
            let survey = try api.survey(query["survey"])
            let id = try api.row(context.parameters.get("id").map { $0[...] }, in: survey)
            let k = try api.neighbourCount(query["k"])
            var members = api.token(id, in: survey)
            if k > 0 {
                let neighbours = survey.neighbours
                guard let found = await kernel.run({ neighbours.nearest(row: id, k: k) }) else {
                    throw APIError(503, "too many neighbour queries waiting; try again")
                }
                members.append(JSONMember(key: "neighbours", value: api.neighbours(found, in: survey)))
            } else {
                members.append(JSONMember(key: "neighbours", value: []))
            }
            return json(.object(members))
        }
        router.get("/api/search") { request, _ in
            let query = request.uri.queryParameters
            return json(try api.search(query["q"], in: try api.survey(query["survey"])))
        }
        router.get("/api/blackholes") { request, _ in
            json(api.blackHoles(in: try api.survey(request.uri.queryParameters["survey"])))
        }
        router.get("/api/blackholes/:group") { request, context in
            let survey = try api.survey(request.uri.queryParameters["survey"])
            return json(try api.blackHole(context.parameters.get("group").map { $0[...] }, in: survey))
        }
        router.get("/surveys/:survey/:file") { _, context in
            let survey = try api.survey(context.parameters.get("survey").map { $0[...] } ?? "")
            return try surveyFile(context.parameters.get("file") ?? "", in: survey)
        }
        router.get("**") { _, _ -> Response in throw APIError(404, "no such page or endpoint") }
        return router
    }

    /// A file directly inside the survey folder: a plain name, no symlink leading out, not too large.
    static func surveyFile(_ name: String, in survey: InspectedSurvey) throws -> Response {
        let plain = name.utf8.count <= 128 && name.first.map { $0 != "." } == true
            && name.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) && $0.isASCII || "._-".unicodeScalars.contains($0) }
        guard plain else { throw APIError(400, "a survey file is named by a plain file name") }
        let real = URL(fileURLWithPath: survey.directory + "/" + name).resolvingSymlinksInPath().standardizedFileURL.path
        guard (real as NSString).deletingLastPathComponent == survey.directory else {
            throw APIError(403, "\(name) lies outside the survey folder")
        }
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: real),
              attributes[.type] as? FileAttributeType == .typeRegular, let size = attributes[.size] as? Int else {
            throw APIError(404, "no file \(name) in survey \(survey.name)")
        }
        guard size <= maxServedFileBytes else { throw APIError(403, "\(name) is larger than \(maxServedFileBytes >> 20) MiB: not served") }
        guard let data = FileManager.default.contents(atPath: real) else { throw APIError(404, "\(name) cannot be read") }
        let types = ["html": "text/html; charset=utf-8", "svg": "image/svg+xml", "json": "application/json", "csv": "text/csv; charset=utf-8",
                     "png": "image/png"]
        let type = types[(name as NSString).pathExtension.lowercased()] ?? "application/octet-stream"
        return Response(status: .ok, headers: [.contentType: type, .contentLength: String(data.count)],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func asset(_ text: String, type: String) -> Response {
        Response(status: .ok, headers: [.contentType: type, .cacheControl: "no-cache"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: value.serialized())))
    }
}

/// Bounds the request, turns every failure into a JSON error, and sets the headers that keep the
/// page from loading anything from elsewhere.
@available(macOS 14, *)
struct GuardMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        if request.uri.string.utf8.count > InspectorServer.maxURIBytes {
            response = Self.error(APIError(414, "the request line is longer than \(InspectorServer.maxURIBytes) bytes"))
        } else if request.method != .get && request.method != .head {
            response = Self.error(APIError(405, "the inspector is read-only: only GET is served"))
        } else {
            do {
                response = try await next(request, context)
            } catch let error as APIError {
                response = Self.error(error)
            } catch let error as HTTPResponseError {
                response = Self.error(APIError(Int(error.status.code), error.status.reasonPhrase))
            } catch {
                response = Self.error(APIError(500, "\(error)"))
            }
        }
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.contentSecurityPolicy] =
            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'; connect-src 'self'"
        return response
    }

    static func error(_ error: APIError) -> Response {
        InspectorServer.json(["error": .string(error.message)], status: HTTPResponse.Status(code: error.status))
    }
}

/// A value shared between a task and the thread that waits for it.
final class LockedBox<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
