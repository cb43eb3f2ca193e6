import Foundation
import Geometry
import JSON
import TensorFormats

/// What every output file records about how it was made, in its `__metadata__`.
public struct Provenance: Sendable {
    public static let toolVersion = "0.1.0"

    /// The notebook step the file replaces ("1.4h").
    public var step: String
    public var parameters: JSONValue
    /// The input's path and the SHA-256 of W's stored bytes.
    public var input: String
    public var inputSHA256: String

    public init(step: String, parameters: JSONValue, input: String, inputSHA256: String) {
        self.step = step
        self.parameters = parameters
        self.input = input
        self.inputSHA256 = inputSHA256
    }

    public var metadata: [String: String] {
        var entries = [
            "tool": "tokenscope \(Self.toolVersion)", "notebook_step": step, "parameters": parameters.serialized(),
            "input": input, "input_sha256": inputSHA256,
        ]
        // The SHA-256 of the whole file W came from: for a file from the Hugging Face hub, its LFS object id.
        if let file = MatrixDigest.fileSHA256(forMatrixDigest: inputSHA256) { entries["input_file_sha256"] = file }
        return entries
    }
}

/// SHA-256 digests of W and of the file it lives in: computed at most once per process, and at
/// most once across processes when a `DigestCache` is set (`persistentCache`).
///
/// A matrix registered with `register(_:)` (the CLI and the survey do so when they load W) gets
/// both digests in one go: W's stored bytes and the whole file, hashed on two threads at once when
/// the caller's `Parallelism` allows two, so the file digest costs no extra wall time on two cores.
/// An unregistered matrix gets W's digest only.
public enum MatrixDigest {
    /// Where digests persist between commands; nil (the library's default): this process only.
    /// The CLI sets it (see `DigestCache.standard`).
    nonisolated(unsafe) public static var persistentCache: DigestCache?

    nonisolated(unsafe) private static var matrixDigests: [String: String] = [:]
    nonisolated(unsafe) private static var fileDigests: [String: String] = [:]  // W's digest → its file's
    nonisolated(unsafe) private static var registered: [String: (file: String, tensor: String)] = [:]
    /// Hash computations of W so far, for tests that check a digest was not recomputed.
    nonisolated(unsafe) static var computations = 0
    private static let lock = NSLock()

    private static func key(_ matrix: Matrix) -> String { "\(matrix.origin)#\(UInt(bitPattern: matrix.base))" }

    /// Records which file `loaded.matrix` comes from, so that its file digest is computed with
    /// W's and both can come from the persistent cache.
    public static func register(_ loaded: LoadedMatrix) {
        let m = loaded.matrix
        let tensor = "\(loaded.tensorName) \(m.format.rawValue) \(m.rows)x\(m.columns)" + (loaded.quantization.map { " from \($0)" } ?? "")
        lock.lock()
        registered[key(m)] = (loaded.file, tensor)
        lock.unlock()
    }

    /// The SHA-256 of the matrix's stored bytes (row-major, little-endian), as hex.
    public static func sha256(_ matrix: Matrix, parallelism: Parallelism = .allCores) -> String {
        let k = key(matrix)
        lock.lock()
        if let cached = matrixDigests[k] { lock.unlock(); return cached }
        let source = registered[k]
        let cache = persistentCache
        lock.unlock()
        guard let source, let identity = FileIdentity(path: source.file) else {
            return remember(k, matrix: hash(matrix), file: nil)
        }
        if let cache, let entry = cache.entry(for: identity), let digest = entry.tensors[source.tensor] {
            return remember(k, matrix: digest, file: entry.fileSHA256)
        }
        let known = cache?.entry(for: identity)?.fileSHA256
        // W and the whole file on two threads at once, where there are two.
        let digests = parallelism.map(chunks: known == nil ? 2 : 1) { $0 == 0 ? Optional(hash(matrix)) : wholeFileDigest(source.file) }
        let matrixDigest = digests[0] ?? ""
        let fileDigest = known ?? (digests.count > 1 ? digests[1] : nil)
        // Stored only when the file did not change while it was read.
        if let cache, let fileDigest, FileIdentity(path: source.file) == identity {
            var entry = cache.entry(for: identity) ?? DigestCache.Entry(fileSHA256: fileDigest, tensors: [:])
            entry.tensors[source.tensor] = matrixDigest
            cache.store(entry, for: identity)
        }
        return remember(k, matrix: matrixDigest, file: fileDigest)
    }

    /// Whether `sha256(matrix)` also computes the file's digest (the matrix was registered), so a
    /// writer can leave room for it in a header written before the digests are known.
    public static func isRegistered(_ matrix: Matrix) -> Bool {
        lock.lock(); defer { lock.unlock() }
        return registered[key(matrix)] != nil
    }

    /// The SHA-256 of the whole file the matrix with this W digest came from, when it was registered.
    public static func fileSHA256(forMatrixDigest digest: String) -> String? {
        lock.lock(); defer { lock.unlock() }
        return fileDigests[digest]
    }

    /// The SHA-256 of the whole file `matrix` came from (computing both digests if needed), or nil
    /// when it was not registered.
    public static func fileSHA256(_ matrix: Matrix, parallelism: Parallelism = .allCores) -> String? {
        fileSHA256(forMatrixDigest: sha256(matrix, parallelism: parallelism))
    }

