import Foundation
import Geometry
import JSON
import Reachability
import Report
import Tokenizers

/// `report.html`: one self-contained page with every figure of a survey.
struct SurveyReport {
    let r: SurveyResult
    /// Each row's population: the corrected split when the tokenizer is known, else cluster or not.
    let populations: [RowPopulation]

    /// Threads for building the sections and drawing their pictures (the page is the same for any count).
    let parallelism: Parallelism

    init(_ result: SurveyResult, parallelism: Parallelism = .allCores) {
        r = result
        self.parallelism = parallelism
        if let p = result.populations?.rowPopulations {
            populations = p
        } else {
            var labels = [RowPopulation](repeating: .reachableOutsideCluster, count: result.loaded.matrix.rows)
            for id in result.clusters.census.giant?.tokens ?? [] { labels[id] = .reachableInCluster }
            populations = labels
        }
    }

    /// How the report draws and names each population.
    static let style: [(RowPopulation, String, RGBColor)] = [
        (.reachableOutsideCluster, "bulk", .gray),
        (.noToken, "no token", .cyan),
        (.unreachableOutsideCluster, "halo", .orange),
        (.noTokenInCluster, "cluster, no token", .blue),
        (.reachableInCluster, "cluster, reachable", .purple),
        (.unreachableInCluster, "cluster, unreachable", .red),
    ]

    func render() -> String {
        let m = r.loaded.matrix
        // The last two path components: model directories are often called just "model".
        let name = URL(fileURLWithPath: r.loaded.modelDirectory ?? r.loaded.file).pathComponents.suffix(2).joined(separator: "/")
        var report = HTMLReport(title: "TokenScope survey: \(name)",
                                subtitle: "\(r.loaded.headline) · sha256 \(r.inputSHA256.prefix(16))… · tokenscope \(Provenance.toolVersion)")
        report.addKeyFigure("Rows × dimensions", "\(NumberFormat.grouped(m.rows)) × \(NumberFormat.grouped(m.columns))", detail: m.format.rawValue)
        if let giant = r.clusters.census.giant {
            report.addKeyFigure("Giant cluster", "\(NumberFormat.grouped(giant.tokens.count)) tokens", detail: "\(giant.uniqueVectors) distinct vectors")
        }
        if let core = r.core?.census {
            report.addKeyFigure("Big One", "\(NumberFormat.grouped(core.bigOne.population)) tokens", detail: String(format: "norm %.6f", core.bigOne.norm))
            report.addKeyFigure("Core / halo", "\(NumberFormat.grouped(core.coreTokens.count)) / \(core.haloTokens.count)", detail: "within \(core.maxCoreRadiusULP.formatted3) ULP")
        }
        if let reach = r.reachability {
            report.addKeyFigure("Unreachable tokens", NumberFormat.grouped(reach.lists.allUnreachable.count), detail: "of \(NumberFormat.grouped(reach.roundTrip.idCount)) ids")
            if let w = reach.witnesses {
                report.addKeyFigure("In any context", NumberFormat.grouped(w.unreachableInAnyContext.count), detail: "no witness within bounds")
            }
            report.addKeyFigure("Rows with no token", NumberFormat.grouped(reach.lists.rowsWithoutToken.count))
        }
        if let spike = r.spike { report.addKeyFigure("Spike box", "\(NumberFormat.grouped(spike.ids.count)) rows") }

        var warnings: [ReportBlock] = r.skipped.map { .note("Skipped \($0.stage): \($0.reason)", .warning) }
        if let q = r.loaded.quantization {
            warnings.append(.note("W is quantised (\(q)): its values are not the trained ones, so black holes may be artefacts of the quantisation.", .warning))
        }
        if !r.clusters.census.identical.nonFiniteRows.isEmpty {
            warnings.append(.note("\(r.clusters.census.identical.nonFiniteRows.count) rows hold NaN or infinity and were left out of every distance.", .warning))
        }
        if !warnings.isEmpty { report.addSection("Warnings", warnings) }

        var sections: [(title: String, blocks: () -> [ReportBlock])] = [("Norms (1.2a)", normsBlocks)]
        if let sky = r.sky { sections.append(("Sky map (1.3a, 1.3b)", { skyBlocks(sky) })) }
        sections.append(("Neighbour graph and the giant cluster (1.4f–1.4h)", clusterBlocks))
        if let core = r.core?.census { sections.append(("Black holes, shells, core and halo (1.11a–1.11k)", { coreBlocks(core) })) }
        sections.append(("Identical rows in the whole vocabulary", blackHoleBlocks))
        if let reach = r.reachability { sections.append(("Reachability and populations (1.8d–1.8f)", { reachabilityBlocks(reach) })) }
        if let tokenizer = r.tokenizer { sections.append(("Decoded entries (1.7a, 1.10d)", { decodedBlocks(tokenizer) })) }
        if let indicators = r.indicators { sections.append(("Under-trained-token indicators (after Magikarp)", { indicatorBlocks(indicators) })) }
        sections.append(("Provenance", provenanceBlocks))
        // Sections are built side by side: their pictures' PNG compression is serial work.
        for (section, blocks) in zip(sections, parallelism.map(chunks: sections.count) { sections[$0].blocks() }) {
            report.addSection(section.title, blocks)
        }
        report.footer = "Written by tokenscope \(Provenance.toolVersion). Figures and files: survey.json in the same folder."
        return report.render()
    }

