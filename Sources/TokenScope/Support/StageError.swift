import TensorFormats

/// A problem with a stage's inputs that is not about a file's format (ids outside the matrix,
/// parameters out of range, inputs that disagree), as a case a caller can switch on. Its
/// description is one line, without command-line flags: the `tokenscope` command adds the flag
/// that supplies a `MissingInput`.
public enum StageError: Error, CustomStringConvertible, Sendable, Equatable {
    /// A parameter outside the values the stage accepts: what it is, what it must be, what was given.
    case invalidParameter(name: String, requirement: String, value: String)
    /// A negative number where a token id is needed.
    case negativeID(Int)
    /// An id that is not a row of W.
    case idOutOfRange(id: Int, rowCount: Int)
    /// An id listed twice where each must be distinct.
    case duplicateID(Int)
    /// Two inputs that must describe the same model disagree; the words say how.
    case mismatchedInputs(String)
    /// An input the caller can supply would get past the error; `reason` says what is missing.
    case needsInput(MissingInput, reason: String)
    /// There is nothing to measure: an empty cluster, no tokens, no spike box.
    case nothingToMeasure(String)
    /// A file the stage reads cannot be read, or is not the kind of file it needs.
    case unreadableInput(path: String, reason: String)
    /// The output (`what` it is) needs more memory than the machine has.
    case outputTooLarge(what: String, bytes: Int, physicalMemory: Int)
    /// A synthetic model or its tokenizer cannot be built as its preset plans.
    case cannotBuildAsPlanned(String)

    public var description: String {
        switch self {
        case .invalidParameter(let name, let requirement, let value): return "the \(name) must be \(requirement) (got \(value))"
        case .negativeID(let id): return "token ids are 0 or more; \(id) is not an id"
        case .idOutOfRange(let id, let rowCount): return "id \(id) is outside W's \(rowCount) rows"
        case .duplicateID(let id): return "id \(id) is listed twice"
        case .mismatchedInputs(let reason), .nothingToMeasure(let reason), .cannotBuildAsPlanned(let reason): return reason
        case .needsInput(_, let reason): return reason
        case .unreadableInput(let path, let reason): return "\(path): \(reason)"
        case .outputTooLarge(let what, let bytes, let memory):
            return "\(what) of \(DistanceStage.formatBytes(bytes)), more memory than can be allocated "
                + "(the machine has \(DistanceStage.formatBytes(memory)))"
        }
    }

    /// What the caller could supply to get past the error, when something could.
    public var missing: MissingInput? {
        if case .needsInput(let input, _) = self { return input }
        return nil
    }
}
