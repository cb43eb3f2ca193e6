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

        let reachabilityPath = try #require(result.path)
        let file = try SafeTensorsFile(path: reachabilityPath)
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
        let tablePath = try #require(result.tablePath)
        #expect(try String(contentsOfFile: tablePath, encoding: .utf8).split(separator: "\r\n").count == truth.tokenizerIDs + 1)

        let populations = try PopulationStage.run(reachabilityFile: reachabilityPath, clusterTokens: truth.clusterTokens,
                                                  rowCount: truth.rows, outputDirectory: directory)
        // The survey's in-memory path must agree with reading the 1.8d file back.
        let inMemory = try PopulationStage.run(reachability: result, clusterTokens: truth.clusterTokens,
                                               rowCount: truth.rows, outputDirectory: directory + "/memory")
        #expect(inMemory.rowPopulations == populations.rowPopulations && inMemory.corrected == populations.corrected)
        #expect(inMemory.notebook == populations.notebook && inMemory.unreachableInAnyContext == populations.unreachableInAnyContext)
        #expect(inMemory.summary["rows"] == populations.summary["rows"] && inMemory.summary["corrected"] == populations.summary["corrected"])
        let masks = try SafeTensorsFile(path: try #require(populations.path))
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

/// Ids as the reference sees them: added tokens are ids, and an id no token holds is a "no token"
/// id (a gap), not a reason to refuse the file.
@Suite struct VocabularyGapTests {
    /// A GPT-2-family file whose vocabulary leaves ids 3 and 5 free, with `<|endoftext|>` an added
    /// token at 5: the reference (tokenizers 0.23.3) gives it id 5 too (the vocabulary's entry
    /// count), a real token; id 3 holds no token there either (ids checked in Python).
    static let json = #"""
        {"version": "1.0", "model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "ab": 2, "c": 4, "d": 6}, "merges": ["a b"]},
         "added_tokens": [{"id": 5, "content": "<|endoftext|>", "special": true, "single_word": false, "lstrip": false,
                           "rstrip": false, "normalized": false}]}
        """#

    @Test func aGapIsANoTokenIDAndTheFileLoads() throws {
        let directory = temporaryDirectory()
        try Self.json.write(toFile: directory + "/tokenizer.json", atomically: true, encoding: .utf8)
        let tokenizer = try TokenizerLoader.load(path: directory + "/tokenizer.json")
        #expect(tokenizer.idCount == 7)
        #expect(tokenizer.encode("ab<|endoftext|>cd") == [2, 5, 4, 6])
        #expect(tokenizer.warnings.isEmpty && tokenizer.decode([5]) == "<|endoftext|>")
        let result = try ReachabilityStage.run(tokenizer: tokenizer, tokenizerPath: "tokenizer.json", clusterTokens: [3, 8],
                                               rowCount: 9, searchWitnesses: false, outputDirectory: directory + "/out")
        #expect(result.roundTrip.categories[3] == .noToken && result.roundTrip.categories[5] == .okSpecial)
        #expect(result.roundTrip.noTokenIDs == [3])
        #expect(!result.roundTrip.unreachable.contains(3) && !result.roundTrip.reachable.contains(3))
        #expect(result.lists.rowsWithoutToken == [3, 7, 8])
        #expect(result.lists.clusterWithoutToken == [3, 8])
        #expect(result.lists.rowPopulations()[3] == .noTokenInCluster)
        #expect(result.summary["no_token_ids"]?.intValue == 1)
        let reachabilityPath = try #require(result.path)
        let file = try SafeTensorsFile(path: reachabilityPath)
        #expect(try file.integers("no_token_rows") == [3, 7, 8])
        #expect(try file.integers(ClusterStage.rowCountKey) == [9])

        let populations = try PopulationStage.run(reachabilityFile: reachabilityPath, clusterTokens: [3, 8], rowCount: 9,
                                                  outputDirectory: directory + "/out")
        #expect(populations.rowPopulations[3] == .noTokenInCluster && populations.rowPopulations[7] == .noToken)
        #expect(populations.rowPopulations[4] == .reachableOutsideCluster)
        #expect(populations.corrected[.noToken] == 1)
        #expect(populations.summary["corrected"]?["no token"]?.intValue == 1)
    }
}