    // MARK: Sections

    func normsBlocks() -> [ReportBlock] {
        guard let stats = r.norms.norms.statistics, let histogram = r.norms.histogram else {
            return [.note("No finite row: no norms to show.", .warning)]
        }
        var plot = Histogram(histogram, title: "Row norms ‖wᵢ‖", xAxis: Axis("L2 norm"), yAxis: Axis("Rows", scale: .log10))
        plot.markers = [Marker(stats.mean, label: String(format: "mean %.4f", stats.mean), color: .darkGray)]
        if let zoom = r.norms.zoom {
            plot.inset = HistogramInset(zoom, title: "1st–99th percentile")
        }
        return [
            .figure(ReportFigure(svg: plot.svg(), caption: "L2 norm of every row of W (100 bins; log count), with a zoom on the central 98 %.")),
            .definitions([KeyFigure("Rows", NumberFormat.grouped(stats.count)), KeyFigure("Mean", String(format: "%.6f", stats.mean)),
                          KeyFigure("Standard deviation", String(format: "%.6f", stats.standardDeviation)),
                          KeyFigure("Minimum", String(format: "%.6f", stats.minimum)), KeyFigure("Maximum", String(format: "%.6f", stats.maximum))]),
        ]
    }

    func layers(x: [Double], y: [Double], radiusScale: Double = 1) -> [PointLayer] {
        let labels = populations
        return Self.style.compactMap { population, name, color in
            let rows = labels.indices.filter { labels[$0] == population && x[$0].isFinite && y[$0].isFinite }
            guard !rows.isEmpty else { return nil }
            let highlighted = population != .reachableOutsideCluster
            return PointLayer(name, x: rows.map { x[$0] }, y: rows.map { y[$0] }, color: color,
                              radius: (highlighted ? 2.2 : 0.8) * radiusScale, opacity: highlighted ? 0.9 : 0.35)
        }
    }

    func skyBlocks(_ sky: SkyMapStage.Result) -> [ReportBlock] {
        let map = sky.map
        let scatter = SkyPlots.skyMap(layers(x: map.longitude, y: map.latitude), parallelism: parallelism)
        let heat = SkyPlots.density(sky.density)
        let polar = SkyPlots.equatorial(layers(x: map.longitude, y: map.r), parallelism: parallelism)
        let eigen = sky.axes.eigenvalues.prefix(3).enumerated().map { KeyFigure("PC\($0.offset + 1) eigenvalue", String(format: "%.6g", $0.element)) }
        var blocks: [ReportBlock] = [
            .paragraph("Rows projected, uncentred, on the top principal axes of the centred matrix: x on the meridian (\(SkyFrame.axisName(map.frame.meridian))), y on the equinox (\(SkyFrame.axisName(map.frame.equinox))), z on the north (\(SkyFrame.axisName(map.frame.north))); each axis signed so that its largest component is positive. Latitude = asin(z/r), longitude = atan2(y, x)."),
            .figure(ReportFigure(svg: scatter.svg(), caption: "Longitude against latitude of every row, populations drawn over the bulk.")),
            .figure(ReportFigure(svg: heat.svg(), caption: "Density of rows per square degree, smoothed; log colour scale.")),
            .figure(ReportFigure(svg: polar.svg(), caption: "Radius against longitude (the equatorial map).")),
            .definitions(eigen),
        ]
        if let spike = r.spike {
            let box = r.options.box
            blocks.append(.paragraph("Spike box (1.4a): latitude \(box.latitude.lowerBound)…\(box.latitude.upperBound)°, longitude \(box.longitude.lowerBound)…\(box.longitude.upperBound)°, r \(box.radius.lowerBound)…\(box.radius.upperBound), inclusive: \(NumberFormat.grouped(spike.ids.count)) rows, written as spike_token_ids."))
            if let tokenizer = r.tokenizer {
                blocks.append(.table(ReportTable(headers: ["Script", "Rows in the spike box"],
                                                 rows: TokenScript.mix(of: spike.ids, tokenizer: tokenizer).map { [$0.script.rawValue, NumberFormat.grouped($0.count)] },
                                                 caption: "Script mix of the spike box (rows with a token)")))
            }
        }
        return blocks
    }

