import Foundation
import Reachability
import Testing
@testable import TokenScope

@Suite struct SurveyTests {
    @Test func surveyWritesEveryFileAndAgreesWithThePlantedTruth() throws {
        let directory = temporaryDirectory()
        let truth = try SyntheticModel.generate(preset: .tiny, seed: 6, directory: directory + "/model")
        let result = try SurveyStage.run(modelPath: directory + "/model", outputDirectory: directory + "/survey")
        let written = Set(try FileManager.default.contentsOfDirectory(atPath: directory + "/survey"))
        #expect(written == ["W.safetensors", "1.2a_norms.safetensors", "1.3a_sky_coordinates.safetensors", "1.4a_spike_token_ids.safetensors",
                            "1.3b_sky_map.svg", "1.3b_sky_density.svg", "1.3b_equatorial_map.svg",
                            "1.4h_cluster_tokens.safetensors", "1.11i_core_cluster_tokens.safetensors",
                            "1.8d_full_vocab_reachability.safetensors", "1.8d_token_table.csv", "1.8e_unreachable_tokens.safetensors",
                            "indicators.safetensors", "indicator_candidates.jsonl", "suppress_mask.safetensors",
                            "survey.json", "report.html"])
        #expect(result.skipped.isEmpty, "\(result.skipped)")

        let json = try JSONParser().parse(Array(try Data(contentsOf: URL(fileURLWithPath: directory + "/survey/survey.json"))))
        let stages = try #require(json["stages"])
        #expect(stages["clusters"]?["giant"]?["tokens"]?.intValue == truth.clusterTokens.count)
        #expect(stages["core"]?["big_one"]?["population"]?.intValue == truth.bigOne.count)
        #expect(stages["core"]?["halo"]?["token_ids"] == JSONValue(truth.haloTokens))
        #expect(stages["reachability"]?["unreachable"]?.intValue == truth.unreachable.count)
        #expect(stages["reachability"]?["no_token_rows"]?.intValue == truth.tokenlessRows.count)
        // The indicators' reference is the census's: the tokenless rows and the tokens unreachable in any context.
        #expect(stages["indicators"]?["reference"]?["count"]?.intValue
            == truth.tokenlessRows.count + (stages["reachability"]?["witnesses"]?["unreachable_in_any_context"]?.intValue ?? -1))
        #expect(json["input"]?["sha256"]?.stringValue == MatrixDigest.sha256(result.loaded.matrix))
        #expect(json["timings_seconds"]?.objectValue?.count ?? 0 >= 10)
        // The wall time holds every stage, each timed within it.
        let longest = result.timings.map(\.seconds).max() ?? 0
        #expect(abs((json["seconds"]?.doubleValue ?? -1) - result.seconds) < 1e-6 && result.seconds >= longest && longest > 0)

        // The planted Big One sits in the spike box, so the box holds the whole cluster.
        let spike = try SafeTensorsFile(path: directory + "/survey/1.4a_spike_token_ids.safetensors").integers("spike_token_ids")
        #expect(Set(truth.clusterTokens).isSubset(of: Set(spike)))

        let html = try String(contentsOfFile: directory + "/survey/report.html", encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        // Self-contained: no script, nothing loaded from elsewhere (SVG's xmlns URI is a name, not a load).
        for pattern in ["<script", "src=\"http", "href=\"http", "url(http", "@import"] { #expect(!html.contains(pattern), "\(pattern)") }
        for title in ["Row norms", "Sky map", "Sky density", "Equatorial map", "Nearest-neighbour distance", "Component sizes",
                      "ULP shells", "Lattice graph", "Round-trip categories", "Populations seen from the cluster",
                      "Indicator by population", "Indicator against norm"] {
            #expect(html.contains(title), "\(title)")
        }
        #expect(html.components(separatedBy: "<svg").count - 1 >= 10)
    }

    /// The scripts table counts each id under its population, most tokens first and equal totals
    /// by name (a dictionary's order changes from process to process).
    @Test func scriptTableCountsByPopulationAndBreaksTiesByName() {
        let khmer = TokenScript(rawValue: "Khmer"), georgian = TokenScript(rawValue: "Georgian"), latin = TokenScript(rawValue: "Latin")
        let scripts = [khmer, georgian, latin, latin, khmer, georgian, latin]
        let populations: [RowPopulation] = [.reachableOutsideCluster, .unreachableInCluster, .reachableOutsideCluster,
                                            .unreachableOutsideCluster, .reachableOutsideCluster, .reachableOutsideCluster,
                                            .noToken]
        let table = SurveyReport.scriptTable(scripts: scripts, populations: populations)
        #expect(table.rows.map(\.script) == ["Georgian", "Khmer", "Latin"])
        let bulk = table.columns.firstIndex(of: "bulk")!, halo = table.columns.firstIndex(of: "halo")!
        #expect(table.rows[1].counts[bulk] == 2 && table.rows[2].counts[bulk] == 1 && table.rows[2].counts[halo] == 1)
        #expect(!table.columns.contains("no token"), "rows with no token have no script to count")
    }

    /// The tokenizer's half of 1.8d runs beside the stages of W and its lists are made once the
    /// cluster is known: the files are those of the reachability stage run after the clusters.
    @Test func reachabilityBesideTheStagesOfWWritesWhatTheStageWritesAlone() throws {
        let directory = temporaryDirectory()
        try SyntheticModel.generate(preset: .tiny, seed: 9, directory: directory + "/model")
        let result = try SurveyStage.run(modelPath: directory + "/model", options: { var o = SurveyOptions(); o.extractW = false; return o }(),
                                         outputDirectory: directory + "/survey")
        let tokenizerPath = directory + "/model/tokenizer.json"
        let clusterTokens = try #require(result.clusters.census.giant?.tokens)
        let alone = try ReachabilityStage.run(tokenizer: try TokenizerLoader.load(path: tokenizerPath), tokenizerPath: tokenizerPath,
                                              clusterTokens: clusterTokens, rowCount: result.loaded.matrix.rows,
                                              outputDirectory: directory + "/alone")
        #expect(!(alone.lists.unreachableInCluster.isEmpty || alone.lists.unreachableOutsideCluster.isEmpty),
                "the planted census splits the unreachable tokens by the cluster")
        for name in [ReachabilityStage.fileName, ReachabilityStage.tableName] {
            #expect(try Data(contentsOf: URL(fileURLWithPath: directory + "/survey/" + name))
                == Data(contentsOf: URL(fileURLWithPath: directory + "/alone/" + name)), "\(name)")
        }
        #expect(result.reachability?.scripts?.count == result.tokenizer?.idCount)
    }

    /// A tokenizer that fails to load fails the survey, though its work ran beside the others, and
    /// the run's files go.
    @Test func aBrokenTokenizerFailsTheSurveyAndLeavesNoFiles() throws {
        let directory = temporaryDirectory()
        try SyntheticModel.generate(preset: .tiny, seed: 10, directory: directory + "/model")
        try Data("{\"model\": {\"type\": \"BPE\"".utf8).write(to: URL(fileURLWithPath: directory + "/model/tokenizer.json"))
        #expect(throws: (any Error).self) {
            try SurveyStage.run(modelPath: directory + "/model", outputDirectory: directory + "/survey")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory + "/survey").isEmpty)
    }

    @Test func degenerateMatricesAreSkippedWithAReason() throws {
        // All rows equal: no principal axes; the survey says so and goes on.
        let directory = temporaryDirectory()
        var writer = SafeTensorsWriter()
        writer.add("W", matrix: Matrix(rows: 20, columns: 8, format: .f32, values: [Float](repeating: 0.5, count: 160)))
        try writer.write(to: directory + "/W.safetensors")
        let result = try SurveyStage.run(modelPath: directory + "/W.safetensors", outputDirectory: directory + "/survey")
        #expect(result.skipped.contains { $0.stage.contains("sky map") })
        #expect(result.skipped.contains { $0.stage.contains("reachability") })
        #expect(result.clusters.census.giant?.tokens.count == 20)
        #expect(FileManager.default.fileExists(atPath: directory + "/survey/report.html"))
    }

    @Test func comparisonReadsSurveys() throws {
        let directory = temporaryDirectory()
        try SyntheticModel.generate(preset: .tiny, seed: 7, directory: directory + "/model")
        _ = try SurveyStage.run(modelPath: directory + "/model", options: { var o = SurveyOptions(); o.searchWitnesses = false; o.extractW = false; return o }(),
                                outputDirectory: directory + "/survey")
        let comparison = try SurveyComparison(paths: [directory + "/survey", directory + "/survey/survey.json"])
        #expect(comparison.rows.count == 2)
        #expect(comparison.rows[0].figures[1] == 53)
        #expect(comparison.html().contains("<svg"))
        #expect(throws: (any Error).self) { try SurveyComparison(paths: [directory + "/model/config.json"]) }
    }
}
