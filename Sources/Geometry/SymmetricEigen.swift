/// Eigenvalues and eigenvectors of a small dense symmetric matrix (cyclic Jacobi rotations).
///
/// Used for the Rayleigh–Ritz step of `PrincipalAxes` (8 × 8) and, in tests, as the reference on a
/// full covariance. Jacobi is chosen over tridiagonal QL for its simplicity and its accuracy:
/// it computes small eigenvalues to high relative accuracy and the eigenvectors orthogonal to
/// working precision (Demmel & Veselić, 1992). Cost O(n³) per sweep, a handful of sweeps.
///
/// ```swift
/// let eigen = SymmetricEigen(n: 2, matrix: [2, 1, 1, 2])
/// eigen.values        // [3, 1]
/// eigen.vector(0)     // ±[0.7071, 0.7071]
/// ```
public struct SymmetricEigen: Sendable {
    public let n: Int
    /// Eigenvalues in descending order.
    public let values: [Double]
    /// Eigenvectors as columns of a row-major n × n matrix: column k belongs to `values[k]`.
    public let vectors: [Double]

    /// `matrix` is row-major n × n; only its upper triangle is read (it is taken as symmetric).
    public init(n: Int, matrix: [Double], maxSweeps: Int = 100) {
        precondition(matrix.count == n * n, "the matrix must be n × n")
        self.n = n
        var a = matrix
        for i in 0..<n { for j in 0..<i { a[i * n + j] = a[j * n + i] } }
        var v = [Double](repeating: 0, count: n * n)
        for i in 0..<n { v[i * n + i] = 1 }

        for _ in 0..<maxSweeps {
            var off = 0.0, diagonal = 0.0
            for i in 0..<n {
                diagonal += a[i * n + i] * a[i * n + i]
                for j in (i + 1)..<max(i + 1, n) { off += a[i * n + j] * a[i * n + j] }
            }
            // Converged when the off-diagonal mass is below rounding relative to the diagonal.
            if off == 0 || off <= 1e-30 * diagonal { break }
            for p in 0..<n {
                for q in (p + 1)..<max(p + 1, n) {
                    let apq = a[p * n + q]
                    if apq == 0 { continue }
                    let app = a[p * n + p], aqq = a[q * n + q]
                    // Rotation angle by the stable formulas of Golub & Van Loan §8.5.2.
                    let theta = (aqq - app) / (2 * apq)
                    let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
                    let c = 1 / (t * t + 1).squareRoot(), s = t * c
                    for k in 0..<n {
                        let akp = a[k * n + p], akq = a[k * n + q]
                        a[k * n + p] = c * akp - s * akq
                        a[k * n + q] = s * akp + c * akq
                    }
                    for k in 0..<n {
                        let apk = a[p * n + k], aqk = a[q * n + k]
                        a[p * n + k] = c * apk - s * aqk
                        a[q * n + k] = s * apk + c * aqk
                    }
                    a[p * n + q] = 0
                    a[q * n + p] = 0
                    for k in 0..<n {
                        let vkp = v[k * n + p], vkq = v[k * n + q]
                        v[k * n + p] = c * vkp - s * vkq
                        v[k * n + q] = s * vkp + c * vkq
                    }
                }
            }
        }
        // Descending order; equal eigenvalues keep their index order.
        let order = (0..<n).sorted { a[$0 * n + $0] != a[$1 * n + $1] ? a[$0 * n + $0] > a[$1 * n + $1] : $0 < $1 }
        values = order.map { a[$0 * n + $0] }
        var sorted = [Double](repeating: 0, count: n * n)
        for (k, column) in order.enumerated() { for i in 0..<n { sorted[i * n + k] = v[i * n + column] } }
        vectors = sorted
    }

    /// The unit eigenvector of `values[k]`.
    public func vector(_ k: Int) -> [Double] { (0..<n).map { vectors[$0 * n + k] } }
}
