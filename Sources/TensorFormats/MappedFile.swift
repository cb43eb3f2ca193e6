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

    public init(path: String) throws {
        self.path = path
        owned = false
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw TensorFormatError(path: path, reason: Self.errnoDescription("cannot open")) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw TensorFormatError(path: path, reason: Self.errnoDescription("cannot stat")) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw TensorFormatError(path: path, reason: "not a regular file") }
        count = Int(info.st_size)
        if count == 0 {
            base = nil
            return
        }
        guard let pointer = mmap(nil, count, PROT_READ, MAP_PRIVATE, fd, 0), pointer != MAP_FAILED else {
            throw TensorFormatError(path: path, reason: Self.errnoDescription("cannot map"))
        }
        base = UnsafeRawPointer(pointer)
    }

    /// A copy of `bytes` held in memory and read through the same interface, so that parsers can be
    /// fed bytes that never touched a file (fuzzers, tests). `path` names the bytes in messages.
    public init(bytes: [UInt8], path: String = "<memory>") {
        self.path = path
        owned = true
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
            munmap(UnsafeMutableRawPointer(mutating: base), count)
        }
    }

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

    static func errnoDescription(_ action: String) -> String {
        "\(action): \(String(cString: strerror(errno)))"
    }
}
