import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Scratch folders for tests: each a fresh folder under one per-process root in the system's
/// temporary directory, and the whole root removed when the test process exits.
public enum ScratchDirectory {
    nonisolated(unsafe) private static var root: String?
    private static let lock = NSLock()

    /// A new, empty folder; `label` makes it recognisable while the tests run.
    public static func make(_ label: String = "tests") -> String {
        lock.lock()
        defer { lock.unlock() }
        if root == nil {
            let path = NSTemporaryDirectory() + "tokenscope-\(getpid())"
            try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            root = path
            // Commands run by tests keep their digest cache here, not in the user's ~/.cache.
            setenv("TOKENSCOPE_CACHE_DIR", path + "/digest-cache", 1)
            atexit { ScratchDirectory.removeRoot() }
        }
        let path = (root ?? NSTemporaryDirectory()) + "/\(label)-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func removeRoot() {
        if let root { try? FileManager.default.removeItem(atPath: root) }
    }
}
