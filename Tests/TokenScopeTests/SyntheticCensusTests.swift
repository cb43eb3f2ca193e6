import Foundation
import JSON
import Testing
import TestSupport
@testable import TokenScope

func temporaryDirectory() -> String { ScratchDirectory.make() }

@Suite struct SyntheticCensusTests {
    @Test(arguments: [1, 2, 3] as [UInt64])
    func demoFindsWhatWasPlanted(seed: UInt64) throws {
        let result = try Demo.run(preset: .tiny, seed: seed, directory: temporaryDirectory())
        for check in result.checks { #expect(check.agrees, "\(check.name): planted \(check.planted), found \(check.found)") }
        #expect(result.checks.contains { $0.name == "unreachable token ids" } && result.checks.contains { $0.name == "rows with no token" })
        #expect(FileManager.default.fileExists(atPath: result.reportPath))
    }

    @Test func demoNoticesAMismatch() throws {
        // The comparison must be able to fail: a truth with the Big One's population changed.
        let directory = temporaryDirectory()
        var truth = try SyntheticModel.generate(preset: .tiny, seed: 5, directory: directory)
        let loaded = try ModelLoader.load(path: directory)
        let clusters = ClusterCensus(matrix: loaded.matrix)
        let core = CoreCensus(matrix: loaded.matrix, clusterTokens: try #require(clusters.giant).tokens)
        #expect(Demo.compare(truth: truth, clusters: clusters, core: core).allSatisfy { $0.agrees })
        truth.clusterVectors[0].tokens.removeLast()
        #expect(!Demo.compare(truth: truth, clusters: clusters, core: core).allSatisfy { $0.agrees })
    }

    /// The survey hands the norms' stage to the clusters and the clusters' grouping to the black
    /// holes; each stage must find what it finds alone.
    @Test func stagesGivenEarlierStagesWorkFindTheSame() throws {
        let directory = temporaryDirectory()
        try SyntheticModel.generate(preset: .tiny, seed: 6, directory: directory)
        let matrix = try ModelLoader.load(path: directory).matrix
        func withoutSeconds(_ summary: JSONValue) -> JSONValue {
            .object((summary.objectValue ?? []).filter { $0.key != "seconds" })
        }
        let alone = try ClusterStage.run(matrix: matrix, input: "model")
        let given = try ClusterStage.run(matrix: matrix, input: "model", rowNorms: RowNorms(matrix: matrix).norms)
        #expect(withoutSeconds(given.summary) == withoutSeconds(alone.summary))
        #expect(given.census.nearestNeighbourDistance.map(\.bitPattern) == alone.census.nearestNeighbourDistance.map(\.bitPattern))
        let holes = BlackHoleStage.run(matrix: matrix)
        #expect(holes.census.holes.count >= 2, "the tiny preset plants black holes")
        #expect(withoutSeconds(BlackHoleStage.run(matrix: matrix, identical: alone.census.identical).summary) == withoutSeconds(holes.summary))
    }

    @Test func generationIsDeterministic() throws {
        let a = temporaryDirectory(), b = temporaryDirectory()
        try SyntheticModel.generate(preset: .tiny, seed: 9, directory: a)
        try SyntheticModel.generate(preset: .tiny, seed: 9, directory: b)
        for name in ["model.safetensors", "tokenizer.json", "truth.json", "config.json"] {
            let x = try Data(contentsOf: URL(fileURLWithPath: a + "/" + name)), y = try Data(contentsOf: URL(fileURLWithPath: b + "/" + name))
            #expect(x == y, "\(name)")
        }
    }

    @Test func plannedFiguresOfTheQwenPresetMatchTheSeedNotebooks() {
        let p = SyntheticPreset.qwen3_4b
        #expect(p.rows == 151_936 && p.columns == 2_560 && p.tokenizerIDs == 151_669)
        #expect(p.clusterTokens == 2_212 && p.cluster.count == 125 && p.cluster[0].population == 814)
        #expect(p.tokenlessRows == 267 && p.cluster.filter { $0.tokenless > 0 }.count == 6)
        var shells: [Int: (Int, Int)] = [:]
        for v in p.cluster { let s = Int(v.distanceULP.rounded(.down)); shells[s] = ((shells[s]?.0 ?? 0) + 1, (shells[s]?.1 ?? 0) + v.population) }
        #expect(shells.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value.0)/\($0.value.1)" }
                == ["0:34/852", "1:24/270", "2:61/1081", "3:3/3", "4:2/5", "32:1/1"])
        #expect(p.cluster.filter { $0.population >= 2 }.count == 13)
        #expect(p.cluster.filter { $0.population >= 2 }.reduce(0) { $0 + $1.population } == 2_100)
        #expect(p.clusterTokens - p.tokenlessRows - p.reachableClusterTokens == 1_934)
    }

    @Test func outputFilesCarryTheNotebookKeysAndDtypes() throws {
        let directory = temporaryDirectory()
        let truth = try SyntheticModel.generate(preset: .tiny, seed: 4, directory: directory + "/model")
        let loaded = try ModelLoader.load(path: directory + "/model")
        let clusters = try ClusterStage.run(matrix: loaded.matrix, input: "model", outputDirectory: directory)
        let clustersPath = try #require(clusters.path)
        let file = try SafeTensorsFile(path: clustersPath)
        // The notebook's keys, plus W's row count for later steps.
        #expect(Set(file.tensors.map(\.name)) == ["cluster_token_ids", "cluster_mask", "adjacency_threshold", "candidate_token_ids", "n_rows"])
        #expect(try ClusterStage.recordedRowCount(inFile: clustersPath) == truth.rows)
        #expect(file["cluster_token_ids"]?.dtype == .i64 && file["cluster_mask"]?.dtype == .bool)
        #expect(file["adjacency_threshold"]?.dtype == .f32 && file["adjacency_threshold"]?.shape == [1])
        #expect(try file.integers("cluster_token_ids") == truth.clusterTokens)
        #expect(try file.booleans("cluster_mask").filter { $0 }.count == truth.clusterTokens.count)
        #expect(file.metadata["notebook_step"] == "1.4h")
        #expect(file.metadata["input_sha256"] == MatrixDigest.sha256(loaded.matrix))

        let core = try CoreStage.run(matrix: loaded.matrix, input: "model", clusterTokens: try file.integers("cluster_token_ids"),
                                     outputDirectory: directory)
        let coreFile = try SafeTensorsFile(path: try #require(core.path))
        #expect(Set(coreFile.tensors.map(\.name)) == ["cluster_token_ids", "max_core_radius_ulp", "n_core_tokens", "n_halo_tokens", "halo_token_ids"])
        #expect(try coreFile.integers("cluster_token_ids") == truth.coreTokens)
        #expect(try coreFile.integers("halo_token_ids") == truth.haloTokens)
        #expect(try coreFile.integers("n_core_tokens") == [truth.coreTokens.count])
        #expect(coreFile["max_core_radius_ulp"]?.dtype == .f32)

        // The spike-box route: candidates from a file, mask over the candidates in their order.
        var candidates = SafeTensorsWriter()
        let ids = Array(truth.clusterTokens.prefix(20)) + [0, 1, 2]
        candidates.add("spike_token_ids", int64: ids.sorted())
        try candidates.write(to: directory + "/spike.safetensors")
        let subset = try ClusterStage.run(matrix: loaded.matrix, input: "model",
                                          candidates: try TokenIDFile.read(directory + "/spike.safetensors", keys: ClusterStage.candidateKeys, rowCount: loaded.matrix.rows),
                                          outputDirectory: directory + "/subset")
        let subsetFile = try SafeTensorsFile(path: try #require(subset.path))
        #expect(try subsetFile.integers("candidate_token_ids") == ids.sorted())
        #expect(try subsetFile.integers("cluster_token_ids") == Array(truth.clusterTokens.prefix(20)))
        #expect(try subsetFile.booleans("cluster_mask") == ids.sorted().map { truth.clusterTokens.prefix(20).contains($0) })
    }
}
