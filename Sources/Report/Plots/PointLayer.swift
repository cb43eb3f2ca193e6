/// One population of points for a raster plot (``ScatterPlot``, ``PolarPlot``): drawn in the order
/// the layers are given, so put the bulk first and the highlighted populations after it.
public struct PointLayer: Sendable, Hashable {
    public var name: String
    /// Horizontal coordinates (for ``PolarPlot``: angles in degrees).
    public var x: [Double]
    /// Vertical coordinates (for ``PolarPlot``: radii).
    public var y: [Double]
    public var color: RGBColor
    /// Disc radius in SVG units (CSS pixels).
    public var radius: Double
    public var opacity: Double
    /// Append the number of points to the legend label: "cluster (2,212)".
    public var countInLegend: Bool

    public init(_ name: String, x: [Double], y: [Double], color: RGBColor, radius: Double = 1.2, opacity: Double = 0.7,
                countInLegend: Bool = true) {
        self.name = name
        self.x = x
        self.y = y
        self.color = color
        self.radius = radius
        self.opacity = opacity
        self.countInLegend = countInLegend
    }

    var legendLabel: String {
        countInLegend ? "\(name) (\(NumberFormat.grouped(min(x.count, y.count))))" : name
    }

    static func legend(_ layers: [PointLayer], font: Double) -> Legend {
        Legend(entries: layers.map { Legend.Entry(label: $0.legendLabel, color: $0.color, swatch: .disc) }, font: font)
    }
}