    func clusterBlocks() -> [ReportBlock] {
        let census = r.clusters.census
        let radius = census.parameters.effectiveRadius
        let t = Double(census.parameters.threshold)
        let nn = census.nearestNeighbourDistance
        var histogram = Histogram(Binning.log10(nn.filter { !$0.isNaN && $0 < radius }, from: 1e-6, to: radius, binsPerDecade: 10),
                                  title: "Nearest-neighbour distance", xAxis: Axis("Distance to the nearest other row", scale: .log10),
                                  yAxis: Axis("Rows", scale: .log10))
        histogram.markers = [Marker(t, label: "T = \(census.parameters.threshold)")]
        let beyond = nn.filter { !($0 < radius) && !$0.isNaN }.count
        histogram.notes = ["\(NumberFormat.grouped(beyond)) rows have no neighbour within \(radius.formatted3) (not shown)"]
        let sizes = census.sizeDistribution
        let sizePlot = XYPlot(curves: [XYPlot.Curve("components", x: sizes.map { Double($0.size) }, y: sizes.map { Double($0.count) }, style: .stems)],
                              title: "Component sizes", xAxis: Axis("Tokens in the component", scale: .log10),
                              yAxis: Axis("Components", scale: .log10))
        var blocks: [ReportBlock] = [
            .paragraph("Rows are adjacent when their exact L2 distance is below T = \(census.parameters.threshold), computed from the differences of the stored values. Candidates: \(NumberFormat.grouped(census.candidates.count)) rows (\(r.options.clustersFromSpikeBox ? "the spike box" : "every row")); \(NumberFormat.grouped(census.identical.groups.count)) distinct vectors."),
            .figure(ReportFigure(panels: [histogram.svg(), sizePlot.svg()],
                                 caption: "Left: each row's distance to its nearest other row (0: an identical row exists; measured exactly up to \(radius.formatted3)). Right: how many components have each size.")),
            .definitions([KeyFigure("Edges", NumberFormat.grouped(census.edgeCount)), KeyFigure("Components", NumberFormat.grouped(census.components.count)),
                          KeyFigure("Singletons", NumberFormat.grouped(census.singletonCount))]),
        ]
        if let giant = census.giant {
            blocks.append(.definitions([
                KeyFigure("Giant cluster", "\(NumberFormat.grouped(giant.tokens.count)) tokens on \(giant.uniqueVectors) distinct vectors"),
                KeyFigure("Diameter", String(format: "%.6g", giant.diameter) + (giant.diameterIsExact ? "" : " (lower bound)")),
                KeyFigure("Void", giant.void.map { String(format: "%.6g", $0) } ?? "≥ \(radius.formatted3)",
                          detail: "smallest distance to a row outside the cluster"),
                KeyFigure("Token ids", "\(giant.tokens.first ?? 0)…\(giant.tokens.last ?? 0)"),
            ]))
        }
        return blocks
    }

