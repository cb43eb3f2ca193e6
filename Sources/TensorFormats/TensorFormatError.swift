#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#endif

/// Why a model file cannot be used: the file, and what is wrong with it as a case a caller can
/// switch on. Its description is one line for a person: the path, then the problem.
public struct TensorFormatError: Error, CustomStringConvertible, Sendable, Equatable {
    public var path: String
    public var problem: Problem

    public init(path: String, problem: Problem) {
        self.path = path
        self.problem = problem
    }

    public enum Problem: Sendable, Equatable, CustomStringConvertible {
        /// Nothing exists at the path.
        case notFound
        /// A FIFO, device or socket: it cannot be mapped, and reading it could block for ever.
        case notARegularFile
        /// A system call failed: what was being done, and the `errno` it set.
        case systemError(operation: String, code: Int32)
        /// The file was truncated or rewritten while it was mapped: nothing computed from it is its own.
        case changedWhileReading
        /// The file system has no room for an output of this many bytes.
        case insufficientSpace(bytes: Int)
        /// No tensor of the name, or of any of the names, looked for; `available` lists some of the
        /// names the file has.
        case noSuchTensor(names: [String], available: [String])
        /// Several 2-D tensors could be W; the caller names one (``MissingInput/tensorName``).
        case ambiguousMatrix(candidates: [String])
        /// No tensor in the file or model can be the matrix asked for; the words say what was looked for.
        case noMatrix(String)
        /// The tensor exists but cannot serve: its shape, element type or contents say why.
        case unusableTensor(name: String, reason: String)
        /// An id list holds an id outside W's rows (negative ones included).
        case idOutOfRange(list: String, id: Int, rowCount: Int)
        /// An id list names the same id twice.
        case duplicateID(list: String, id: Int)
        /// The bytes do not follow the format (header, offsets, lengths, metadata), in words.
        case malformed(String)

        public var description: String {
            switch self {
            case .notFound: return "no such file or directory"
            case .notARegularFile: return "not a regular file"
            case .systemError(let operation, let code): return "\(operation): \(String(cString: strerror(code)))"
            case .changedWhileReading: return "the file changed while it was being read"
            case .insufficientSpace(let bytes): return "not enough disk space for \(bytes) bytes"
            case .noSuchTensor(let names, let available):
                return "no tensor \(names.map(\.debugDescription).joined(separator: " or ")) "
                    + "(has: \(available.isEmpty ? "none" : available.joined(separator: ", ")))"
            case .ambiguousMatrix(let candidates):
                return "several 2-D tensors (\(candidates.joined(separator: ", "))); name the one to read"
            case .noMatrix(let reason): return reason
            case .unusableTensor(let name, let reason): return "tensor \"\(name)\" \(reason)"
            case .idOutOfRange(let list, let id, let rowCount): return "\(list) holds id \(id), outside W's \(rowCount) rows"
            case .duplicateID(let list, let id): return "\(list) lists id \(id) twice"
            case .malformed(let reason): return reason
            }
        }
    }

    /// The problem in words, without the path.
    public var reason: String { problem.description }

    /// What the caller could supply to get past the error, when something could.
    public var missing: MissingInput? {
        if case .ambiguousMatrix = problem { return .tensorName }
        return nil
    }

    public var description: String { "\(path): \(reason)" }

    /// The failure of the system call just made, from `errno`.
    static func system(_ operation: String, path: String) -> TensorFormatError {
        TensorFormatError(path: path, problem: .systemError(operation: operation, code: errno))
    }
}
