/// One headline number of the report: a label, its value as it should read ("151,936"; "1.087 ± 0.168"),
/// and an optional line of detail.
public struct KeyFigure: Sendable, Hashable {
    public var label: String
    public var value: String
    public var detail: String?

    public init(_ label: String, _ value: String, detail: String? = nil) {
        self.label = label
        self.value = value
        self.detail = detail
    }
}