    func coreBlocks(_ core: CoreCensus) -> [ReportBlock] {
        let shells = core.shells
        let shellChart = BarChart(categories: shells.map { "\($0.shell)" },
                                  series: [Series("vectors", shells.map { Double($0.vectors) }, color: .blue),
                                           Series("tokens", shells.map { Double($0.tokens) }, color: .orange)],
                                  title: "ULP shells around the Big One", categoryLabel: "Shell ⌊L∞ distance / ULP⌋",
                                  valueAxis: Axis("Count", scale: .log10), valueLabels: true)
        var blocks: [ReportBlock] = [
            .paragraph("The Big One holds \(NumberFormat.grouped(core.bigOne.population)) tokens. ULP unit \(String(format: "%.6e", core.ulpUnit)): one step of the \(core.format.rawValue) grid at the Big One's median absolute non-zero component \(String(format: "%.6e", core.medianComponent)). Core: distinct vectors within \(core.maxCoreRadiusULP.formatted3) ULP (L∞) of the Big One."),
            .figure(ReportFigure(svg: shellChart.svg(), caption: "Distinct vectors and tokens per shell (log scale).")),
        ]
        if let lattice = r.lattice?.graph, !lattice.nodes.isEmpty {
            var graph = GraphPlot(nodeCount: lattice.nodes.count, edges: lattice.edges.map { GraphEdge($0.0, $0.1) },
                                  title: "Lattice graph of the core")
            graph.sizes = lattice.nodes.map { Double($0.count) }
            let bigRow = core.bigOne.tokens[0]
            graph.values = lattice.nodes.map { node in core.vectors.first { $0.tokens.contains(node[0]) }?.distanceULP ?? 0 }
            graph.caption = "L∞ distance to the Big One (ULP)"
            graph.labels = lattice.nodes.map { $0.contains(bigRow) ? "Big One" : "" }
            blocks.append(.figure(ReportFigure(svg: graph.svg(), caption: "Distinct core vectors joined when they are one representable step apart in every dimension that differs (L∞ = 1 step); disc area ∝ tokens. \(lattice.edges.count) edges, \(lattice.components.count) components, graph diameter \(lattice.diameter), \(lattice.varyingDimensions.count) dimensions vary.")))
        }
        let holes = core.blackHoles.sorted { $0.population != $1.population ? $0.population > $1.population : $0.tokens[0] < $1.tokens[0] }
        blocks.append(.table(ReportTable(
            columns: [.init("Representative", .number), .init("Tokens", .number), .init("Norm", .number), .init("L∞ (ULP)", .number),
                      .init("Lattice steps (max / total)", .number), .init("Sample")],
            rows: holes.map { v in
                [String(v.tokens[0]), NumberFormat.grouped(v.population), String(format: "%.6f", v.norm), v.distanceULP.formatted3,
                 "\(v.latticeMaximum) / \(v.latticeTotal)", sample(v.tokens)]
            }, caption: "Black holes of the cluster: vectors shared by two tokens or more", foldAfter: 15, maxRows: 1000)))
        let halo = core.haloVectors
        if !halo.isEmpty {
            blocks.append(.table(ReportTable(
                columns: [.init("Token ids"), .init("L∞ (ULP)", .number), .init("Norm", .number), .init("Decoded")],
                rows: halo.map { [$0.tokens.map(String.init).joined(separator: ", "), $0.distanceULP.formatted3, String(format: "%.6f", $0.norm), sample($0.tokens)] },
                caption: "Halo: cluster vectors beyond the core radius")))
        }
        return blocks
    }

    func blackHoleBlocks() -> [ReportBlock] {
        let census = r.blackHoles.census
        return [
            .paragraph("\(NumberFormat.grouped(census.holes.count)) groups of identical rows (exact equality of the stored values, +0 = −0) hold \(NumberFormat.grouped(census.tokensInHoles)) of \(NumberFormat.grouped(census.rowCount)) rows."),
            .table(ReportTable(columns: [.init("Rows", .number), .init("Norm", .number), .init("First ids"), .init("Sample")],
                               rows: census.holes.prefix(25).map { [NumberFormat.grouped($0.tokens.count), String(format: "%.6f", $0.norm),
                                                                    $0.tokens.prefix(6).map(String.init).joined(separator: ", "), sample($0.tokens)] },
                               caption: "Largest groups of identical rows", foldAfter: 10)),
        ]
    }

