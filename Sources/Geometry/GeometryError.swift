/// Input on which a geometric question has no answer (no rows, too few columns, a covariance of
/// too low a rank). Its message says what was skipped and why, in one line.
public struct DegenerateInputError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
