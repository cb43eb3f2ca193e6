import Foundation
import Geometry
import JSON
import Report
import TensorFormats

/// Synthesises a model, surveys it, and sets what was found beside what was planted.
public enum Demo {
    public struct Check: Sendable {
        public var name: String
        public var planted: String
        public var found: String
        public var agrees: Bool
    }

    public struct Result: StageResult, Sendable {
        /// The synthetic model directory.
        public var directory: String
        /// The survey of that model: its files, `survey.json` and `report.html` in `outputDirectory`.
        public var survey: SurveyResult
        public var checks: [Check]
        public var agrees: Bool { checks.allSatisfy(\.agrees) }
        public var reportPath: String { survey.outputDirectory + "/report.html" }
        public var summary: JSONValue {
            ["model": .string(directory), "report": .string(reportPath), "agrees": JSONValue(agrees),
             "checks": .array(checks.map { ["name": .string($0.name), "planted": .string($0.planted), "found": .string($0.found),
                                              "agrees": JSONValue($0.agrees)] })]
        }
    }

    /// Writes the synthetic model into `directory/model`, surveys it into `directory` (every stage,
    /// the report included) and compares the findings with what was planted.
    public static func run(preset: SyntheticPreset, seed: UInt64, directory: String, parallelism: Parallelism = .allCores,
                           progress: ((String, Double) -> Void)? = nil) throws -> Result {
        let modelDirectory = directory + "/model"
        let truth = try SyntheticModel.generate(preset: preset, seed: seed, directory: modelDirectory, parallelism: parallelism,
                                                progress: progress)
        let survey = try SurveyStage.run(modelPath: modelDirectory, outputDirectory: directory, parallelism: parallelism,
                                         progress: progress)
        guard let core = survey.core else {
            throw StageError.nothingToMeasure("the survey of the synthetic model found no cluster core: "
                             + survey.skipped.map { "\($0.stage): \($0.reason)" }.joined(separator: "; "))
        }
        var checks = compare(truth: truth, clusters: survey.clusters.census, core: core.census)
        if let reach = survey.reachability {
            checks.append(Check(name: "unreachable token ids", planted: digest(truth.unreachable.sorted()), found: digest(reach.lists.allUnreachable),
                                agrees: truth.unreachable.sorted() == reach.lists.allUnreachable))
            checks.append(Check(name: "rows with no token", planted: rangeText(truth.tokenlessRows), found: rangeText(reach.lists.tokenlessRows),
                                agrees: truth.tokenlessRows == reach.lists.tokenlessRows))
        } else {
            checks.append(Check(name: "reachability", planted: "\(NumberFormat.grouped(truth.unreachable.count)) unreachable tokens", found: "stage skipped", agrees: false))
        }
        return Result(directory: modelDirectory, survey: survey, checks: checks)
    }

    static func rangeText(_ rows: Range<Int>) -> String {
        rows.isEmpty ? "none" : "\(NumberFormat.grouped(rows.count)) (\(rows.lowerBound)–\(rows.upperBound - 1))"
    }

    /// Planted against found, item by item.
    public static func compare(truth: SyntheticTruth, clusters: ClusterCensus, core: CoreCensus) -> [Check] {
        var checks: [Check] = []
        func check(_ name: String, _ planted: String, _ found: String) {
            checks.append(Check(name: name, planted: planted, found: found, agrees: planted == found))
        }
        let giant = clusters.giant
        check("cluster tokens", NumberFormat.grouped(truth.clusterTokens.count), NumberFormat.grouped(giant?.tokens.count ?? 0))
        check("cluster token ids", digest(truth.clusterTokens), digest(giant?.tokens ?? []))
        check("unique vectors", NumberFormat.grouped(truth.clusterVectors.count), NumberFormat.grouped(core.vectors.count))
        check("Big One population", NumberFormat.grouped(truth.bigOne.count), NumberFormat.grouped(core.bigOne.population))
        check("Big One token ids", digest(truth.bigOne), digest(core.bigOne.tokens))
        check("ULP unit", "\(truth.ulpUnit)", "\(core.ulpUnit)")
        check("shells (shell:vectors/tokens)", shells(truth.shells), shells(core.shells))
        check("core tokens", NumberFormat.grouped(truth.coreTokens.count), NumberFormat.grouped(core.coreTokens.count))
        check("halo token ids", "\(truth.haloTokens)", "\(core.haloTokens)")
        let tokenless = Set(truth.tokenlessRows)
        let tokenlessVectors = core.vectors.filter { $0.tokens.contains(where: tokenless.contains) }.count
        let plannedTokenlessVectors = truth.clusterVectors.filter { $0.tokens.contains(where: tokenless.contains) }.count
        check("tokenless rows in cluster / vectors", "\(NumberFormat.grouped(truth.tokenlessRows.count))/\(NumberFormat.grouped(plannedTokenlessVectors))",
              "\(NumberFormat.grouped(giant?.tokens.filter(tokenless.contains).count ?? 0))/\(NumberFormat.grouped(tokenlessVectors))")
        let void = giant?.void
        let voidAgrees = void.map { abs($0 - truth.void) <= 1e-12 * truth.void } ?? false
        checks.append(Check(name: "void (≥ \(truth.plannedVoid))", planted: String(format: "%.6f", truth.void),
                            found: void.map { String(format: "%.6f", $0) } ?? "none within radius", agrees: voidAgrees && truth.void >= truth.plannedVoid))
        check("components: giant + singletons", "1 + \(NumberFormat.grouped(truth.rows - truth.clusterTokens.count))",
              "\(NumberFormat.grouped(clusters.components.count - clusters.singletonCount)) + \(NumberFormat.grouped(clusters.singletonCount))")
        return checks
    }

    static func digest(_ ids: [Int]) -> String {
        var hasher = SHA256()
        hasher.update(ids.map(String.init).joined(separator: ",").utf8.map { $0 })
        return "\(NumberFormat.grouped(ids.count)) ids, sha256 " + hasher.finalize().prefix(6).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    static func shells(_ table: [(shell: Int, vectors: Int, tokens: Int)]) -> String {
        table.map { "\($0.shell):\(NumberFormat.grouped($0.vectors))/\(NumberFormat.grouped($0.tokens))" }.joined(separator: " ")
    }
}
