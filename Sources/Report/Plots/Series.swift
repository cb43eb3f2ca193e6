/// A named vector of values, one per category of a ``BarChart``.
public struct Series: Sendable, Hashable {
    public var name: String
    public var values: [Double]
    /// `nil`: the palette colour for the series' position.
    public var color: RGBColor?

    public init(_ name: String, _ values: [Double], color: RGBColor? = nil) {
        self.name = name
        self.values = values
        self.color = color
    }
}
