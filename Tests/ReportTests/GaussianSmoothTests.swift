import Foundation
import Testing
@testable import Report

@Suite("Gaussian smoothing")
struct GaussianSmoothTests {
    @Test func impulseMatchesHandComputation() {
        // One count in the middle of an 11 × 11 grid, σ = 1: the kernel has radius 4 and weights
        // w(k) = exp(−k²/2) / Σ_{j=−4…4} exp(−j²/2); the result is the outer product w(i)·w(j).
        let n = 11
        var g = [Double](repeating: 0, count: n * n)
        g[5 * n + 5] = 1
        let s = Smoothing.gaussian(g, width: n, height: n, sigma: 1)
        let z = 1 + 2 * (exp(-0.5) + exp(-2) + exp(-4.5) + exp(-8))
        let w0 = 1 / z, w1 = exp(-0.5) / z, w2 = exp(-2) / z
        #expect(abs(s[5 * n + 5] - w0 * w0) < 1e-12)
        #expect(abs(s[5 * n + 6] - w0 * w1) < 1e-12)
        #expect(abs(s[4 * n + 6] - w1 * w1) < 1e-12)
        #expect(abs(s[7 * n + 5] - w2 * w0) < 1e-12)
        #expect(abs(w0 * w0 - 0.159_154_9) < 1e-6)    // ≈ 1/(2π)
        #expect(s[0] == 0)                              // beyond the radius of 4
    }

    @Test func reflectingEdgeByHand() {
        // [0, 1, 0] with mirror extension (… 0 1 0 | 0 1 0 | 0 1 0 …, i.e. d c b a | a b c d): bin 0
        // collects the weights of offsets +1, −2 and +4, whose sources are all the middle bin.
        let s = Smoothing.gaussian([0, 1, 0], width: 3, height: 1, sigma: 1)
        let z = 1 + 2 * (exp(-0.5) + exp(-2) + exp(-4.5) + exp(-8))
        #expect(abs(s[0] - (exp(-0.5) + exp(-2) + exp(-8)) / z) < 1e-12)
        #expect(abs(s.reduce(0, +) - 1) < 1e-12)
    }

    @Test(arguments: [false, true])
    func preservesTotalMass(wrapX: Bool) {
        var rng = SeededRandom(11)
        let w = 36, h = 18
        var g = [Double](repeating: 0, count: w * h)
        for _ in 0..<500 { g[Int(rng.next() % UInt64(w * h))] += 1 }
        // Mass at the corners and edges too, where the boundary rule matters.
        g[0] += 10
        g[w * h - 1] += 7
        for sigma in [0.5, 1, 2.5, 6] {
            let s = Smoothing.gaussian(g, width: w, height: h, sigma: sigma, wrapX: wrapX)
            #expect(abs(s.reduce(0, +) - g.reduce(0, +)) < 1e-9)
            #expect(s.allSatisfy { $0 >= 0 })
        }
    }

    @Test func wrapsAcrossTheDateLine() {
        var g = [Double](repeating: 0, count: 10 * 3)
        g[1 * 10 + 0] = 1    // first column
        let s = Smoothing.gaussian(g, width: 10, height: 3, sigma: 1, wrapX: true)
        // The last column receives what the first column spreads west.
        #expect(abs(s[1 * 10 + 9] - s[1 * 10 + 1]) < 1e-15)
        #expect(s[1 * 10 + 9] > 0.05)
    }

    @Test func degenerateInputsComeBackUnchanged() {
        #expect(Smoothing.gaussian([1, 2, 3], width: 3, height: 1, sigma: 0) == [1, 2, 3])
        #expect(Smoothing.gaussian([1, 2, 3], width: 2, height: 2, sigma: 1) == [1, 2, 3])
    }
}
