import Foundation
import Geometry
import JSON
import Testing
import TensorFormats
@testable import TokenScope

/// Principal axes on trained-like spectra (issue 9), against a dense eigensolver on the explicit
/// covariance.
@Suite struct RealisticSpectrumTests {
    /// Eigenpairs of the full covariance (Jacobi on d × d), PC1 first.
    func dense(_ matrix: Matrix) -> SymmetricEigen {
        let d = matrix.columns, n = Double(matrix.rows)
        let rows = (0..<matrix.rows).map { matrix.row($0).map(Double.init) }
        var mean = [Double](repeating: 0, count: d)
        for row in rows { for j in 0..<d { mean[j] += row[j] / n } }
        var c = [Double](repeating: 0, count: d * d)
        for row in rows { for a in 0..<d { for b in a..<d { c[a * d + b] += (row[a] - mean[a]) * (row[b] - mean[b]) / n } } }
        return SymmetricEigen(n: d, matrix: c)
    }

    /// ‖a − (a·b) b‖ for unit vectors: the sine of their angle, without the rounding of 1 − c².
    func sine(_ a: [Double], _ b: [Double]) -> Double {
        let c = zip(a, b).reduce(0) { $0 + $1.0 * $1.1 }
        return zip(a, b).reduce(0) { $0 + ($1.0 - c * $1.1) * ($1.0 - c * $1.1) }.squareRoot()
    }

    @Test(arguments: SyntheticSpectrum.testGaps)
    func axesAgreeWithTheDenseSolverWithinTheirBounds(gap: Double) throws {
        let sample = SyntheticSpectrum(gap: gap).exactSample(rows: 256, columns: 64, seed: 3)
        let axes = try PrincipalAxes(matrix: sample.matrix)
        let reference = dense(sample.matrix)
        #expect(axes.converged && axes.unresolved.isEmpty)
        // The planted spectrum is the sample's, to F32 rounding.
        let planted = sample.eigenvalues
        #expect(abs((planted[1] - planted[2]) / planted[1] - gap) < 1e-12)
        for k in 0..<3 {
            #expect(abs(axes.eigenvalues[k] - reference.values[k]) < 1e-10 * reference.values[0])
            #expect(abs(axes.eigenvalues[k] - planted[k]) < 1e-5 * planted[0])
            // The stated bound holds, with room for the dense solver's own rounding.
            let error = sine(axes.axes[k], reference.vector(k))
            #expect(axes.errorBounds[k] <= PrincipalAxes.defaultTolerance)
            #expect(error <= axes.errorBounds[k] + 1e-9, "PC\(k + 1): angle \(error), bound \(axes.errorBounds[k])")
        }
    }

    @Test func equalEigenvaluesAreReportedInsteadOfSeparated() throws {
        // PC2 = PC3 in the planted spectrum: only F32 rounding splits them.
        let sample = SyntheticSpectrum(gap: 0).exactSample(rows: 256, columns: 48, seed: 11)
        let axes = try PrincipalAxes(matrix: sample.matrix)
        let reference = dense(sample.matrix)
        #expect(axes.converged)
        let cluster = try #require(axes.unresolved.first)
        #expect(axes.unresolved.count == 1 && cluster.components == [2, 3])
        #expect(cluster.relativeGap < PrincipalAxes.minimumSeparation && cluster.subspaceErrorBound <= PrincipalAxes.defaultTolerance)
        // Each computed axis lies in the plane of the dense solver's PC2 and PC3, and vice versa.
        let plane = [reference.vector(1), reference.vector(2)]
        for k in 1...2 {
            let inPlane = plane.reduce(0) { s, u in let c = zip(u, axes.axes[k]).reduce(0) { $0 + $1.0 * $1.1 }; return s + c * c }
            #expect(abs(1 - inPlane) < 1e-8)
        }
        // PC1 is still determined.
        #expect(sine(axes.axes[0], reference.vector(0)) <= axes.errorBounds[0] + 1e-9)
    }

    @Test func unresolvedAxesAreReportedInTheSummaryAndTheFile() throws {
        let sample = SyntheticSpectrum(gap: 0).exactSample(rows: 256, columns: 48, seed: 11)
        let directory = temporaryDirectory()
        let result = try SkyMapStage.run(matrix: sample.matrix, input: "exact sample", outputDirectory: directory, images: false)
        let unresolved = try #require(result.summary["pca"]?["unresolved"]?.arrayValue)
        #expect(unresolved.count == 1 && unresolved.first?["components"] == [2, 3])
        let file = try SafeTensorsFile(path: try #require(result.path))
        let recorded = try JSONParser().parse(try #require(file.metadata["pca_unresolved"]))
        #expect(recorded.arrayValue?.first?["components"] == [2, 3])
        #expect(file.metadata["pca_error_bounds"] != nil)
    }

    @Test func realisticPresetKeepsTheCensusAndRecordsItsSpectrum() throws {
        let directory = temporaryDirectory()
        let result = try Demo.run(preset: .realisticSmall, seed: 4, directory: directory)
        for check in result.checks { #expect(check.agrees, "\(check.name): planted \(check.planted), found \(check.found)") }
        let truth = try JSONParser().parse(Array(try Data(contentsOf: URL(fileURLWithPath: directory + "/model/truth.json"))))
        let spectrum = try #require(truth["spectrum"])
        #expect(spectrum["pc2_pc3_relative_gap"]?.doubleValue == 0.02)
        let leading = try #require(spectrum["population_eigenvalues_leading"]?.arrayValue).compactMap(\.doubleValue)
        #expect(leading.count == 12 && abs((leading[1] - leading[2]) / leading[1] - 0.02) < 1e-12)
        #expect(abs((leading[3] - leading[4]) / leading[3] - 0.001) < 1e-12)
    }
}
