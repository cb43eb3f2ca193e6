/// How data values map to positions along an axis.
public enum AxisScale: Sendable, Hashable {
    case linear
    /// Base-10 logarithmic; values ≤ 0 have no position and are left out (plots say so explicitly).
    case log10
}

/// One axis of a plot: its label (with the unit, e.g. "L2 norm (model units)"), scale, and optional
/// fixed limits and ticks. Left `nil`, limits come from the data and ticks from ``Ticks``.
///
///     Axis("Nearest-neighbour distance (L2)", scale: .log10, limits: 1e-6...1)
public struct Axis: Sendable, Hashable {
    public var label: String
    public var scale: AxisScale
    public var limits: ClosedRange<Double>?
    public var ticks: [Double]?
    /// Labels for `ticks`, one each; formatted from the values when `nil` or of the wrong count.
    public var tickLabels: [String]?
    /// Light grid lines at the major ticks.
    public var grid: Bool

    public init(_ label: String = "", scale: AxisScale = .linear, limits: ClosedRange<Double>? = nil,
                ticks: [Double]? = nil, tickLabels: [String]? = nil, grid: Bool = true) {
        self.label = label
        self.scale = scale
        self.limits = limits
        self.ticks = ticks
        self.tickLabels = tickLabels
        self.grid = grid
    }

    /// Longitude from −180° to 180°, ticks every 60°.
    public static func longitude(_ label: String = "Longitude (degrees)") -> Axis {
        let t = stride(from: -180.0, through: 180, by: 60).map { $0 }
        return Axis(label, limits: -180...180, ticks: t, tickLabels: t.map { NumberFormat.plotMinus(NumberFormat.fixed($0, decimals: 0)) + "°" })
    }

    /// Latitude from −90° to 90°, ticks every 30°.
    public static func latitude(_ label: String = "Latitude (degrees)") -> Axis {
        let t = stride(from: -90.0, through: 90, by: 30).map { $0 }
        return Axis(label, limits: -90...90, ticks: t, tickLabels: t.map { NumberFormat.plotMinus(NumberFormat.fixed($0, decimals: 0)) + "°" })
    }
}
