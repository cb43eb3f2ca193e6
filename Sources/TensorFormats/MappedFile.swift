#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A read-only memory mapping of a whole file.
///
/// Model shards run to gigabytes; mapping them lets the page cache serve the bytes a stage touches
/// and nothing else, so a directory of shards costs only the tensor that is read. The mapping lives
/// as long as this object, and every view into it keeps a reference.
public final class MappedFile: @unchecked Sendable {
    public let path: String
    public let count: Int
    /// The first byte of the mapping; `nil` for an empty file, which cannot be mapped.
    private let base: UnsafeRawPointer?
    /// Whether `base` is a heap copy (`init(bytes:)`) rather than a mapping.
    private let owned: Bool

    /// The slot of this mapping in `MappingGuard`'s table, or nil when it has none.
    private let guardSlot: Int?

    public init(path: String) throws {
        self.path = path
        owned = false
        // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever; the
        // check below refuses it. It has no effect on a regular file.
        let fd = open(path, O_RDONLY | O_NONBLOCK)
        guard fd >= 0 else { throw TensorFormatError.system("cannot open", path: path) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let error = TensorFormatError.system("cannot stat", path: path)
            close(fd)
            throw error
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw TensorFormatError(path: path, problem: .notARegularFile)
        }
        count = Int(info.st_size)
        if count == 0 {
            close(fd)
            base = nil
            guardSlot = nil
            return
        }
        guard let pointer = mmap(nil, count, PROT_READ, MAP_PRIVATE, fd, 0), pointer != MAP_FAILED else {
            let error = TensorFormatError.system("cannot map", path: path)
            close(fd)
            throw error
        }
        base = UnsafeRawPointer(pointer)
        // The descriptor stays open so that a change of the file can be told from its size and
        // modification time, whatever happens to the name.
        guardSlot = MappingGuard.register(base: UnsafeRawPointer(pointer), count: count, path: path, fd: fd, info: info)
        if guardSlot == nil { close(fd) }
    }

    /// A copy of `bytes` held in memory and read through the same interface, so that parsers can be
    /// fed bytes that never touched a file (fuzzers, tests). `path` names the bytes in messages.
    public init(bytes: [UInt8], path: String = "<memory>") {
        self.path = path
        owned = true
        guardSlot = nil
        count = bytes.count
        if bytes.isEmpty {
            base = nil
            return
        }
        let pointer = UnsafeMutableRawPointer.allocate(byteCount: bytes.count, alignment: 64)
        bytes.withUnsafeBytes { pointer.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        base = UnsafeRawPointer(pointer)
    }

    deinit {
        guard let base else { return }
        if owned {
            UnsafeMutableRawPointer(mutating: base).deallocate()
        } else {
            if let guardSlot { MappingGuard.unregister(guardSlot) }
            munmap(UnsafeMutableRawPointer(mutating: base), count)
        }
    }

    /// Refuses a path that exists but is neither a regular file nor a directory, before anything
    /// opens it: reading a FIFO would wait for a writer forever, a device never ends.
    public static func requireRegularFileOrDirectory(_ path: String) throws {
        var info = stat()
        guard stat(path, &info) == 0 else { return }  // a missing file is reported by the reader
        let kind = info.st_mode & S_IFMT
        guard kind == S_IFREG || kind == S_IFDIR else { throw TensorFormatError(path: path, problem: .notARegularFile) }
    }

    /// Throws when the file was truncated (a read past its end was answered with zeros) or
    /// rewritten since it was mapped: whatever was computed from it is not the file's.
    public func checkUnchanged() throws {
        guard let guardSlot, MappingGuard.hasChanged(guardSlot) else { return }
        throw TensorFormatError(path: path, problem: .changedWhileReading)
    }

    /// The path of a file that has changed since it was mapped (its mapping live or already
    /// released), if any. Writers check it before a result takes its final name.
    public static func firstChangedMapping() -> String? { MappingGuard.firstChanged() }

    /// All bytes of the file.
    public var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    /// Tells the kernel a range will be read front to back soon, so it reads ahead in large blocks.
    public func adviseSequential(offset: Int, count: Int) {
        guard let base, !owned, count > 0 else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = offset / page * page
        let length = min(self.count - start, count + (offset - start))
        _ = madvise(UnsafeMutableRawPointer(mutating: base + start), length, MADV_WILLNEED)
    }
}
