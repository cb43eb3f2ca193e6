#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CKernels

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
    /// Bytes written by `write(_:)` so far, and how many of them have been handed to writeback.
    private var written = 0
    private var writebackStarted = 0
    /// Writeback is started every this many bytes, so the fsync in `commit()` waits for little.
    private static let writebackPiece = 64 << 20

    /// Seconds to hold a finished temporary file before its rename: a test aid (the CLI sets it
    /// from `TOKENSCOPE_PAUSE_BEFORE_RENAME`) so a test can interrupt a run at a known point.
    nonisolated(unsafe) public static var pauseBeforeRename: Double = 0

    /// - Parameter expectedSize: the file's size when known: its disk space is reserved at once,
    ///   which makes a large write several times cheaper and reports a full disk before writing.
    public init(destination: String, expectedSize: Int? = nil) throws {
        self.destination = destination
        let directory = destination.lastIndex(of: "/").map { String(destination[..<$0]) } ?? "."
        let name = destination.lastIndex(of: "/").map { String(destination[destination.index(after: $0)...]) } ?? destination
        temporaryPath = (directory.isEmpty ? "" : directory + "/") + ".\(name).partial-\(getpid())"
        fd = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw TensorFormatError.system("cannot create", path: destination) }
        TemporaryFiles.shared.register(temporaryPath)
        if let expectedSize, ts_preallocate(fd, Int64(expectedSize)) == ENOSPC {
            abandon()
            throw TensorFormatError(path: destination, problem: .insufficientSpace(bytes: expectedSize))
        }
    }

    deinit {
        if !finished { abandon() }
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard var pointer = bytes.baseAddress else { return }
        var remaining = bytes.count
        while remaining > 0 {
            // Bounded pieces: some kernels cap one write at about 2 GiB, and writeback starts
            // after each piece rather than after the whole buffer.
            let written = Glibc_write(fd, pointer, min(remaining, Self.writebackPiece))
            if written < 0 {
                if errno == EINTR { continue }
                let error = TensorFormatError.system("cannot write", path: destination)
                abandon()
                throw error
            }
            pointer += written
            remaining -= written
            self.written += written
            if self.written - writebackStarted >= Self.writebackPiece {
                ts_start_writeback(fd, Int64(writebackStarted), Int64(self.written - writebackStarted))
                writebackStarted = self.written
            }
        }
    }

    /// Overwrites bytes already written, at `offset` from the start of the file.
    public func write(_ bytes: [UInt8], at offset: Int) throws {
        let written = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, off_t(offset)) }
        guard written == bytes.count else {
            let error = TensorFormatError.system("cannot write", path: destination)
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
        if Self.pauseBeforeRename > 0 { usleep(UInt32(min(Self.pauseBeforeRename, 60) * 1_000_000)) }
        // Input read through a mapping that changed meanwhile gave zeros or mixed bytes: what
        // was computed from it must not land under a final name.
        if let changed = MappedFile.firstChangedMapping() {
            abandon()
            throw TensorFormatError(path: changed, problem: .changedWhileReading)
        }
        // The data reaches the disk before the name does, so a power cut cannot leave an empty or
        // short file under the final name.
        while fsync(fd) != 0 {
            if errno == EINTR { continue }
            let error = TensorFormatError.system("cannot write", path: destination)
            abandon()
            throw error
        }
        finished = true
        close(fd)
        guard rename(temporaryPath, destination) == 0 else {
            let error = TensorFormatError.system("cannot rename into place", path: destination)
            unlink(temporaryPath)
            TemporaryFiles.shared.unregister(temporaryPath)
            throw error
        }
        TemporaryFiles.shared.unregister(temporaryPath)
        Self.syncDirectory(of: destination)
    }

    /// Makes the rename durable. Some file systems refuse fsync on a directory; the file itself is
    /// already on disk then, so that is not an error.
    private static func syncDirectory(of path: String) {
        let directory = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        let fd = open(directory.isEmpty ? "/" : directory, O_RDONLY)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
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
///
/// A signal handler may only make async-signal-safe calls: no locks, no allocation, no Swift
/// runtime. So paths are copied, when registered, into a table of fixed C strings allocated once,
/// and `removeAllFromSignalHandler()` only reads that table and calls `unlink`.
public final class TemporaryFiles: @unchecked Sendable {
    public static let shared = TemporaryFiles()
    /// Slots in the table; a path registered while every slot is taken is not removed on a signal.
    static let slots = 256
    /// Longest path kept, terminating zero included (Linux's PATH_MAX).
    static let slotBytes = 4096
    private var lock = pthread_mutex_t()
    /// `slots` × `slotBytes` bytes; a slot is in use when its first byte is not zero.
    private let table: UnsafeMutablePointer<CChar>
    private var slotOfPath: [String: Int] = [:]

    private init() {
        pthread_mutex_init(&lock, nil)
        table = .allocate(capacity: Self.slots * Self.slotBytes)
        table.initialize(repeating: 0, count: Self.slots * Self.slotBytes)
    }

    func register(_ path: String) {
        let bytes = Array(path.utf8CString)
        pthread_mutex_lock(&lock); defer { pthread_mutex_unlock(&lock) }
        guard bytes.count <= Self.slotBytes, slotOfPath[path] == nil,
              let free = (0..<Self.slots).first(where: { table[$0 * Self.slotBytes] == 0 }) else { return }
        let slot = table + free * Self.slotBytes
        // The first byte last: a handler that runs meanwhile sees the slot empty or whole.
        bytes.withUnsafeBufferPointer { (slot + 1).update(from: $0.baseAddress! + 1, count: bytes.count - 1) }
        slot.pointee = bytes[0]
        slotOfPath[path] = free
    }

    func unregister(_ path: String) {
        pthread_mutex_lock(&lock); defer { pthread_mutex_unlock(&lock) }
        guard let free = slotOfPath.removeValue(forKey: path) else { return }
        table[free * Self.slotBytes] = 0
    }

    /// Unlinks every registered temporary file. Async-signal-safe: reads the table, calls
    /// `unlink`, takes no lock and allocates nothing; the process is about to exit.
    public func removeAllFromSignalHandler() {
        for s in 0..<Self.slots where table[s * Self.slotBytes] != 0 {
            unlink(table + s * Self.slotBytes)
        }
    }
}
