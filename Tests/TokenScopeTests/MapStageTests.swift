import Foundation
import Testing
import TestSupport
@testable import TokenScope

/// The files of the norms, sky map, spike, distance and lattice stages: names, keys, types, shapes, values.
@Suite struct MapStageTests {

    /// Deterministic rows: a planted spread along three axes plus small noise.
    func sample(rows: Int = 120, columns: Int = 24) -> Matrix {
        var state: UInt64 = 42
        func next() -> Float {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(Int64(bitPattern: state >> 11) % 2001 - 1000) / 1000
        }
        var values: [Float] = []
        for _ in 0..<rows {
            let a = next() * 2, b = next(), c = next() * 0.5
            values += (0..<columns).map { j in (j == 0 ? a : j == 1 ? b : j == 2 ? c : 0) + next() * 0.01 }
        }
        return Matrix(rows: rows, columns: columns, format: .bf16, values: values)
    }

    @Test func normsFileHoldsEveryRowsNorm() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let matrix = sample()
        let result = try NormStage.run(matrix: matrix, input: "sample", outputDirectory: dir)
        let file = try SafeTensorsFile(path: dir + "/" + NormStage.fileName)
        #expect(file.tensors.map(\.name) == ["norms"])
        #expect(try file.doubles("norms") == result.norms.norms.map { Double(Float($0)) })
        #expect(result.histogram?.counts.reduce(0, +) == 120)
        #expect(result.summary["statistics"]?["count"]?.intValue == 120)
    }

    @Test func skyMapAndSpikeFiles() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let matrix = sample()
        let sky = try SkyMapStage.run(matrix: matrix, input: "sample", outputDirectory: dir)
        let file = try SafeTensorsFile(path: dir + "/" + SkyMapStage.fileName)
        #expect(file.tensors.map(\.name) == ["x", "y", "z", "r", "latitude", "longitude", "basis", "basis_pc", "eigenvalues", "density"])
        #expect(file["basis"]?.shape == [3, 24] && file["density"]?.shape == [360, 180] && file["eigenvalues"]?.dtype == .f64)
        #expect(try file.integers("basis_pc") == [1, 3, 2])
        #expect(try file.integers("density").reduce(0, +) == 120)
        #expect(try file.doubles("latitude") == sky.map.latitude.map { Double(Float($0)) })
        #expect(file.metadata["notebook_step"] == "1.3a")

        // The box around everything selects every row; a box from the file's own values agrees.
        let box = SkyBox(latitude: -10...10, longitude: -180...180, radius: 0...100)
        let spike = try SpikeStage.run(matrix: matrix, input: "sample", box: box, sky: sky, outputDirectory: dir)
        let lat = try file.doubles("latitude"), lon = try file.doubles("longitude"), r = try file.doubles("r")
        let expected = lat.indices.filter { box.contains(latitude: lat[$0], longitude: lon[$0], r: r[$0]) }
        #expect(spike.ids == expected && !expected.isEmpty && expected.count < 120)
        let ids = try TokenIDFile.read(dir + "/" + SpikeStage.fileName, keys: ClusterStage.candidateKeys, rowCount: 120)
        #expect(ids == expected)
    }

    @Test func distanceFileEqualsBruteForce() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let matrix = sample(rows: 50, columns: 20)
        let ids = [3, 7, 8, 20, 41, 49, 0]
        let result = try DistanceStage.run(matrix: matrix, input: "sample", ids: ids, outputDirectory: dir)
        #expect(result.ids == ids.sorted())
        let file = try SafeTensorsFile(path: dir + "/" + DistanceStage.fileName)
        #expect(file["distances"]?.shape == [7, 7] && file["distances"]?.dtype == .f32)
        #expect(try file.integers("spike_token_ids") == ids.sorted())
        let stored = try file.doubles("distances")
        // Every pair exact on request; by default exact below 4 T, the Gram form (within its bound) above.
        _ = try DistanceStage.run(matrix: matrix, input: "sample", ids: ids, exactBelow: .infinity, outputDirectory: dir + "/all")
        let allExact = try SafeTensorsFile(path: dir + "/all/" + DistanceStage.fileName).doubles("distances")
        let sorted = ids.sorted()
        for i in 0..<7 {
            for j in 0..<7 {
                let a = matrix.row(sorted[i]), b = matrix.row(sorted[j])
                let exact = zip(a, b).reduce(0.0) { $0 + (Double($1.0) - Double($1.1)) * (Double($1.0) - Double($1.1)) }.squareRoot()
                #expect(allExact[i * 7 + j] == Double(Float(exact)))
                if exact < DistanceStage.defaultExactBelow {
                    #expect(stored[i * 7 + j] == Double(Float(exact)))
                } else {
                    #expect(abs(stored[i * 7 + j] - exact) <= 1e-5 * exact)
                }
            }
        }
    }

    @Test func largeDistanceMatricesNeedConfirmation() {
        // 16,000 ids make 1.024 GB: refused before anything is allocated.
        let matrix = Matrix(rows: 16_000, columns: 1, format: .f32, values: [Float](repeating: 1, count: 16_000))
        #expect {
            try DistanceStage.run(matrix: matrix, input: "m", ids: Array(0..<16_000), outputDirectory: NSTemporaryDirectory() + "never")
        } throws: { ($0 as? StageError)?.missing == .consentToLargeOutput }
        #expect(!FileManager.default.fileExists(atPath: NSTemporaryDirectory() + "never/" + DistanceStage.fileName))
    }

    @Test func latticeSummary() throws {
        let u = Float(0x1p-7)
        let matrix = Matrix(rows: 4, columns: 2, format: .bf16, values: [1, 1, 1 + u, 1, 1 + 2 * u, 1, 1, 1])
        let result = try LatticeStage.run(matrix: matrix, tokens: [0, 1, 2, 3])
        #expect(result.summary["nodes"]?.intValue == 3)
        #expect(result.summary["edges"]?.intValue == 2)
        #expect(result.summary["diameter"]?.intValue == 2)
        #expect(result.summary["varying_dimensions"]?.intValue == 1)
    }
}
