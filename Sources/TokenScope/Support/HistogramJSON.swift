import Geometry
import JSON
import TokenScopeCore

extension SummaryStatistics {
    public var json: JSONValue {
        ["count": JSONValue(count), "mean": JSONValue(mean), "std": JSONValue(standardDeviation),
         "min": JSONValue(minimum), "max": JSONValue(maximum)]
    }
}

extension Binning {
    /// Edges (bins + 1), counts, and the values left out: below or above the range (for distances,
    /// +∞ is "no neighbour within the radius"), at most zero (log bins only: a log axis has no place
    /// for them), NaN.
    public var json: JSONValue {
        ["edges": JSONValue(edges), "counts": JSONValue(counts), "below": JSONValue(below), "above": JSONValue(above),
         "zero": JSONValue(zeroOrNegative), "nan": JSONValue(nan)]
    }
}