    func reachabilityBlocks(_ reach: ReachabilityStage.Result) -> [ReportBlock] {
        let counts = reach.roundTrip.categoryCounts
        let categories = TokenCategory.allCases
        let names = ["OK", "OK special", "unreach. special", "undecodable", "unreach. single", "unreach. multi", "no token"]
        let categoryChart = BarChart(categories: categories.indices.map { $0 < names.count ? names[$0] : categories[$0].label },
                                     series: [Series("tokens", categories.map { Double(counts[$0] ?? 0) })],
                                     title: "Round-trip categories", valueAxis: Axis("Tokens", scale: .log10), valueLabels: true,
                                     width: 820)
        var blocks: [ReportBlock] = [
            .paragraph("Every id decoded alone (special tokens kept) and re-encoded without special tokens, padding or truncation: \(NumberFormat.grouped(reach.lists.allUnreachable.count)) of \(NumberFormat.grouped(reach.roundTrip.idCount)) ids do not come back as themselves."),
            .figure(ReportFigure(svg: categoryChart.svg(), caption: "Tokens per round-trip category (log scale).")),
        ]
        if let semantics = reach.tokenizerSemantics { blocks.append(.paragraph("Tokenizer semantics: \(semantics).")) }
        if let w = reach.witnesses {
            blocks.append(.paragraph("Witness search: \(NumberFormat.grouped(w.reachableInContext.count)) of the failing tokens occur inside some valid text (a witness was found); \(NumberFormat.grouped(w.unreachableInAnyContext.count)) have no witness within the bounds (\(w.bounds)), \(NumberFormat.grouped(w.provablyUnreachable.count)) of them provably (a byte fragment that no valid UTF-8 text contains)."))
        }
        let labels = populations
        var rows: [[String]] = []
        for (population, name, _) in Self.style {
            rows.append([name, NumberFormat.grouped(labels.filter { $0 == population }.count)])
        }
        if let notebook = r.populations?.notebook {
            blocks.append(.table(ReportTable(headers: ["Population (notebook 1.8e)", "Rows"], rows: [
                ["cluster", NumberFormat.grouped(notebook.cluster)], ["halo (unreachable outside the cluster)", NumberFormat.grouped(notebook.halo)],
                ["bulk (rows − unreachable)", NumberFormat.grouped(notebook.bulk)],
            ], caption: "The notebook's three populations; its bulk counts the rows with no token")))
        }
        blocks.append(.table(ReportTable(headers: ["Population (corrected)", "Rows"], rows: rows,
                                         caption: "Every row in exactly one population; rows with no token apart")))
        if let distances = r.distanceToBigOne {
            let positive = distances.filter { $0 > 0 && $0.isFinite }
            let low = max(1e-6, (positive.min() ?? 1e-6) / 2), high = (positive.max() ?? 1) * 1.01
            let curves: [XYPlot.Curve] = Self.style.compactMap { population, name, color in
                let values = labels.indices.filter { labels[$0] == population }.map { distances[$0] }.filter { $0 > 0 }
                guard !values.isEmpty else { return nil }
                let binning = Binning.log10(values, from: low, to: high, binsPerDecade: 8)
                // Empty bins are left out: a log axis has no place for 0.
                let bins = binning.counts.indices.filter { binning.counts[$0] > 0 }
                return XYPlot.Curve(name, x: bins.map { (binning.edges[$0] * binning.edges[$0 + 1]).squareRoot() },
                                    y: bins.map { Double(binning.counts[$0]) }, style: .points, color: color)
            }
            var plot = XYPlot(curves: curves, title: "Populations seen from the cluster (1.8f)",
                              xAxis: Axis("Exact distance to the Big One", scale: .log10), yAxis: Axis("Rows per bin", scale: .log10))
            plot.legend = .below
            let atZero = labels.indices.filter { distances[$0] == 0 }.count
            blocks.append(.figure(ReportFigure(svg: plot.svg(), caption: "How far each population lies from the Big One; \(NumberFormat.grouped(atZero)) rows sit exactly on it (not shown on the log axis).")))
        }
        return blocks
    }

