import TokenScopeCore

/// A scatter plot for many points (150,000 and more): the points are drawn into a PNG raster at
/// `pixelDensity` pixels per SVG unit and embedded in the SVG as a data URI; axes, grid, labels and
/// legend stay vector. Layers are drawn in order, so highlighted populations go on top of the bulk.
///
///     var sky = ScatterPlot(layers: [PointLayer("bulk", x: lon, y: lat, color: .gray),
///                                    PointLayer("cluster", x: cLon, y: cLat, color: .red, radius: 2)],
///                           title: "Sky map", xAxis: .longitude(), yAxis: .latitude())
///     let svg = sky.svg()
public struct ScatterPlot: Sendable {
    public var layers: [PointLayer]
    public var title: String
    public var xAxis: Axis
    public var yAxis: Axis
    public var legend: LegendPlacement
    public var markers: [Marker]
    /// Raster pixels per SVG unit: 2 keeps points sharp on high-density screens and in print.
    public var pixelDensity: Double
    public var width: Double
    public var height: Double
    /// Threads for drawing the points (the picture is the same for any count).
    public var parallelism: Parallelism = .allCores

    public init(layers: [PointLayer], title: String, xAxis: Axis, yAxis: Axis, width: Double = 760, height: Double = 440) {
        self.layers = layers
        self.title = title
        self.xAxis = xAxis
        self.yAxis = yAxis
        legend = .below
        markers = []
        pixelDensity = 2
        self.width = width
        self.height = height
    }

    public func svg() -> String {
        let x = ResolvedAxis(xAxis, dataRange: ResolvedAxis.range(layers.flatMap(\.x), scale: xAxis.scale), nice: true)
        let y = ResolvedAxis(yAxis, dataRange: ResolvedAxis.range(layers.flatMap(\.y), scale: yAxis.scale), nice: true)
        let entries = PointLayer.legend(layers, font: 12)
        var svg = SVGDocument(width: width, height: height)
        let frame = Frame.layout(width: width, height: height, hasTitle: !title.isEmpty, x: x, y: y,
                                 extraBottom: legend == .below ? entries.belowHeight(width: width) : 0)
        frame.drawGrid(&svg)
        let raster = Self.rasterize(layers, frame: frame, density: pixelDensity, parallelism: parallelism) { frame.x.fraction($0) } y: { frame.y.fraction($0) }
        svg.image(frame.plot.x, frame.plot.y, frame.plot.w, frame.plot.h, dataURI: raster.dataURI())
        Marker.draw(markers, &svg, frame: frame)
        frame.drawAxes(&svg, title: title)
        entries.draw(&svg, frame: frame, placement: legend, figureWidth: width, figureHeight: height)
        return svg.render(title: title)
    }

    /// The layers drawn into a transparent raster covering the frame's data area; `x` and `y` map a
    /// data value to its fraction across the area (0…1, y up).
    ///
    /// Bands of rows are drawn in parallel, each with every point that reaches it, in order: a pixel
    /// sees the same discs in the same order as in one raster, and the centre's shift by a whole
    /// number of rows is exact, so the image is identical whatever the number of threads.
    static func rasterize(_ layers: [PointLayer], frame: Frame, density: Double, parallelism: Parallelism,
                          x fx: (Double) -> Double, y fy: (Double) -> Double) -> Raster {
        let d = min(max(density, 0.25), 8)
        let w = max(1, Int((frame.plot.w * d).rounded())), h = max(1, Int((frame.plot.h * d).rounded()))
        let bands = Parallelism.ranges(count: h, chunks: parallelism.threads * 2)
        return Raster(stacking: parallelism.map(chunks: bands.count) { band in
            let top = bands[band].lowerBound
            var raster = Raster(width: w, height: bands[band].count)
            for layer in layers {
                let radius = layer.radius * d
                for (vx, vy) in zip(layer.x, layer.y) {
                    let tx = fx(vx), ty = fy(vy)
                    guard tx.isFinite, ty.isFinite else { continue }
                    raster.fillDisc(cx: tx * Double(w), cy: (1 - ty) * Double(h) - Double(top), radius: radius, layer.color, opacity: layer.opacity)
                }
            }
            return raster
        })
    }
}
