/// Why a model file cannot be used, phrased for a one-line message: the file, the tensor when
/// there is one, and what is wrong with it.
public struct TensorFormatError: Error, CustomStringConvertible, Sendable, Equatable {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path): \(reason)" }
}
