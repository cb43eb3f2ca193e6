/// A tokenizer file that cannot be loaded or a text it cannot encode: which file and component,
/// and what is wrong as a case a caller can switch on. Its description is one line.
public struct TokenizerError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The file the error concerns, when known.
    public var file: String?
    /// The component path inside the file, e.g. `model.merges[12]` or `pre_tokenizer.pretokenizers[0]`.
    public var component: String
    public var problem: Problem

    public enum Problem: Sendable, Equatable, CustomStringConvertible {
        /// The file cannot be read at all.
        case unreadable(String)
        /// The file does not follow its format: a missing key, a wrong type, a duplicate, in words.
        case malformed(String)
        /// A component type or option this implementation does not have.
        case unsupported(String)
        /// A regex that does not compile.
        case invalidPattern(pattern: String, message: String)
        /// A regex whose matcher exceeded its step budget (catastrophic backtracking) at `position`
        /// (in Unicode scalars) of a text of `textLength`; the reference stops such a match too.
        case patternTooComplex(pattern: String, position: Int, textLength: Int, steps: Int)

        public var description: String {
            switch self {
            case .unreadable(let reason): return "cannot read the file: \(reason)"
            case .malformed(let reason), .unsupported(let reason): return reason
            case .invalidPattern(let pattern, let message): return "cannot compile regex \(pattern.debugDescription): \(message)"
            case .patternTooComplex(let pattern, let position, let length, let steps):
                return "the regex \(pattern.debugDescription) needs more than \(steps) steps to find its next match after character "
                    + "\(position) of a \(length)-character text (catastrophic backtracking); the reference stops it with a "
                    + "retry-limit error"
            }
        }
    }

    public init(file: String? = nil, component: String, problem: Problem) {
        self.file = file
        self.component = component
        self.problem = problem
    }

    /// A format violation described in words.
    init(file: String? = nil, component: String, reason: String) {
        self.init(file: file, component: component, problem: .malformed(reason))
    }

    /// The problem in words, without the file and component.
    public var reason: String { problem.description }

    public var description: String {
        let place = file.map { "\($0): " } ?? ""
        return component.isEmpty ? "\(place)\(reason)" : "\(place)\(component): \(reason)"
    }

    /// The same error, naming `path` as its file unless it names one already.
    public func inFile(_ path: String) -> TokenizerError {
        var copy = self
        if copy.file == nil { copy.file = path }
        return copy
    }
}
