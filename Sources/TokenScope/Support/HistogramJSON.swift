import Geometry
import JSON
import Report

extension LinearHistogram {
    /// Edges (bins + 1), counts, and the values left out: outside the range or not finite.
    public var json: JSONValue {
        ["edges": JSONValue(edges), "counts": JSONValue(counts), "below": JSONValue(below), "above": JSONValue(above),
         "not_finite": JSONValue(notFinite)]
    }
}

extension SummaryStatistics {
    public var json: JSONValue {
        ["count": JSONValue(count), "mean": JSONValue(mean), "std": JSONValue(standardDeviation),
         "min": JSONValue(minimum), "max": JSONValue(maximum)]
    }
}

extension Binning {
    /// Edges (bins + 1), counts, and the values left out: at most zero (a log axis has no place
    /// for them), below or above the range (for distances: not measured within the radius), NaN.
    public var json: JSONValue {
        ["edges": JSONValue(edges), "counts": JSONValue(counts.map { Int($0) }), "zero": JSONValue(zeroOrNegative),
         "below": JSONValue(below), "at_least_high": JSONValue(above), "not_finite": JSONValue(nan)]
    }
}
