import Foundation

/// A categorical bar chart: one group of bars per category, one bar per ``Series`` side by side
/// (`.grouped`) or piled up (`.stacked`); linear or log value axis. For shell populations
/// ("0, 1, 2, 3, 4, 32" ULP with vectors and tokens), population sizes, or several models compared.
///
///     let c = BarChart(categories: ["0", "1", "2"], series: [Series("vectors", [34, 24, 61]),
///                      Series("tokens", [852, 270, 1081])], title: "Shells", categoryLabel: "Radius (ULP)",
///                      valueAxis: Axis("Count", scale: .log10))
public struct BarChart: Sendable {
    public enum Mode: Sendable, Hashable { case grouped, stacked }

    public var categories: [String]
    public var series: [Series]
    public var title: String
    /// Label under the category axis.
    public var categoryLabel: String
    public var valueAxis: Axis
    public var mode: Mode
    /// Print each bar's value above it (each stack's total when stacked).
    public var valueLabels: Bool
    public var legend: LegendPlacement
    public var width: Double
    public var height: Double

    public init(categories: [String], series: [Series], title: String, categoryLabel: String = "",
                valueAxis: Axis = Axis("Count"), mode: Mode = .grouped, valueLabels: Bool = false,
                width: Double = 640, height: Double = 360) {
        self.categories = categories
        self.series = series
        self.title = title
        self.categoryLabel = categoryLabel
        self.valueAxis = valueAxis
        self.mode = mode
        self.valueLabels = valueLabels
        legend = series.count > 1 ? .topRight : .none
        self.width = width
        self.height = height
    }

    func value(_ s: Int, _ c: Int) -> Double {
        let v = series[s].values
        return c < v.count && v[c].isFinite ? v[c] : 0
    }

    func color(_ s: Int) -> RGBColor { series[s].color ?? RGBColor.series(s) }

    public func svg() -> String {
        let n = categories.count
        var tops: [Double] = []
        for c in 0..<n {
            if mode == .stacked {
                tops.append(series.indices.reduce(0) { $0 + max(value($1, c), 0) })
            } else {
                tops += series.indices.map { value($0, c) }
            }
        }
        let maxV = tops.max() ?? 1
        var vAxis = valueAxis
        if vAxis.limits == nil && vAxis.scale == .log10 {
            let minPos = (mode == .stacked ? series.indices.flatMap { s in (0..<n).map { value(s, $0) } } : tops).filter { $0 > 0 }.min() ?? 1
            let lo = minPos >= 1 ? 0.5 : minPos / 2
            let hi = Ticks.scaled(1, Int(Foundation.log10(max(maxV, lo * 10) * (valueLabels ? 3 : 1.5)).rounded(.up)))
            vAxis.limits = lo...hi
        }
        let minV = mode == .stacked ? 0 : min(0, tops.min() ?? 0)
        let y = ResolvedAxis(vAxis, dataRange: (minV, max(maxV, 1e-300) * (valueLabels ? 1.12 : 1.04)), nice: true)
        let x = ResolvedAxis(Axis(categoryLabel, limits: 0...Double(max(n, 1)), ticks: (0..<n).map { Double($0) + 0.5 },
                                  tickLabels: categories, grid: false), dataRange: nil, nice: false)
        let legendEntries = Legend(entries: series.indices.map { Legend.Entry(label: series[$0].name, color: color($0), swatch: .box) }, font: 12)
        var svg = SVGDocument(width: width, height: height)
        var frame = Frame.layout(width: width, height: height, hasTitle: !title.isEmpty, x: x, y: y,
                                 extraBottom: legend == .below ? legendEntries.belowHeight(width: width) : 0)
        frame.thinXLabels = false
        frame.drawGrid(&svg)

        let zero = y.scale == .linear ? frame.py(0) : frame.plot.maxY
        let base = min(max(zero, frame.plot.y), frame.plot.maxY)
        let slot = frame.plot.w / Double(max(n, 1))
        let groupW = slot * 0.8
        let barW = mode == .stacked ? groupW * 0.75 : groupW / Double(max(series.count, 1))
        for c in 0..<n {
            let left = frame.plot.x + slot * Double(c) + (slot - (mode == .stacked ? barW : groupW)) / 2
            var stack = 0.0
            for s in series.indices {
                let v = value(s, c)
                let x0 = mode == .stacked ? left : left + barW * Double(s)
                let y0: Double, y1: Double
                if mode == .stacked {
                    guard v > 0 else { continue }
                    y0 = stack == 0 ? base : frame.py(stack)
                    stack += v
                    y1 = frame.py(stack)
                } else {
                    y0 = base
                    y1 = frame.py(v)
                }
                guard y0.isFinite, y1.isFinite, !(y.scale == .log10 && v <= 0) else { continue }
                let top = min(max(min(y0, y1), frame.plot.y), frame.plot.maxY)
                let bottom = min(max(max(y0, y1), frame.plot.y), frame.plot.maxY)
                svg.rect(x0 + 0.5, top, max(barW - 1, 0.5), bottom - top, fill: color(s).css)
                if valueLabels && mode == .grouped {
                    svg.text(Self.format(v), x0 + barW / 2, (v >= 0 ? top - 3 : bottom + 3 + frame.font * 0.8), size: frame.font * 0.8,
                             anchor: .middle, fill: "#333")
                }
            }
            if valueLabels && mode == .stacked && stack > 0 {
                svg.text(Self.format(stack), left + barW / 2, max(frame.py(stack), frame.plot.y) - 3, size: frame.font * 0.85, anchor: .middle)
            }
        }
        frame.drawAxes(&svg, title: title)
        legendEntries.draw(&svg, frame: frame, placement: series.count > 1 ? legend : .none, figureWidth: width, figureHeight: height)
        return svg.render(title: title)
    }

    /// Integers with thousands separators, others to four significant digits.
    static func format(_ v: Double) -> String {
        if v == v.rounded() && abs(v) < 1e15 { return NumberFormat.grouped(Int(v)) }
        return NumberFormat.significant(v, digits: 4)
    }
}
