import Foundation
import Testing
@testable import Report
import TokenScopeCore

@Suite("Plots")
struct PlotTests {
    /// Bar rectangles "M x0 base V top H x1 V base Z" from the histogram's fill path.
    func bars(_ d: String) -> [(x0: Double, x1: Double, base: Double, top: Double)] {
        d.split(separator: "Z").compactMap { seg in
            let nums = seg.split(whereSeparator: { "MVH ".contains($0) }).compactMap { Double($0) }
            return nums.count == 5 ? (nums[0], nums[3], nums[1], nums[2]) : nil
        }
    }

    func frame(y: Axis, x: Axis = Axis(limits: 0...4)) -> Frame {
        Frame(plot: Rect(x: 100, y: 50, w: 400, h: 200),
              x: ResolvedAxis(x, dataRange: nil, nice: false), y: ResolvedAxis(y, dataRange: nil, nice: false), font: 12)
    }

    @Test func histogramBarHeightsAreProportionalToCounts() throws {
        let f = frame(y: Axis(limits: 0...100))
        var svg = SVGDocument(width: 600, height: 300)
        let counts: [Double] = [10, 50, 0, 100]
        Histogram.drawBars(counts.enumerated().map { (Double($0.offset), Double($0.offset + 1), $0.element) }, &svg, frame: f, color: .blue)
        let fill = try #require(svg.body.first)
        let d = try #require(fill.split(separator: "\"").dropFirst().first.map(String.init))
        let rects = bars(d)
        #expect(rects.count == 3)                   // the empty bin draws nothing
        for r in rects { #expect(r.base == 250) }   // bars stand on the x-axis
        #expect(rects.map { $0.base - $0.top } == [20, 100, 200])
        #expect(rects.map { $0.x1 - $0.x0 } == [100, 100, 100])
        #expect(rects.map(\.x0) == [100, 200, 400])
    }

    @Test func logHistogramBarsUseLogHeights() throws {
        let f = frame(y: Axis(scale: .log10, limits: 1...10000), x: Axis(scale: .log10, limits: 1e-6...1e-2))
        var svg = SVGDocument(width: 600, height: 300)
        Histogram.drawBars([(1e-6, 1e-5, 10), (1e-5, 1e-4, 100), (1e-4, 1e-3, 0), (1e-3, 1e-2, 10000)], &svg, frame: f, color: .blue)
        let d = try #require(svg.body.first?.split(separator: "\"").dropFirst().first.map(String.init))
        let rects = bars(d)
        #expect(rects.map { $0.base - $0.top } == [50, 100, 200])
        #expect(rects.map(\.x0) == [100, 200, 400])
    }

    @Test func histogramWithZeroBarMarkersAndInsetIsWellFormed() {
        let b = Binning.log10([0, 0, 1e-5, 1e-3, 0.002, 0.01, 0.5], from: 1e-6, to: 1, binsPerDecade: 5)
        var h = Histogram(b, title: "Nearest-neighbour distance", xAxis: Axis("Distance (L2)", scale: .log10, limits: 1e-6...1),
                          yAxis: Axis("Rows", scale: .log10))
        #expect(h.zeroCount == 2)
        h.markers = [Marker(0.002, label: "T = 0.002")]
        h.notes = ["n = 7 <rows> & more"]
        h.inset = HistogramInset(edges: [0.001, 0.002, 0.003], counts: [1, 2], title: "Zoom")
        let svg = h.svg()
        #expect(xmlError(svg) == nil)
        #expect(svg.contains(">= 0</text>"))
        #expect(svg.contains(">T = 0.002</text>"))
        #expect(svg.contains("n = 7 &lt;rows&gt; &amp; more"))
        #expect(svg.contains(">10⁻⁶</text>"))
        #expect(svg == h.svg())
    }

    @Test func everyPlotIsWellFormedAndDeterministic() {
        let sample = SampleReport.make(scale: 0.02)
        #expect(sample.svgs.count >= 9)
        for svg in sample.svgs {
            #expect(xmlError(svg) == nil)
            #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
            // Outside the base64 of embedded images, no number came out non-finite.
            let text = svg.split(separator: "\"").filter { !$0.hasPrefix("data:") }.joined()
            #expect(!text.contains("NaN") && !text.contains("inf"))
        }
        #expect(SampleReport.make(scale: 0.02).html == sample.html)
    }

    @Test func scatterEmbedsAPNGRasterWithAxesInSVG() throws {
        let p = ScatterPlot(layers: [PointLayer("a", x: [0, 10], y: [0, 5], color: .red, radius: 3),
                                     PointLayer("b & c", x: [5], y: [2.5], color: .blue)],
                            title: "Scatter", xAxis: Axis("x (units)", limits: 0...10), yAxis: Axis("y", limits: 0...5),
                            width: 300, height: 200)
        let svg = p.svg()
        #expect(xmlError(svg) == nil)
        let start = try #require(svg.range(of: "data:image/png;base64,"))
        let b64 = svg[start.upperBound...].prefix { $0 != "\"" }
        let png = try #require(Data(base64Encoded: String(b64)).map { [UInt8]($0) })
        let chunks = try #require(pngChunks(png))
        #expect(chunks.first?.type == "IHDR")
        #expect(try Inflate.zlib(chunks[1].data).count > 0)
        #expect(svg.contains("a (2)") && svg.contains("b &amp; c (1)"))
        #expect(svg.contains(">x (units)</text>"))
    }

    @Test func rasterDiscsComposite() {
        var r = Raster(width: 10, height: 10)
        r.fillDisc(cx: 5, cy: 5, radius: 2, .red, opacity: 1)
        let centre = (5 * 10 + 5) * 4
        #expect(Array(r.pixels[centre..<centre + 4]) == [0xD6, 0x27, 0x28, 255])
        #expect(r.pixels[3] == 0)                  // corner untouched, transparent
        r.blend(x: 5, y: 5, .blue, alpha: 0.5)
        #expect(r.pixels[centre + 3] == 255)
        #expect(r.pixels[centre + 2] > 0x28)
    }

    /// Bands drawn on separate threads give the picture of one raster: discs straddling a band's
    /// edge, overlapping discs blended in order, both plot kinds.
    @Test func rastersAreTheSameForAnyThreadCount() {
        // Low-discrepancy points (golden-ratio steps): spread over the whole plot, the same every run.
        let x = (0..<4_000).map { 360 * (Double($0) * 0.6180339887498949).truncatingRemainder(dividingBy: 1) - 180 }
        let y = (0..<4_000).map { 180 * (Double($0) * 0.7548776662466927).truncatingRemainder(dividingBy: 1) - 90 }
        let layers = [PointLayer("bulk", x: x, y: y, color: .blue, radius: 1.3, opacity: 0.35),
                      PointLayer("top", x: Array(x.prefix(300)), y: Array(y.prefix(300)), color: .red, radius: 3, opacity: 0.8)]
        func scatter(_ threads: Int) -> String {
            var plot = ScatterPlot(layers: layers, title: "t", xAxis: .longitude(), yAxis: .latitude())
            plot.parallelism = Parallelism(threads: threads)
            return plot.svg()
        }
        func polar(_ threads: Int) -> String {
            let radial = layers.map { layer -> PointLayer in
                var l = layer
                l.y = layer.y.map(abs)
                return l
            }
            var plot = PolarPlot(layers: radial, title: "p", radiusLabel: "r")
            plot.parallelism = Parallelism(threads: threads)
            return plot.svg()
        }
        #expect(scatter(1) == scatter(3) && scatter(1) == scatter(7))
        #expect(polar(1) == polar(4))
    }

    /// A disc drawn along its rows' chords is the disc of the coverage rule tested at every pixel of
    /// the raster: no pixel it reaches is left out, whatever the radius (below a pixel too), the
    /// centre's fraction or the edges.
    @Test func discsDrawnAlongChordsMatchEveryPixelTested() {
        var state: UInt64 = 7
        func uniform(_ range: ClosedRange<Double>) -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407  // Knuth's MMIX step
            return range.lowerBound + (range.upperBound - range.lowerBound) * Double(state >> 11) * 0x1p-53
        }
        for trial in 0..<400 {
            let radius = trial % 5 == 0 ? uniform(0.05...0.6) : uniform(0.3...6)
            let cx = trial % 7 == 0 ? Double(Int(uniform(0...20))) + 0.5 : uniform(-4...24)
            let cy = trial % 11 == 0 ? Double(Int(uniform(0...16))) : uniform(-4...20)
            let opacity = uniform(0.1...1)
            var drawn = Raster(width: 20, height: 16)
            drawn.fillDisc(cx: cx, cy: cy, radius: radius, .red, opacity: opacity)
            var tested = Raster(width: 20, height: 16)
            let r = max(radius, 0.5), areaScale = min(1, radius * radius / 0.25)
            for y in 0..<16 {
                for x in 0..<20 {
                    let dx = Double(x) + 0.5 - cx, dy = Double(y) + 0.5 - cy
                    let coverage = min(max(r + 0.5 - (dx * dx + dy * dy).squareRoot(), 0), 1)
                    if coverage > 0 { tested.blend(x: x, y: y, .red, alpha: opacity * coverage * areaScale) }
                }
            }
            let differing = zip(drawn.pixels, tested.pixels).filter { $0 != $1 }.count
            #expect(differing == 0, "disc at (\(cx), \(cy)), radius \(radius)")
        }
    }

