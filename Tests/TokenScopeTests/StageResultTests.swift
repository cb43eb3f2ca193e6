import Foundation
import JSON
import Testing
@testable import TokenScope

/// Stage results are typed values: computed without writing, written by `write`, and encoded as
/// their summary.
@Suite struct StageResultTests {
    /// Equal as JSON data: members by key (`JSONEncoder` does not keep their order), numbers by
    /// value (it writes 1.0 as 1).
    func sameData(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.object(let x), .object(let y)):
            return x.count == y.count && x.allSatisfy { member in b[member.key].map { sameData(member.value, $0) } ?? false }
        case (.array(let x), .array(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { sameData($0, $1) }
        default:
            if a == b { return true }
            guard let p = a.doubleValue, let q = b.doubleValue else { return false }
            return p == q
        }
    }

    @Test func encodingAResultGivesItsSummary() throws {
        let directory = temporaryDirectory()
        let truth = try SyntheticModel.generate(preset: .tiny, seed: 3, directory: directory + "/model")
        let loaded = try ModelLoader.load(path: directory + "/model")
        let matrix = loaded.matrix
        let clusters = try ClusterStage.run(matrix: matrix, input: "model", outputDirectory: directory)
        let core = try CoreStage.run(matrix: matrix, input: "model", clusterTokens: truth.clusterTokens, outputDirectory: directory)
        let results: [any StageResult] = [
            clusters, core,
            try DistanceStage.run(matrix: matrix, input: "model", ids: Array(truth.clusterTokens.prefix(5)), outputDirectory: directory),
            try SkyMapStage.run(matrix: matrix, input: "model", outputDirectory: directory, images: false),
            try LatticeStage.run(matrix: matrix, tokens: core.census.coreTokens),
            BlackHoleStage.run(matrix: matrix),
        ]
        let parser = JSONParser()
        for result in results {
            let encoded = try parser.parse(try JSONEncoder().encode(result))
            // NaN and infinities become null in both.
            let expected = try parser.parse(result.summary.serialized())
            #expect(sameData(encoded, expected), "\(type(of: result))")
        }
    }

    @Test func writingIsASeparateStep() throws {
        let directory = temporaryDirectory()
        let truth = try SyntheticModel.generate(preset: .tiny, seed: 3, directory: directory + "/model")
        let matrix = try ModelLoader.load(path: directory + "/model").matrix

        var clusters = try ClusterStage.run(matrix: matrix, input: "model")
        #expect(clusters.path == nil && clusters.summary["output"] == .null)
        #expect(!FileManager.default.fileExists(atPath: directory + "/out/" + ClusterStage.fileName))
        try ClusterStage.write(&clusters, matrix: matrix, input: "model", outputDirectory: directory + "/out")
        #expect(clusters.path == directory + "/out/" + ClusterStage.fileName)
        #expect(clusters.summary["output"]?.stringValue == clusters.path)
        #expect(try SafeTensorsFile(path: directory + "/out/" + ClusterStage.fileName).integers("cluster_token_ids") == truth.clusterTokens)

        // The distances stay in the result until written, and the file holds exactly them.
        let ids = Array(truth.clusterTokens.prefix(4)) + [0]
        var distances = try DistanceStage.run(matrix: matrix, input: "model", ids: ids)
        #expect(distances.path == nil)
        try DistanceStage.write(&distances, matrix: matrix, input: "model", outputDirectory: directory + "/out")
        let stored = try SafeTensorsFile(path: try #require(distances.path)).doubles("distances")
        let n = ids.count
        #expect(stored == (0..<n * n).map { Double(distances.distance($0 / n, $0 % n)) })
    }
}
