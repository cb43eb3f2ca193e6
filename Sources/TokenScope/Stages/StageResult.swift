import JSON

/// A stage's typed result. Its JSON is `summary`, derived from the typed fields; encoding the
/// result encodes that summary, so an `Encoder` sees what `--json` and `survey.json` hold.
public protocol StageResult: Encodable {
    var summary: JSONValue { get }
}

extension StageResult {
    public func encode(to encoder: Encoder) throws { try summary.encode(to: encoder) }
}
