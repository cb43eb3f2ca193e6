import Foundation

/// A 2-D grid of values (a density of points in bins) as colours: the grid becomes a PNG image at one
/// pixel per bin inside SVG axes, with a colour bar. Optionally smoothed first with
/// ``Smoothing/gaussian(_:width:height:sigma:truncate:wrapX:)``.
///
///     var m = HeatMap(grid: counts, columns: 360, rows: 180, title: "Sky density",
///                     xAxis: .longitude(), yAxis: .latitude(), colorLabel: "Rows per bin (smoothed)")
///     m.smoothingSigma = 1
///     m.colorScale = .log10
public struct HeatMap: Sendable {
    /// `columns × rows` values, row-major; row 0 is the *lowest* y (the bottom of the plot).
    public var grid: [Double]
    public var columns: Int
    public var rows: Int
    public var title: String
    /// Axes; their limits are the extent of the grid (default: 0…columns and 0…rows).
    public var xAxis: Axis
    public var yAxis: Axis
    public var colormap: Colormap
    public var colorScale: AxisScale
    /// Colour limits; default: the grid's range (for log: from the larger of its smallest positive value
    /// and max × 10⁻⁴, so that smoothing tails do not wash the map out).
    public var colorLimits: ClosedRange<Double>?
    public var colorLabel: String
    /// Gaussian smoothing in bins before drawing (0: none).
    public var smoothingSigma: Double
    /// Treat the x-axis as periodic when smoothing (longitude).
    public var periodicX: Bool
    public var width: Double
    public var height: Double

    public init(grid: [Double], columns: Int, rows: Int, title: String, xAxis: Axis, yAxis: Axis, colorLabel: String = "",
                width: Double = 760, height: Double = 420) {
        self.grid = grid
        self.columns = columns
        self.rows = rows
        self.title = title
        self.xAxis = xAxis
        self.yAxis = yAxis
        colormap = .viridis
        colorScale = .linear
        colorLimits = nil
        self.colorLabel = colorLabel
        smoothingSigma = 0
        periodicX = false
        self.width = width
        self.height = height
    }

    /// Counts of points in `columns × rows` equal bins over the given ranges (row 0 = lowest y);
    /// points outside are dropped. Values on the upper edge go in the last bin.
    public static func bin(x: [Double], y: [Double], columns: Int, rows: Int, xRange: ClosedRange<Double>,
                           yRange: ClosedRange<Double>) -> [Double] {
        guard columns > 0, rows > 0 else { return [] }
        var g = [Double](repeating: 0, count: columns * rows)
        let xw = xRange.upperBound - xRange.lowerBound, yh = yRange.upperBound - yRange.lowerBound
        guard xw > 0, yh > 0 else { return g }
        for (vx, vy) in zip(x, y) where xRange.contains(vx) && yRange.contains(vy) {
            let c = min(Int((vx - xRange.lowerBound) / xw * Double(columns)), columns - 1)
            let r = min(Int((vy - yRange.lowerBound) / yh * Double(rows)), rows - 1)
            g[r * columns + c] += 1
        }
        return g
    }

    /// The grid as drawn: smoothed when asked.
    public var displayedGrid: [Double] {
        smoothingSigma > 0 ? Smoothing.gaussian(grid, width: columns, height: rows, sigma: smoothingSigma, wrapX: periodicX) : grid
    }

    /// The colour scale for the displayed grid.
    func resolvedColorScale(_ g: [Double]) -> ColorScale {
        var lo: Double, hi: Double
        if let l = colorLimits, l.lowerBound < l.upperBound {
            (lo, hi) = (l.lowerBound, l.upperBound)
        } else {
            hi = g.filter(\.isFinite).max() ?? 1
            if colorScale == .log10 {
                let minPos = g.filter { $0 > 0 && $0.isFinite }.min() ?? 1
                hi = max(hi, 1e-300)
                lo = max(minPos, hi * 1e-4)
                if lo >= hi { lo = hi / 10 }
            } else {
                lo = min(0, g.filter(\.isFinite).min() ?? 0)
                if lo >= hi { hi = lo + 1 }
            }
        }
        return ColorScale(colormap: colormap, scale: colorScale, lo: lo, hi: hi, label: colorLabel,
                          missingColor: colormap.color(at: 0))
    }

    public func svg() -> String {
        let valid = columns > 0 && rows > 0 && grid.count == columns * rows
        let g = valid ? displayedGrid : []
        let cs = resolvedColorScale(g)
        var xa = xAxis, ya = yAxis
        if xa.limits == nil { xa.limits = 0...Double(max(columns, 1)) }
        if ya.limits == nil { ya.limits = 0...Double(max(rows, 1)) }
        let x = ResolvedAxis(xa, dataRange: nil, nice: false)
        let y = ResolvedAxis(ya, dataRange: nil, nice: false)
        var svg = SVGDocument(width: width, height: height)
        let frame = Frame.layout(width: width, height: height, hasTitle: !title.isEmpty, x: x, y: y,
                                 extraRight: cs.reservedWidth(font: 12))
        if valid {
            var raster = Raster(width: columns, height: rows)
            for r in 0..<rows {
                for c in 0..<columns {
                    // PNG rows run top-down; grid row 0 is the bottom.
                    if let color = cs.color(g[r * columns + c]) { raster.set(x: c, y: rows - 1 - r, color) }
                }
            }
            svg.image(frame.plot.x, frame.plot.y, frame.plot.w, frame.plot.h, dataURI: raster.dataURI(), pixelated: smoothingSigma <= 0)
        }
        frame.drawAxes(&svg, title: title)
        cs.drawBar(&svg, beside: frame.plot, font: 12)
        return svg.render(title: title)
    }
}
