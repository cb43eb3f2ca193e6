import Geometry
import Report

/// The three pictures of the sky frame (1.3a/1.3b), drawn the same way by `skymap` and the report.
enum SkyPlots {
    /// Longitude against latitude, the layers drawn in order over each other.
    static func skyMap(_ layers: [PointLayer], parallelism: Parallelism) -> ScatterPlot {
        var plot = ScatterPlot(layers: layers, title: "Sky map", xAxis: .longitude(), yAxis: .latitude())
        plot.legend = .below
        plot.parallelism = parallelism
        return plot
    }

    /// The 1° density grid (longitude-major, as `SkyMap.densityGrid`), smoothed with σ = 1 bin.
    static func density(_ grid: [Int]) -> HeatMap {
        var rows = [Double](repeating: 0, count: 360 * 180)
        for lon in 0..<360 { for lat in 0..<180 { rows[lat * 360 + lon] = Double(grid[lon * 180 + lat]) } }
        var plot = HeatMap(grid: rows, columns: 360, rows: 180, title: "Sky density (1° bins, Gaussian σ = 1 bin)",
                           xAxis: .longitude(), yAxis: .latitude(), colorLabel: "Rows per bin")
        plot.smoothingSigma = 1
        plot.periodicX = true
        plot.colorScale = .log10
        return plot
    }

    /// Radius against longitude.
    static func equatorial(_ layers: [PointLayer], parallelism: Parallelism) -> PolarPlot {
        var plot = PolarPlot(layers: layers, title: "Equatorial map", radiusLabel: "r = ‖(x, y, z)‖ (model units)")
        plot.legend = .below
        plot.parallelism = parallelism
        return plot
    }

    /// Every row in one layer, for a map drawn without populations.
    static func allRows(x: [Double], y: [Double]) -> [PointLayer] {
        let rows = x.indices.filter { x[$0].isFinite && y[$0].isFinite }
        return [PointLayer("rows", x: rows.map { x[$0] }, y: rows.map { y[$0] }, color: .blue, radius: 0.8, opacity: 0.35)]
    }

    /// Writes the three pictures as SVG files beside the coordinates; returns their paths.
    static func write(map: SkyMap, density grid: [Int], to directory: String, parallelism: Parallelism) throws -> [String] {
        let names = ["1.3b_sky_map.svg", "1.3b_sky_density.svg", "1.3b_equatorial_map.svg"]
        // Drawn side by side: each picture's PNG encoding runs on one thread.
        let pictures = parallelism.map(chunks: names.count) { k -> String in
            switch k {
            case 0: return skyMap(allRows(x: map.longitude, y: map.latitude), parallelism: parallelism).svg()
            case 1: return density(grid).svg()
            default: return equatorial(allRows(x: map.longitude, y: map.r), parallelism: parallelism).svg()
            }
        }
        return try zip(names, pictures).map { name, svg in
            let path = directory + "/" + name
            let writer = try AtomicFileWriter(destination: path)
            try writer.write(Array(svg.utf8))
            try writer.commit()
            return path
        }
    }
}
