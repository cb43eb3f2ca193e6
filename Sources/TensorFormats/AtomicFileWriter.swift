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
    /// One write of at least this many bytes goes to the disk directly (O_DIRECT, on Linux) rather
    /// than through the page cache: on the project's VMs, copying W's 777 MB into page-cache pages
    /// never touched before cost about 2 s of system time (each page's first touch), the direct
    /// write 0.2 s; and a copy that nobody reads back soon does not fill the cache.
    static let directMinimum = 16 << 20
    private static let bounceSize = 8 << 20
    /// The descriptor for direct writes: -2 until a large write asks for it, -1 where unavailable.
    private var direct: Int32 = -2
    private var bounce: UnsafeMutableRawPointer?

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

    /// Appends `bytes` to the file.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard var pointer = bytes.baseAddress else { return }
        var remaining = bytes.count
        if remaining >= Self.directMinimum, let directFD = directDescriptor() {
            // Up to the next aligned offset through the page cache, with the bytes before it (a
            // block is written one way only); then whole blocks directly; the last part below.
            let head = min(remaining, (Int(TS_DIRECT_ALIGNMENT) - written % Int(TS_DIRECT_ALIGNMENT)) % Int(TS_DIRECT_ALIGNMENT))
            try writeBuffered(pointer, head)
            pointer += head
            remaining -= head
            let done = ts_write_direct(directFD, pointer, Int64(remaining), Int64(written), bounce, Int64(Self.bounceSize))
            // A file system that refuses a direct write (or fails one) takes the rest through the cache.
            if done < Int64(remaining - remaining % Int(TS_DIRECT_ALIGNMENT)) { closeDirect(); direct = -1 }
            let directBytes = Int(max(done, 0))
            pointer += directBytes
            remaining -= directBytes
            written += directBytes
            writebackStarted = written
        }
        try writeBuffered(pointer, remaining)
    }

    /// Through the page cache, at the current end (by offset: direct writes do not move the descriptor's position).
    private func writeBuffered(_ start: UnsafeRawPointer, _ count: Int) throws {
        var pointer = start, remaining = count
        while remaining > 0 {
            // Bounded pieces: some kernels cap one write at about 2 GiB, and writeback starts
            // after each piece rather than after the whole buffer.
            let written = pwrite(fd, pointer, min(remaining, Self.writebackPiece), off_t(self.written))
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

    /// The direct descriptor and its aligned buffer, opened on first use; nil where direct I/O is unavailable.
    private func directDescriptor() -> Int32? {
        if direct == -2 {
            direct = ts_open_direct(temporaryPath)
            if direct >= 0 {
                var buffer: UnsafeMutableRawPointer?
                if posix_memalign(&buffer, Int(TS_DIRECT_ALIGNMENT), Self.bounceSize) == 0 { bounce = buffer } else { closeDirect(); direct = -1 }
            }
        }
        return direct >= 0 ? direct : nil
    }

    private func closeDirect() {
        if direct >= 0 { close(direct) }
        direct = -2
        free(bounce)
        bounce = nil
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
        closeDirect()
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
        closeDirect()
        close(fd)
        unlink(temporaryPath)
        TemporaryFiles.shared.unregister(temporaryPath)
    }
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
