import JSON

/// A histogram of non-negative values on log-spaced bins, with zeros and values past the range
/// counted apart (a log axis has no place for 0, and distances beyond the search radius are
/// known only as "at least").
public struct LogHistogram: Sendable {
    public var edges: [Double]
    public var counts: [Int]
    public var zeros = 0
    public var beyond = 0
    public var missing = 0

    /// Bins from `low` to `high` with `perDecade` bins per factor of ten.
    public init(values: [Double], low: Double, high: Double, perDecade: Int = 10) {
        let decades = log10(high / low)
        let bins = max(1, Int((decades * Double(perDecade)).rounded(.up)))
        edges = (0...bins).map { low * pow(10, decades * Double($0) / Double(bins)) }
        counts = [Int](repeating: 0, count: bins)
        for value in values {
            if value.isNaN { missing += 1 }
            else if value == 0 { zeros += 1 }
            else if value >= high { beyond += 1 }
            else if value < low { counts[0] += 1 }
            else { counts[min(bins - 1, Int(log10(value / low) / decades * Double(bins)))] += 1 }
        }
    }

    public var json: JSONValue {
        ["edges": JSONValue(edges), "counts": JSONValue(counts), "zero": JSONValue(zeros), "at_least_high": JSONValue(beyond),
         "not_finite": JSONValue(missing)]
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
