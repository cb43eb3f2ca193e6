/// A problem with a stage's inputs that is not about a file's format: ids outside the matrix,
/// inconsistent parameters. Printed as one line.
public struct StageError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