    /// The libm-free rounding of a pixel value is `rounded()` (half away from zero), clamped.
    @Test func pixelRoundingIsRoundedClamped() {
        var values: [Double] = [-3, -0.5, -1e-300, 0, 0.4999999999999999, 0.5, 1.5, 2.5, 254.49999999999997, 254.5, 255, 255.2, 300]
        values += (0..<2_000).map { Double($0) / 7.9 }
        for v in values {
            #expect(Raster.roundedByte(v) == UInt8(min(255, max(0, v.rounded()))), "\(v)")
        }
    }

    /// The libm-free ⌊v⌋ of a disc's box is `rounded(.down)`, negatives and whole numbers included.
    @Test func discBoxFloorIsRoundedDown() {
        var values: [Double] = [-3, -2.5, -1, -0.5, -1e-300, 0, 1e-300, 0.5, 1, 2.999999999999999, 1e15 + 0.5, -1e15 - 0.5]
        values += (-2_000..<2_000).map { Double($0) / 7.9 }
        for v in values { #expect(Raster.floor(v) == Int(v.rounded(.down)), "\(v)") }
    }

    /// A disc whose box just misses the raster leaves it untouched; one reaching in by a fraction of a
    /// pixel covers the edge pixels it reaches, on every side.
    @Test func discsAtTheEdgesDrawOnlyWhatTheyCover() {
        let blank = Raster(width: 8, height: 6)
        for (cx, cy) in [(-2.6, 3.0), (-3.5, 3.0), (10.6, 3.0), (11.5, 3.0), (4.0, -2.6), (4.0, -3.5), (4.0, 8.6), (4.0, 9.5)] {
            var raster = blank
            raster.fillDisc(cx: cx, cy: cy, radius: 1, .black)
            #expect(raster.pixels == blank.pixels, "(\(cx), \(cy))")
        }
        for (cx, cy, x, y) in [(-0.8, 3.0, 0, 3), (8.8, 3.0, 7, 3), (4.0, -0.8, 4, 0), (4.0, 6.8, 4, 5)] {
            var raster = blank
            raster.fillDisc(cx: cx, cy: cy, radius: 1, .black)
            #expect(raster.pixels[(y * 8 + x) * 4 + 3] > 0, "(\(cx), \(cy))")
        }
    }

    @Test func heatMapBinsAndColours() {
        let g = HeatMap.bin(x: [-180, 179.5, 180, 0], y: [-90, 0, 90, 0], columns: 360, rows: 180, xRange: -180...180, yRange: -90...90)
        #expect(g.reduce(0, +) == 4)
        #expect(g[0] == 1)                          // (−180, −90) → first bin
        #expect(g[179 * 360 + 359] == 1)            // (180, 90) → last bin
        #expect(g[90 * 360 + 180] == 1)             // (0, 0)
        var m = HeatMap(grid: g, columns: 360, rows: 180, title: "Density", xAxis: .longitude(), yAxis: .latitude(), colorLabel: "Rows")
        m.smoothingSigma = 1
        m.periodicX = true
        m.colorScale = .log10
        #expect(abs(m.displayedGrid.reduce(0, +) - 4) < 1e-9)
        #expect(xmlError(m.svg()) == nil)
        let cs = ColorScale(lo: 0, hi: 1)
        #expect(cs.color(0) == Colormap.viridis.color(at: 0))
        #expect(cs.color(1) == RGBColor(hex: 0xFDE725))
        #expect(ColorScale(scale: .log10, lo: 1, hi: 100).color(0) == nil)
    }

    @Test func graphLayoutIsDeterministicAndInsideTheUnitSquare() {
        let edges = [(0, 1), (1, 2), (2, 0), (3, 4), (7, 7), (9, 99)]
        let a = GraphLayout.layout(nodeCount: 8, edges: edges)
        let b = GraphLayout.layout(nodeCount: 8, edges: edges)
        #expect(a.count == 8)
        #expect(zip(a, b).allSatisfy { $0.x == $1.x && $0.y == $1.y })
        #expect(a.allSatisfy { $0.x >= -1e-9 && $0.x <= 1 + 1e-9 && $0.y >= -1e-9 && $0.y <= 1 + 1e-9 })
        #expect(GraphLayout.components(nodeCount: 8, edges: edges.filter { $0.0 < 8 && $0.1 < 8 }).map(\.count) == [3, 2, 1, 1, 1])
    }

    @Test func barChartModes() {
        for mode in [BarChart.Mode.grouped, .stacked] {
            for scale in [AxisScale.linear, .log10] {
                let c = BarChart(categories: ["0", "1", "32"], series: [Series("vectors", [34, 24, 1]), Series("tokens", [852, 0, 1])],
                                 title: "Shells", categoryLabel: "Radius (ULP)", valueAxis: Axis("Count", scale: scale),
                                 mode: mode, valueLabels: true)
                let svg = c.svg()
                #expect(xmlError(svg) == nil)
                #expect(svg.contains(">852</text>") || mode == .stacked)
                #expect(svg.contains(">886</text>") || mode == .grouped)
            }
        }
    }

    @Test func emptyAndDegenerateInputsStillDrawAxes() {
        let svgs = [
            Histogram(edges: [], counts: [], title: "Empty", xAxis: Axis("x")).svg(),
            Histogram(edges: [0, 1], counts: [1, 2, 3], title: "Mismatched", xAxis: Axis("x")).svg(),
            Histogram(edges: [1, 1], counts: [.nan], title: "Degenerate", xAxis: Axis("x", scale: .log10), yAxis: Axis("n", scale: .log10)).svg(),
            ScatterPlot(layers: [], title: "No points", xAxis: .longitude(), yAxis: .latitude()).svg(),
            ScatterPlot(layers: [PointLayer("nan", x: [.nan, .infinity], y: [0, 1], color: .red)], title: "Non-finite", xAxis: Axis(), yAxis: Axis()).svg(),
            HeatMap(grid: [1, 2], columns: 5, rows: 5, title: "Bad grid", xAxis: Axis(), yAxis: Axis()).svg(),
            HeatMap(grid: [0, 0, 0, 0], columns: 2, rows: 2, title: "Zeros", xAxis: Axis(), yAxis: Axis()).svg(),
            PolarPlot(layers: [], title: "Empty polar", radiusLabel: "r").svg(),
            GraphPlot(nodeCount: 0, edges: [GraphEdge(0, 1)], title: "No nodes").svg(),
            BarChart(categories: [], series: [], title: "No bars").svg(),
            XYPlot(curves: [], title: "No curves", xAxis: Axis("x", scale: .log10), yAxis: Axis("y")).svg(),
        ]
        for svg in svgs {
            #expect(xmlError(svg) == nil)
            let text = svg.split(separator: "\"").filter { !$0.hasPrefix("data:") }.joined()
            #expect(!text.contains("NaN") && !text.contains("inf"))
        }
    }
}
