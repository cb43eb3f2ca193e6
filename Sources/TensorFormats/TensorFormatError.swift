/// Why a model file cannot be used, phrased for a one-line message: the file, the tensor when
/// there is one, and what is wrong with it.
public struct TensorFormatError: Error, CustomStringConvertible, Sendable, Equatable {
    public var path: String
    public var reason: String
    /// What the caller could supply to get past the error, when something could.
    public var missing: MissingInput?

    public init(path: String, reason: String, missing: MissingInput? = nil) {
        self.path = path
        self.reason = reason
        self.missing = missing
    }

    public var description: String { "\(path): \(reason)" }
}
