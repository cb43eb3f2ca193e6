#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Writes a file under a temporary name beside its destination and renames it into place, so an
/// interrupted run never leaves a partial file under the final name.
///
/// The temporary paths in flight are registered so that `removeTemporaryFiles()` (called from the
/// CLI's interrupt handler) can delete them.
public final class AtomicFileWriter {
    public let destination: String
    public let temporaryPath: String
    private var fd: Int32
    private var finished = false

    public init(destination: String) throws {
        self.destination = destination
        let directory = destination.lastIndex(of: "/").map { String(destination[..<$0]) } ?? "."
        let name = destination.lastIndex(of: "/").map { String(destination[destination.index(after: $0)...]) } ?? destination
        temporaryPath = (directory.isEmpty ? "" : directory + "/") + ".\(name).partial-\(getpid())"
        fd = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw TensorFormatError(path: destination, reason: MappedFile.errnoDescription("cannot create")) }
        TemporaryFiles.shared.register(temporaryPath)
    }

    deinit {
        if !finished { abandon() }
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard var pointer = bytes.baseAddress else { return }
        var remaining = bytes.count
        while remaining > 0 {
            // Large writes in bounded pieces: some kernels cap one write at about 2 GiB.
            let written = Glibc_write(fd, pointer, min(remaining, 1 << 30))
            if written < 0 {
                if errno == EINTR { continue }
                let error = TensorFormatError(path: destination, reason: MappedFile.errnoDescription("cannot write"))
                abandon()
                throw error
            }
            pointer += written
            remaining -= written
        }
    }

    /// Overwrites bytes already written, at `offset` from the start of the file.
    public func write(_ bytes: [UInt8], at offset: Int) throws {
        let written = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, off_t(offset)) }
        guard written == bytes.count else {
            let error = TensorFormatError(path: destination, reason: MappedFile.errnoDescription("cannot write"))
            abandon()
            throw error
        }
    }

    public func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    /// Closes the temporary file and renames it to the destination.
    public func commit() throws {
        guard !finished else { return }
        // A test aid: hold the finished temporary file for a while, so that a test can interrupt
        // the process at a known point and check what is left behind.
        if let pause = getenv("TOKENSCOPE_PAUSE_BEFORE_RENAME").flatMap({ Double(String(cString: $0)) }), pause > 0 {
            usleep(UInt32(min(pause, 60) * 1_000_000))
        }
        finished = true
        close(fd)
        TemporaryFiles.shared.unregister(temporaryPath)
        guard rename(temporaryPath, destination) == 0 else {
            let error = TensorFormatError(path: destination, reason: MappedFile.errnoDescription("cannot rename into place"))
            unlink(temporaryPath)
            throw error
        }
    }

    /// Deletes the temporary file; the destination is untouched.
    public func abandon() {
        guard !finished else { return }
        finished = true
        close(fd)
        unlink(temporaryPath)
        TemporaryFiles.shared.unregister(temporaryPath)
    }
}

@inline(__always)
private func Glibc_write(_ fd: Int32, _ pointer: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Darwin)
    return Darwin.write(fd, pointer, count)
    #elseif canImport(Glibc)
    return Glibc.write(fd, pointer, count)
    #else
    return Musl.write(fd, pointer, count)
    #endif
}

/// The temporary files being written, for clean-up on interruption.
public final class TemporaryFiles: @unchecked Sendable {
    public static let shared = TemporaryFiles()
    private var lock = pthread_mutex_t()
    private var paths: Set<String> = []

    private init() { pthread_mutex_init(&lock, nil) }

    func register(_ path: String) {
        pthread_mutex_lock(&lock); defer { pthread_mutex_unlock(&lock) }
        paths.insert(path)
    }

    func unregister(_ path: String) {
        pthread_mutex_lock(&lock); defer { pthread_mutex_unlock(&lock) }
        paths.remove(path)
    }

    /// Unlinks every registered temporary file. Called from a signal handler's path, so it takes
    /// the lock only if it is free rather than risk deadlocking against the interrupted thread.
    public func removeAll() {
        guard pthread_mutex_trylock(&lock) == 0 else { return }
        for path in paths { unlink(path) }
        paths.removeAll()
        pthread_mutex_unlock(&lock)
    }
}
