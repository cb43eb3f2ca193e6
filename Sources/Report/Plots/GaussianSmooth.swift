import Foundation

/// Smoothing of density grids.
public enum Smoothing {
    /// The grid convolved with a normalised Gaussian of standard deviation `sigma` (in bins) along each
    /// axis, as SciPy's `ndimage.gaussian_filter(grid, sigma, mode="reflect", truncate=4.0)` does: the
    /// kernel has radius ⌊truncate·σ + 0.5⌋ bins and sums to one, and the grid is extended past its edges
    /// by mirror reflection (`d c b a | a b c d | d c b a`), so the total mass is preserved. With `wrapX`
    /// the x-axis is periodic instead (longitude), which also preserves mass.
    ///
    /// - Parameters:
    ///   - grid: `width × height` values, row-major (index `row * width + column`).
    ///   - sigma: standard deviation in bins; 0 or less returns the grid unchanged.
    /// - Returns: the smoothed grid, same layout; the input unchanged when its size does not match.
    ///
    ///     let s = Smoothing.gaussian(counts, width: 360, height: 180, sigma: 1)
    public static func gaussian(_ grid: [Double], width: Int, height: Int, sigma: Double, truncate: Double = 4,
                                wrapX: Bool = false) -> [Double] {
        guard width > 0, height > 0, grid.count == width * height, sigma > 0, sigma.isFinite else { return grid }
        let radius = Int(truncate * sigma + 0.5)
        var kernel = (-radius...radius).map { exp(-0.5 * Double($0 * $0) / (sigma * sigma)) }
        let total = kernel.reduce(0, +)
        kernel = kernel.map { $0 / total }

        // Index of the source bin for position i (may lie outside 0..<n) under the chosen boundary.
        func reflect(_ i: Int, _ n: Int) -> Int {
            let period = 2 * n
            var j = i % period
            if j < 0 { j += period }
            return j < n ? j : period - 1 - j
        }
        func wrap(_ i: Int, _ n: Int) -> Int {
            let j = i % n
            return j < 0 ? j + n : j
        }

        // Separable: rows first, then columns.
        var tmp = [Double](repeating: 0, count: grid.count)
        for r in 0..<height {
            let row = r * width
            for c in 0..<width {
                var s = 0.0
                for k in -radius...radius {
                    let src = wrapX ? wrap(c + k, width) : reflect(c + k, width)
                    s += kernel[k + radius] * grid[row + src]
                }
                tmp[row + c] = s
            }
        }
        var out = [Double](repeating: 0, count: grid.count)
        for r in 0..<height {
            for c in 0..<width {
                var s = 0.0
                for k in -radius...radius {
                    s += kernel[k + radius] * tmp[reflect(r + k, height) * width + c]
                }
                out[r * width + c] = s
            }
        }
        return out
    }
}
