/// A problem with a stage's inputs that is not about a file's format: ids outside the matrix,
/// inconsistent parameters. Printed as one line.
public struct StageError: Error, CustomStringConvertible, Sendable {
    public var message: String
    /// What the caller could supply to get past the error, when something could.
    public var missing: MissingInput?
    public init(_ message: String, missing: MissingInput? = nil) {
        self.message = message
        self.missing = missing
    }
    public var description: String { message }
}
