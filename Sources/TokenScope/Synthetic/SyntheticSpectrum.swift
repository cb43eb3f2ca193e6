import Foundation
import Geometry
import JSON
import TensorFormats

/// A trained-like covariance spectrum for synthetic bulk rows (issue 9): a power-law tail, crowded
/// leading eigenvalues (PC2 and PC3 `gap` apart, PC4 and PC5 0.1 % apart) and an anisotropic mean.
///
/// Rows are μ + s·Σᵢ √λᵢ gᵢ uᵢ with gᵢ standard normal, s a per-row scale (the norm spread of
/// Qwen3-4B) and uᵢ = P eᵢ for an orthogonal P made of three Householder reflections that carry
/// e₁, e₂, e₃ to the three planted directions (so PC1–PC3 keep a definite sign and the Big One's
/// place in the sky) and mix the rest: O(d) per row, where a dense rotation would be O(d²).
/// The population covariance is E[s²]·Σ λᵢ uᵢuᵢᵀ; a sample of n rows moves each eigenvalue by
/// about √(2/n) of itself (0.4 % at the Qwen3-4B shape), so gaps under that are near-degenerate
/// rather than exact, and the planted cluster adds its own direction.
public struct SyntheticSpectrum: Sendable {
    /// Relative gap between PC2 and PC3: (λ₂ − λ₃)/λ₂.
    public var gap: Double
    /// Exponent of the tail: λᵢ ∝ i^(−tailExponent) from PC6 on.
    public var tailExponent: Double = 0.5

    /// Relative gap between PC4 and PC5.
    public static let pc4pc5Gap = 0.001

    public init(gap: Double = 0.02) { self.gap = gap }

    /// The test sizes' choices of the PC2–PC3 gap.
    public static let testGaps: [Double] = [0.1, 0.02, 0.01, 0.001]

    /// Variances along u₁ … u_d before the row scale, summing to `total`. λ₁ is 0.65 % of the
    /// total at d = 2,560 (Qwen3-4B: under 1 %).
    public func eigenvalues(columns d: Int, total: Double = 1) -> [Double] {
        var lead: [Double] = [1.0, 0.80, 0.80 * (1 - gap), 0.70, 0.70 * (1 - Self.pc4pc5Gap)]
        lead = Array(lead.prefix(d))
        var values = lead
        if d > lead.count {
            for i in (lead.count + 1)...d { values.append(0.65 * pow(Double(i) / 6, -tailExponent)) }
        }
        let sum = values.reduce(0, +)
        return values.map { $0 * total / sum }
    }

    /// Householder vectors v (unit) of P = H₁H₂H₃, Hₖ = I − 2vₖvₖᵀ, with P eₖ = directions[k].
    static func reflections(directions: [[Double]]) -> [[Double]] {
        let d = directions.first?.count ?? 0
        var vs: [[Double]] = []
        // Build P = H₁ H₂ H₃ left to right: Hₖ must carry eₖ to H_{k−1}…H₁ directions[k].
        for (k, u) in directions.enumerated() {
            var target = u
            for v in vs { apply(v, to: &target) }  // (H₁…H_{k−1})⁻¹ u, each H its own inverse
            var v = target
            v[k] -= 1
            let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            if norm < 1e-12 { vs.append([Double](repeating: 0, count: d)); continue }
            vs.append(v.map { $0 / norm })
        }
        return vs
    }

    @inline(__always)
    static func apply(_ v: [Double], to x: inout [Double]) {
        var c = 0.0
        for j in x.indices { c += v[j] * x[j] }
        c *= 2
        if c != 0 { for j in x.indices { x[j] -= c * v[j] } }
    }

    /// P x: the reflections applied innermost first (H₃, then H₂, then H₁).
    static func rotate(_ x: inout [Double], reflections: [[Double]]) {
        for v in reflections.reversed() { apply(v, to: &x) }
    }

    /// An anisotropic mean: Laplace-like components with a few strong dimensions, orthogonal to the
    /// planted directions so the bulk stays centred in the sky frame.
    static func mean(columns d: Int, directions: [[Double]], random: inout SplitMix64) -> [Double] {
        var m = (0..<d).map { _ -> Double in
            let u = random.unit() - 0.5
            return 0.008 * (u < 0 ? 1 : -1) * log(1 - 2 * abs(u))
        }
        for _ in 0..<min(8, d) { m[Int(random.next() % UInt64(d))] += 0.08 }
        for u in directions {
            let along = zip(m, u).reduce(0) { $0 + $1.0 * $1.1 }
            for j in 0..<d { m[j] -= along * u[j] }
        }
        return m
    }

    /// Small matrices whose *sample* covariance has exactly this spectrum (up to F32 rounding) in
    /// a random orthonormal basis, for tests against a dense eigensolver: Gaussian columns are
    /// centred and orthonormalised, scaled by √(n λᵢ), rotated, and shifted by an anisotropic mean.
    /// - Returns: the matrix, the eigenvalues and the eigenvectors (columns of the basis), PC1 first.
    public func exactSample(rows n: Int, columns d: Int, seed: UInt64) -> (matrix: Matrix, eigenvalues: [Double], eigenvectors: [[Double]]) {
        precondition(n > d, "more rows than columns")
        var random = SplitMix64(seed: seed)
        let values = eigenvalues(columns: d, total: 0.5 * Double(d).squareRoot())
        func orthonormalColumns(_ count: Int, length: Int, centred: Bool) -> [[Double]] {
            var out: [[Double]] = []
            for _ in 0..<count {
                var v = (0..<length).map { _ in random.gaussian() }
                if centred { let m = v.reduce(0, +) / Double(length); v = v.map { $0 - m } }
                for _ in 0..<2 { for u in out { let c = zip(u, v).reduce(0) { $0 + $1.0 * $1.1 }; for j in v.indices { v[j] -= c * u[j] } } }
                let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
                out.append(v.map { $0 / norm })
            }
            return out
        }
        let scores = orthonormalColumns(d, length: n, centred: true)   // d columns of length n
        let basis = orthonormalColumns(d, length: d, centred: false)   // eigenvectors
        let mean = Self.mean(columns: d, directions: [], random: &random)
        var data = [Float](repeating: 0, count: n * d)
        for r in 0..<n {
            for j in 0..<d {
                var x = mean[j]
                for i in 0..<d { x += (Double(n) * values[i]).squareRoot() * scores[i][r] * basis[i][j] }
                data[r * d + j] = Float(x)
            }
        }
        return (Matrix(rows: n, columns: d, format: .f32, values: data), values, basis)
    }

}
