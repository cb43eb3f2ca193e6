import Foundation
import Testing
import TensorFormats
import TokenScopeCore
@testable import Geometry

/// The indicators against an independent numpy implementation of Magikarp's definitions
/// (`scripts/golden/make_indicator_goldens.py`), and the inputs on which Magikarp would give NaN.
@Suite struct UndertrainedIndicatorsTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("TensorFormatsTests/Fixtures/indicators").path
    static let goldenNames = ["f32_tail", "bf16_blocks", "f32_single_reference"]

    struct Golden {
        var matrix: Matrix
        var reference: [Int]
        var firstPC: [Double]
        var expected: [String: [Double]]
    }

    static func golden(_ name: String) throws -> Golden {
        let file = try SafeTensorsFile(path: fixtures + "/\(name).safetensors")
        let matrix = try ModelLoader.load(path: fixtures + "/\(name).safetensors").matrix
        var expected: [String: [Double]] = [:]
        for key in ["cosine_distance", "cosine_distance_without_first_pc", "cosine_distance_without_mean", "l2_distance"] {
            expected[key] = try file.doubles(key)
        }
        return Golden(matrix: matrix, reference: try file.integers("reference_token_ids"), firstPC: try file.doubles("first_pc"),
                      expected: expected)
    }

    static func columns(_ indicators: UndertrainedIndicators) -> [String: [Double]] {
        ["cosine_distance": indicators.cosineDistance, "cosine_distance_without_first_pc": indicators.cosineDistanceWithoutFirstPC,
         "cosine_distance_without_mean": indicators.cosineDistanceWithoutMean, "l2_distance": indicators.l2Distance]
    }

    static func expectMatch(_ indicators: UndertrainedIndicators, _ golden: Golden, _ label: String) {
        for (key, values) in columns(indicators) {
            let expected = golden.expected[key]!
            #expect(values.count == expected.count)
            let worst = zip(values, expected).map { abs($0 - $1) }.max() ?? .infinity
            #expect(worst <= 1e-5, "\(label) \(key): largest difference \(worst)")
        }
    }

    @Test(arguments: goldenNames)
    func matchesNumpyWithItsAxis(name: String) throws {
        let golden = try Self.golden(name)
        let indicators = try UndertrainedIndicators(matrix: golden.matrix, referenceRows: golden.reference, firstPrincipalComponent: golden.firstPC)
        Self.expectMatch(indicators, golden, name)
        #expect(indicators.nonFiniteRows.isEmpty)
        #expect(indicators.referenceRows == golden.reference.sorted())
    }

    /// Removing the axis is the same whichever sign it has, and TokenScope's own axis (found by
    /// subspace iteration) is numpy's up to that sign thanks to the planted eigen-gap.
    @Test(arguments: goldenNames)
    func axisSignAndSourceDoNotMatter(name: String) throws {
        let golden = try Self.golden(name)
        let flipped = try UndertrainedIndicators(matrix: golden.matrix, referenceRows: golden.reference,
                                                 firstPrincipalComponent: golden.firstPC.map { -2 * $0 })
        Self.expectMatch(flipped, golden, "\(name) flipped")
        let axes = try PrincipalAxes(matrix: golden.matrix, count: 1)
        let agreement = abs(zip(axes.axes[0], golden.firstPC).reduce(0) { $0 + $1.0 * $1.1 })
        #expect(abs(agreement - 1) < 1e-9)
        let own = try UndertrainedIndicators(matrix: golden.matrix, referenceRows: golden.reference, firstPrincipalComponent: axes.axes[0])
        Self.expectMatch(own, golden, "\(name) own axis")
    }

    @Test func resultsDoNotDependOnTheThreadCount() throws {
        let golden = try Self.golden("bf16_blocks")
        func indicators(threads: Int) throws -> UndertrainedIndicators {
            try UndertrainedIndicators(matrix: golden.matrix, referenceRows: golden.reference, firstPrincipalComponent: golden.firstPC,
                                       parallelism: Parallelism(threads: threads))
        }
        let one = try indicators(threads: 1)
        let four = try indicators(threads: 4)
        #expect(Self.columns(one) == Self.columns(four))
    }

    /// The C kernel's paths against each other and against the documented order of its sums,
    /// transcribed here: eight lanes over the columns below the last multiple of 16, a fixed tree,
    /// then the remaining columns; separate multiplies and adds. 37 columns leave a tail of 5.
    @Test(arguments: [FloatFormat.bf16, .f16, .f32])
    func everyPathGivesTheDocumentedSumsBitForBit(format: FloatFormat) throws {
        var random = SplitMix64(seed: 41)
        let rows = 90, d = 37
        var values = (0..<(rows * d)).map { _ in Float(random.gaussian() * 0.05 + 0.01) }
        values[7 * d + 30] = .infinity
        let matrix = Matrix(rows: rows, columns: d, format: format, values: values)
        let axis = (0..<d).map { _ in random.gaussian() }
        let reference = [2, 5, 11, 60]
        let computed = try [SIMDPath.scalar, .avx2, .avx512, .best].map {
            Self.columns(try UndertrainedIndicators(matrix: matrix, referenceRows: reference, firstPrincipalComponent: axis, path: $0))
        }
        for other in computed.dropFirst() {
            for (key, column) in other { #expect(column.map(\.bitPattern) == computed[0][key]!.map(\.bitPattern), "\(key)") }
        }

        // The same sums, written out; the vectors come from the same definitions as the library's.
        func value(_ r: Int, _ j: Int) -> Double {
            let row = matrix.rowPointer(r)
            switch format {
            case .bf16: return Double(FloatConversion.BF16.load1(row + 2 * j))
            case .f16: return Double(FloatConversion.F16.load1(row + 2 * j))
            case .f32: return Double(FloatConversion.F32.load1(row + 4 * j))
            }
        }
        let stored = (0..<rows).map { r in (0..<d).map { value(r, $0) } }
        let finite = stored.indices.filter { stored[$0].allSatisfy(\.isFinite) }
        let norm = axis.reduce(0) { $0 + $1 * $1 }.squareRoot()
        let p = axis.map { $0 / norm }
        let indicators = try UndertrainedIndicators(matrix: matrix, referenceRows: reference, firstPrincipalComponent: axis, path: .scalar)
        #expect(indicators.nonFiniteRows == [7])
        func documentedSum(_ term: (Int) -> Double) -> Double {
            var lanes = [Double](repeating: 0, count: 8)
            let end = d / 16 * 16
            for i in 0..<end { lanes[i % 8] = lanes[i % 8] + term(i) }
            var total = ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3])) + ((lanes[4] + lanes[5]) + (lanes[6] + lanes[7]))
            for i in end..<d { total = total + term(i) }
            return total
        }
        let m = (0..<d).map { j in reference.reduce(0.0) { $0 + stored[$1][j] } / Double(reference.count) }
        for r in finite.prefix(12) {
            let w = stored[r]
            let l2 = documentedSum { (w[$0] - m[$0]) * (w[$0] - m[$0]) }.squareRoot()
            #expect(abs(indicators.l2Distance[r] - l2) <= 1e-12 * max(l2, 1))
            let s = documentedSum { w[$0] * p[$0] }
            let reduced = documentedSum { (w[$0] - s * p[$0]) * (w[$0] - s * p[$0]) }
            #expect(reduced >= 0 && indicators.cosineDistanceWithoutFirstPC[r].isFinite)
        }
        #expect(indicators.l2Distance[7] == .infinity)
    }

    // MARK: - Inputs on which Magikarp gives NaN or asserts

    static func matrix(_ rows: [[Float]]) -> Matrix {
        Matrix(rows: rows.count, columns: rows[0].count, format: .f32, values: rows.flatMap { $0 })
    }

    static let small = matrix([[1, 0], [0, 1], [1, 1], [0, 0], [2, 1]])

    @Test func allZeroRowsGetTheFloorNotNaN() throws {
        let indicators = try UndertrainedIndicators(matrix: Self.small, referenceRows: [0, 2], firstPrincipalComponent: [1, 0])
        // Row 3 is zero: cosine distances are 1 − 0 / 10⁻⁶ = 1, and its distance is ‖m‖.
        #expect(indicators.cosineDistance[3] == 1)
        #expect(indicators.cosineDistanceWithoutFirstPC[3] == 1)
        #expect(abs(indicators.l2Distance[3] - (1 + 0.25).squareRoot()) < 1e-12)
        for column in Self.columns(indicators).values { #expect(column.allSatisfy { !$0.isNaN }) }
        // A zero reference mean: every cosine distance is 1 by the floor, none NaN.
        let zeroMean = try UndertrainedIndicators(matrix: Self.small, referenceRows: [3], firstPrincipalComponent: [0, 1])
        #expect(zeroMean.referenceMeanNorm == 0)
        #expect(zeroMean.cosineDistance.allSatisfy { $0 == 1 })
    }

    @Test func nonFiniteRowsAreLeftOutAndGetInfinity() throws {
        let m = Self.matrix([[1, 0], [0, 1], [.nan, 1], [0, 0], [2, 1], [.infinity, 0]])
        let indicators = try UndertrainedIndicators(matrix: m, referenceRows: [0, 2], firstPrincipalComponent: [1, 0])
        #expect(indicators.nonFiniteRows == [2, 5])
        #expect(indicators.nonFiniteReferenceRows == [2])
        #expect(indicators.referenceRows == [0])
        for column in Self.columns(indicators).values {
            #expect(column[2] == .infinity && column[5] == .infinity)
            #expect(column.allSatisfy { !$0.isNaN })
        }
        #expect(indicators.l2Distance[0] == 0)
    }

    @Test func badInputsAreOneLineErrors() {
        func message(_ body: () throws -> Void) -> String? {
            do { try body(); return nil } catch { return "\(error)" }
        }
        let wide = Self.matrix([[1, 2, 3], [4, 5, 6]])
        let cases: [(String?, String)] = [
            (message { _ = try UndertrainedIndicators(matrix: wide, referenceRows: [0], firstPrincipalComponent: [1, 0, 0]) }, "more rows than columns"),
            (message { _ = try UndertrainedIndicators(matrix: Self.small, referenceRows: [5], firstPrincipalComponent: [1, 0]) }, "outside W"),
            (message { _ = try UndertrainedIndicators(matrix: Self.small, referenceRows: [-1], firstPrincipalComponent: [1, 0]) }, "outside W"),
            (message { _ = try UndertrainedIndicators(matrix: Self.small, referenceRows: [], firstPrincipalComponent: [1, 0]) }, "empty"),
            (message { _ = try UndertrainedIndicators(matrix: Self.small, referenceRows: [0], firstPrincipalComponent: [1]) }, "components"),
            (message { _ = try UndertrainedIndicators(matrix: Self.small, referenceRows: [0], firstPrincipalComponent: [0, 0]) }, "zero"),
            (message { _ = try UndertrainedIndicators(matrix: Self.matrix([[.nan, 0], [1, 0], [0, 1]]), referenceRows: [0],
                                                      firstPrincipalComponent: [1, 0]) }, "every reference row"),
        ]
        for (text, fragment) in cases {
            #expect(text?.contains(fragment) == true, "\(text ?? "no error") should mention \(fragment)")
            #expect(text?.contains("\n") == false)
        }
    }
}