    /// The whole file's SHA-256, read in pieces rather than mapped: a second mapping of W's file
    /// would count its pages twice in the resident memory. Nil when it cannot be read.
    private static func wholeFileDigest(_ path: String) -> String? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        var hasher = SHA256()
        do {
            // nil or empty: the end of the file.
            while let piece = try handle.read(upToCount: 8 << 20), !piece.isEmpty { piece.withUnsafeBytes { hasher.update($0) } }
        } catch {
            return nil
        }
        return hasher.hexDigest()
    }

    private static func hash(_ matrix: Matrix) -> String {
        lock.lock(); computations += 1; lock.unlock()
        return SHA256.hex(matrix.bytes)
    }

    private static func remember(_ key: String, matrix: String, file: String?) -> String {
        lock.lock()
        matrixDigests[key] = matrix
        if let file { fileDigests[matrix] = file }
        lock.unlock()
        return matrix
    }

    /// Forgets this process's digests, as a new process would (tests).
    static func forgetInMemory() {
        lock.lock()
        matrixDigests = [:]
        fileDigests = [:]
        lock.unlock()
    }
}

/// What identifies a file's contents without reading it: path, size, modification time, inode
/// and device. A file rewritten in place changes its modification time; one replaced by rename
/// changes its inode.
public struct FileIdentity: Sendable, Equatable {
    public var path: String
    public var size: Int
    public var modified: Double
    public var inode: UInt64
    public var device: UInt64

    public init?(path: String) {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: absolute),
              let size = (attributes[.size] as? NSNumber)?.intValue,
              let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970,
              let inode = (attributes[.systemFileNumber] as? NSNumber)?.uint64Value else { return nil }
        self.path = absolute
        self.size = size
        self.modified = modified
        self.inode = inode
        device = (attributes[.systemNumber] as? NSNumber)?.uint64Value ?? 0
    }

    var key: String { "\(path)\n\(size)\n\(modified)\n\(inode)\n\(device)" }
}

/// Digests of files kept in a directory between commands: one small JSON file per file
/// identity (named by the SHA-256 of the identity), holding the whole file's SHA-256 and the
/// digests of the tensors read from it. An unreadable or malformed entry is a cache miss.
public struct DigestCache: Sendable {
    public let directory: String

    public init(directory: String) { self.directory = directory }

    public struct Entry: Sendable, Equatable {
        public var fileSHA256: String
        /// Tensor ("name dtype rowsxcolumns") → SHA-256 of its stored bytes.
        public var tensors: [String: String]
    }

    /// `$TOKENSCOPE_CACHE_DIR`, else `$XDG_CACHE_HOME/tokenscope`, else `~/.cache/tokenscope`;
    /// nil when `TOKENSCOPE_NO_CACHE` is set. The caller passes the environment: the library reads none.
    public static func standard(environment: [String: String]) -> DigestCache? {
        if environment["TOKENSCOPE_NO_CACHE"] != nil { return nil }
        if let explicit = environment["TOKENSCOPE_CACHE_DIR"], !explicit.isEmpty { return DigestCache(directory: explicit) }
        if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") { return DigestCache(directory: xdg + "/tokenscope") }
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return DigestCache(directory: home + "/.cache/tokenscope")
    }

    func path(for identity: FileIdentity) -> String {
        directory + "/digests/" + SHA256.hex(Array(identity.key.utf8)) + ".json"
    }

    public func entry(for identity: FileIdentity) -> Entry? {
        guard let data = FileManager.default.contents(atPath: path(for: identity)),
              let json = try? JSONParser().parse(Array(data)),
              json["key"]?.stringValue == identity.key,
              let file = json["file_sha256"]?.stringValue,
              case .object(let members)? = json["tensors"] else { return nil }
        var tensors: [String: String] = [:]
        for member in members { if let digest = member.value.stringValue { tensors[member.key] = digest } }
        return Entry(fileSHA256: file, tensors: tensors)
    }

    /// Best effort: a cache that cannot be written only costs a recomputation next time.
    public func store(_ entry: Entry, for identity: FileIdentity) {
        let json: JSONValue = [
            "key": .string(identity.key), "path": .string(identity.path), "size": JSONValue(identity.size),
            "file_sha256": .string(entry.fileSHA256),
            "tensors": .object(entry.tensors.sorted { $0.key < $1.key }.map { JSONMember(key: $0.key, value: .string($0.value)) }),
        ]
        do {
            try FileManager.default.createDirectory(atPath: directory + "/digests", withIntermediateDirectories: true)
            let writer = try AtomicFileWriter(destination: path(for: identity))
            try writer.write(Array(json.serialized(pretty: true).utf8))
            try writer.commit()
        } catch {}
    }
}

extension SafeTensorsWriter {
    /// A writer for one stage's file in `outputDirectory` (created if need be), its metadata the
    /// step, its parameters and W's provenance.
    static func stage(_ step: String, parameters: JSONValue, input: String, matrix: Matrix, outputDirectory: String,
                      parallelism: Parallelism) throws -> SafeTensorsWriter {
        try FileManager.default.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true)
        return SafeTensorsWriter(metadata: Provenance(step: step, parameters: parameters, input: input,
                                                      inputSHA256: MatrixDigest.sha256(matrix, parallelism: parallelism)).metadata)
    }
}
