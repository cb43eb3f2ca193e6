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

    public init(path: String) throws {
        self.path = path
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

    deinit {
        if let base { munmap(UnsafeMutableRawPointer(mutating: base), count) }
    }

    /// All bytes of the file.
    public var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    /// Tells the kernel a range will be read front to back soon, so it reads ahead in large blocks.
    public func adviseSequential(offset: Int, count: Int) {
        guard let base, count > 0 else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = offset / page * page
        let length = min(self.count - start, count + (offset - start))
        _ = madvise(UnsafeMutableRawPointer(mutating: base + start), length, MADV_WILLNEED)
    }

    static func errnoDescription(_ action: String) -> String {
        "\(action): \(String(cString: strerror(errno)))"
    }
}
