import Geometry
import JSON

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
