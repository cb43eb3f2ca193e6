import Foundation
import Reachability
import Report

extension SurveyReport {
    /// Magikarp's indicators in the report: their distribution per population, against the row
    /// norm, and the candidates the census alone misses.
    func indicatorBlocks(_ result: IndicatorStage.Result) -> [ReportBlock] {
        let main = result.mainIndicator.rawValue
        let values = result.values(result.mainIndicator) ?? []
        let census = SurveyStage.indicatorCensus(r)
        let missed = IndicatorStage.missedByCensus(result, census: census)
        let threshold = result.threshold.map { String(format: "%.6g", $0) } ?? "none"
        var blocks: [ReportBlock] = [
            .paragraph("For every row, the under-trained-token indicators of Magikarp (Land & Bartolo 2024, “Fishing for Magikarp”) against a reference set that the census supplies: \(result.reference.description). Main indicator \(main); threshold \(threshold), the 2nd percentile over the OK tokens, as Magikarp sets it. \(NumberFormat.grouped(result.candidates.count)) candidates for verification by prompting, \(NumberFormat.grouped(missed.count)) of them reachable and outside the dead cluster: under-trained tokens the census alone does not flag."),
        ]
        let finite = values.filter(\.isFinite)
        if let low = finite.min(), let high = finite.max() {
            let labels = populations
            let curves: [XYPlot.Curve] = Self.style.compactMap { population, name, color in
                let rows = labels.indices.filter { labels[$0] == population && values[$0].isFinite }
                guard !rows.isEmpty else { return nil }
                let binning = Binning.linear(rows.map { values[$0] }, bins: 60, range: low...max(high, low + 1e-12))
                // Empty bins are left out: a log axis has no place for 0.
                let bins = binning.counts.indices.filter { binning.counts[$0] > 0 }
                return XYPlot.Curve(name, x: bins.map { (binning.edges[$0] + binning.edges[$0 + 1]) / 2 }, y: bins.map { Double(binning.counts[$0]) },
                                    style: .linePoints, color: color)
            }
            var histogram = XYPlot(curves: curves, title: "Indicator by population", xAxis: Axis(main), yAxis: Axis("Rows per bin", scale: .log10))
            histogram.legend = .below
            if let t = result.threshold { histogram.markers = [Marker(t, label: "threshold")] }
            var scatter = ScatterPlot(layers: layers(x: r.norms.norms.norms, y: values), title: "Indicator against norm",
                                      xAxis: Axis("L2 norm of the row of W"), yAxis: Axis(main))
            scatter.parallelism = parallelism
            blocks.append(.figure(ReportFigure(panels: [histogram.svg(), scatter.svg()],
                                               caption: "Left: \(main) per population (60 bins; log count). Right: \(main) of each row against its norm, populations drawn over the bulk.")))
        }
        let tokenizer = census.tokens?.tokenizer
        blocks.append(.table(ReportTable(
            columns: [.init("Id", .number), .init("Decoded", .token), .init("Rank", .number), .init(main, .number),
                      .init("cos. w/o PC1", .number), .init("cos. w/o mean", .number), .init("L2", .number), .init("Black hole")],
            rows: missed.map { c in
                [String(c.id), tokenizer.map { ReadableForm.of($0.decodedBytes([c.id])) } ?? "", NumberFormat.grouped(c.rank), String(format: "%.6g", c.value),
                 String(format: "%.6g", result.indicators.cosineDistanceWithoutFirstPC[c.id]),
                 String(format: "%.6g", result.indicators.cosineDistanceWithoutMean[c.id]),
                 String(format: "%.6g", result.indicators.l2Distance[c.id]), census.blackHoleRows.contains(c.id) ? "yes" : ""]
            }, caption: "Lowest-scoring tokens that are reachable and outside the dead cluster (all candidates: \(IndicatorStage.candidatesName))",
            maxRows: 40)))
        return blocks
    }
}
