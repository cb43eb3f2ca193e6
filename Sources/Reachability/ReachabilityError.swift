/// Errors of the reachability stage; none traps on input.
public enum ReachabilityError: Error, Equatable, CustomStringConvertible {
    /// A cluster id is negative or not below the number of rows of W.
    case clusterIdOutOfRange(id: Int, rowCount: Int)
    /// Two per-row or per-token arrays that must match have different lengths.
    case lengthMismatch(expected: Int, actual: Int, what: String)

    public var description: String {
        switch self {
        case .clusterIdOutOfRange(let id, let rowCount):
            return "cluster id \(id) is outside the rows of W (0..<\(rowCount))"
        case .lengthMismatch(let expected, let actual, let what):
            return "\(what): expected \(expected) entries, got \(actual)"
        }
    }
}