    func decodedBlocks(_ tokenizer: Tokenizer) -> [ReportBlock] {
        var blocks: [ReportBlock] = []
        func table(_ ids: [Int], caption: String) -> ReportBlock {
            .table(ReportTable(
                columns: [.init("Id", .number), .init("Decoded", .token), .init("Script"), .init("Round trip")],
                rows: ids.map { id in
                    guard id < tokenizer.idCount else { return [String(id), "(no token)", "", ""] }
                    let bytes = tokenizer.decodedBytes([id])
                    return [String(id), ReadableForm.of(bytes), TokenScript.classify(bytes, isSpecial: tokenizer.isSpecial(id)).rawValue,
                            r.reachability.map { $0.roundTrip.categories[id].label } ?? ""]
                }, caption: caption, foldAfter: 20, maxRows: 5000))
        }
        if let giant = r.clusters.census.giant { blocks.append(table(giant.tokens, caption: "Cluster tokens, decoded")) }
        if let reach = r.reachability {
            blocks.append(table(reach.lists.unreachableOutsideCluster, caption: "Unreachable tokens outside the cluster (the halo of 1.8e)"))
            let tokenless = Array(reach.lists.tokenlessRows)
            if !tokenless.isEmpty {
                blocks.append(.paragraph("Rows \(tokenless.first ?? 0)–\(tokenless.last ?? 0) (\(NumberFormat.grouped(tokenless.count))) of W have no token."))
            }
            if !reach.lists.noTokenIDs.isEmpty {
                blocks.append(.paragraph("\(NumberFormat.grouped(reach.lists.noTokenIDs.count)) ids inside the tokenizer's range hold no token (gaps in the vocabulary's ids)."))
            }
        }
        if let populations = r.populations, let scripts = r.reachability?.scripts {
            let table = Self.scriptTable(scripts: scripts, populations: populations.rowPopulations)
            blocks.append(.table(ReportTable(headers: ["Script"] + table.columns, rows: table.rows.map { [$0.script] + $0.counts.map(NumberFormat.grouped) },
                                             caption: "Unicode script of each token against its population", foldAfter: 15)))
        }
        return blocks
    }

    func provenanceBlocks() -> [ReportBlock] {
        [
            .definitions([KeyFigure("Input", r.loaded.modelDirectory ?? r.loaded.file), KeyFigure("Tensor", r.loaded.tensorName),
                          KeyFigure("SHA-256 of W", r.inputSHA256), KeyFigure("Parameters", r.options.json.serialized())]),
            .table(ReportTable(columns: [.init("Stage"), .init("Seconds", .number)],
                               rows: r.timings.map { [$0.stage, String(format: "%.3f", $0.seconds)] }, caption: "Stage timings")),
            .table(ReportTable(headers: ["File"], rows: r.files.map { [($0 as NSString).lastPathComponent] }, caption: "Files written")),
        ]
    }

    /// The decoded forms of a few of `tokens`.
    func sample(_ tokens: [Int]) -> String {
        guard let tokenizer = r.tokenizer else { return "" }
        return tokens.prefix(4).map { $0 < tokenizer.idCount ? ReadableForm.of(tokenizer.decodedBytes([$0])) : "(no token)" }
            .joined(separator: "   ")
    }

    struct ScriptTable {
        var columns: [String]
        var rows: [(script: String, counts: [Int])]
        var json: JSONValue {
            .array(rows.map { row in .object([JSONMember(key: "script", value: .string(row.script))]
                + zip(columns, row.counts).map { JSONMember(key: $0.0, value: JSONValue($0.1)) }) })
        }
    }

    /// Script × population counts over the tokens (rows with a token).
    /// - Parameter scripts: each id's script, from the token table (`ReachabilityStage.Result.scripts`).
    static func scriptTable(scripts: [TokenScript], populations: [RowPopulation]) -> ScriptTable {
        let kinds = style.map(\.0).filter { $0 != .noToken && $0 != .noTokenInCluster }
        var counts: [TokenScript: [Int]] = [:]
        for (script, population) in zip(scripts, populations) {
            guard let column = kinds.firstIndex(of: population) else { continue }
            counts[script, default: [Int](repeating: 0, count: kinds.count)][column] += 1
        }
        let names = kinds.map { kind in style.first { $0.0 == kind }?.1 ?? "\(kind)" }
        // Most tokens first; equal totals by name, so the order does not follow the dictionary's per-process hashing.
        let rows = counts.map { (script: $0.key.rawValue, counts: $0.value, total: $0.value.reduce(0, +)) }
            .sorted { ($0.total, $1.script) > ($1.total, $0.script) }
        return ScriptTable(columns: names, rows: rows.map { ($0.script, $0.counts) })
    }
}

extension Double {
    /// A short decimal: 3 → "3", 0.5 → "0.5", 0.008 → "0.008".
    var formatted3: String {
        self == rounded() && abs(self) < 1e15 ? String(Int64(self)) : String(format: "%.6g", self)
    }
}
