import Foundation
import Testing
@testable import TokenScope

@Suite struct ReachabilityStageTests {
    /// The synthetic tokenizer's unreachable ids are known by construction (and agree with the
    /// Hugging Face reference; see SyntheticTokenizer). The engine must find exactly them, and the
    /// 1.8d/1.8e files must keep SPEC.md's set relations.
    @Test(arguments: ["tiny", "small"])
    func roundTripFindsThePlantedUnreachableTokens(presetName: String) throws {
        let preset = try #require(SyntheticPreset.named(presetName))
        let directory = temporaryDirectory()
        let truth = try SyntheticModel.generate(preset: preset, seed: 2, directory: directory + "/model")
        let tokenizer = try TokenizerLoader.load(path: directory + "/model")
        let result = try ReachabilityStage.run(tokenizer: tokenizer, tokenizerPath: "model", clusterTokens: truth.clusterTokens,
                                               rowCount: truth.rows, outputDirectory: directory)
        #expect(result.roundTrip.unreachable == truth.unreachable)
        #expect(result.lists.tokenlessRows == truth.tokenlessRows)

        let file = try SafeTensorsFile(path: result.path)
        let all = Set(try file.integers("all_unreachable")), reachable = Set(try file.integers("all_reachable"))
        let inCluster = Set(try file.integers("unreachable_in_cluster")), outside = Set(try file.integers("unreachable_outside_cluster"))
        let clusterButReachable = Set(try file.integers("cluster_but_reachable"))
        let cluster = Set(truth.clusterTokens)
        #expect(all.isDisjoint(with: reachable) && all.union(reachable) == Set(0..<truth.tokenizerIDs))
        #expect(inCluster.union(outside) == all && inCluster.isDisjoint(with: outside))
        #expect(inCluster == all.intersection(cluster))
        #expect(clusterButReachable.union(inCluster) == cluster && clusterButReachable.isDisjoint(with: inCluster))
        for name in ["all_reachable", "all_unreachable", "unreachable_in_cluster", "unreachable_outside_cluster", "cluster_but_reachable"] {
            #expect(file[name]?.dtype == .i64)
            let ids = try file.integers(name)
            #expect(ids == ids.sorted(), "\(name) ascending")
        }
        #expect(try String(contentsOfFile: result.tablePath, encoding: .utf8).split(separator: "\r\n").count == truth.tokenizerIDs + 1)

        let populations = try PopulationStage.run(reachabilityFile: result.path, clusterTokens: truth.clusterTokens,
                                                  rowCount: truth.rows, outputDirectory: directory)
        let masks = try SafeTensorsFile(path: populations.path)
        let clusterMask = try masks.booleans("cluster_mask"), haloMask = try masks.booleans("halo_mask")
        let unreachableMask = try masks.booleans("unreachable_mask")
        #expect(clusterMask.count == truth.rows && haloMask.count == truth.rows)
        #expect(zip(clusterMask, haloMask).allSatisfy { !($0 && $1) }, "halo and cluster are disjoint")
        #expect(unreachableMask.filter { $0 }.count == truth.unreachable.count)
        #expect(try masks.integers("halo_token_ids") == truth.unreachable.filter { !cluster.contains($0) })
        #expect(populations.summary["notebook"]?["bulk"]?.intValue == truth.rows - truth.unreachable.count)
        #expect(populations.summary["corrected"]?["no token, in cluster"]?.intValue == truth.tokenlessRows.count)
        let reachableInCluster = truth.clusterTokens.count - truth.tokenlessRows.count - inCluster.count
        #expect(populations.summary["corrected"]?["reachable in cluster"]?.intValue == reachableInCluster)
    }

    @Test func clusterIdsPastTheTokenizerNeedTheRowCount() throws {
        let directory = temporaryDirectory()
        let truth = try SyntheticModel.generate(preset: .tiny, seed: 2, directory: directory + "/model")
        let tokenizer = try TokenizerLoader.load(path: directory + "/model")
        #expect { try ReachabilityStage.run(tokenizer: tokenizer, tokenizerPath: "model", clusterTokens: truth.clusterTokens,
                                            rowCount: nil, searchWitnesses: false, outputDirectory: directory) }
            throws: { ($0 as? StageError)?.missing == .rowCount }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["model"])
    }
}
