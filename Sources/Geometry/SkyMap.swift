#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif

/// Which principal axis plays which role in the sky frame: 1-indexed PCs, a negative index
/// flipping the axis. The notebooks' frame is North = PC2, Meridian = PC1, Equinox = PC3.
public struct SkyFrame: Sendable, Equatable {
    public var north: Int
    public var meridian: Int
    public var equinox: Int

    public init(north: Int = 2, meridian: Int = 1, equinox: Int = 3) {
        self.north = north
        self.meridian = meridian
        self.equinox = equinox
    }

    /// The axes in coordinate order: x (meridian), y (equinox), z (north).
    public var signedIndices: [Int] { [meridian, equinox, north] }

    /// How many principal axes the frame needs.
    public var axesNeeded: Int { signedIndices.map { abs($0) }.max() ?? 0 }

    /// Nil when the frame is valid, else why not.
    public var problem: String? {
        let indices = signedIndices.map { abs($0) }
        if indices.contains(where: { $0 < 1 || $0 > PrincipalAxes.blockSize }) {
            return "axis indices must be ±1 to ±\(PrincipalAxes.blockSize) (got north \(north), meridian \(meridian), equinox \(equinox))"
        }
        if Set(indices).count != 3 { return "north, meridian and equinox must be three different axes (got \(north), \(meridian), \(equinox))" }
        return nil
    }
}

/// Spherical coordinates of every row in a principal-axis frame (notebooks 1.3a, 1.3b).
///
/// The *uncentred* rows are projected: x = w·meridian, y = w·equinox, z = w·north;
/// r = √(x² + y² + z²), latitude = asin(clamp(z/r, −1, 1)), longitude = atan2(y, x), in degrees.
/// A row at the origin (r = 0) has no direction: latitude and longitude NaN. Non-finite rows
/// are NaN throughout.
public struct SkyMap: Sendable {
    public let frame: SkyFrame
    /// Basis vectors in coordinate order (meridian, equinox, north), unit length, signs applied.
    public let basis: [[Double]]
    /// Eigenvalues of the axes used, in coordinate order.
    public let basisEigenvalues: [Double]
    public let x: [Double]
    public let y: [Double]
    public let z: [Double]
    public let r: [Double]
    public let latitude: [Double]
    public let longitude: [Double]
    /// Finite rows at the origin, whose direction is undefined.
    public let rowsAtOrigin: [Int]
    public let nonFiniteRows: [Int]

    public init(axes: PrincipalAxes, frame: SkyFrame = SkyFrame()) throws {
        if let problem = frame.problem { throw DegenerateInputError.invalidFrame(problem) }
        let available = axes.axes.count
        guard frame.axesNeeded <= available else {
            throw DegenerateInputError.axisNotComputed(axis: frame.axesNeeded, computed: available)
        }
        self.frame = frame
        let used = frame.signedIndices.map { abs($0) - 1 }
        let signs = frame.signedIndices.map { $0 < 0 ? -1.0 : 1.0 }
        basis = (0..<3).map { c in axes.axes[used[c]].map { $0 * signs[c] } }
        basisEigenvalues = used.map { axes.eigenvalues[$0] }
        let count = axes.axes.count
        let rows = axes.projections.count / max(count, 1)
        func coordinate(_ c: Int) -> [Double] { (0..<rows).map { axes.projections[$0 * count + used[c]] * signs[c] } }
        x = coordinate(0)
        y = coordinate(1)
        z = coordinate(2)
        var r = [Double](repeating: .nan, count: rows)
        var latitude = r, longitude = r
        var origin: [Int] = []
        for i in 0..<rows {
            let s = Self.spherical(x: x[i], y: y[i], z: z[i])
            r[i] = s.r
            latitude[i] = s.latitude
            longitude[i] = s.longitude
            if s.r == 0 { origin.append(i) }
        }
        self.r = r
        self.latitude = latitude
        self.longitude = longitude
        rowsAtOrigin = origin
        nonFiniteRows = axes.nonFiniteRows
    }

    /// r, latitude and longitude (degrees) of one point; latitude and longitude NaN at the origin.
    public static func spherical(x: Double, y: Double, z: Double) -> (r: Double, latitude: Double, longitude: Double) {
        let r = (x * x + y * y + z * z).squareRoot()
        guard r.isFinite else { return (.nan, .nan, .nan) }
        guard r > 0 else { return (0, .nan, .nan) }
        let latitude = asin(min(1, max(-1, z / r))) * 180 / .pi
        let longitude = atan2(y, x) * 180 / .pi
        return (r, latitude, longitude)
    }

    /// Counts on a 1° grid, row-major [360, 180] as NumPy's `histogram2d(longitude, latitude)`:
    /// entry (i, j) counts longitude in [−180 + i, −179 + i) and latitude in [−90 + j, −89 + j),
    /// the last bin of each axis closed. Rows without a direction are not counted.
    public var densityGrid: [Int] {
        Self.densityGrid(latitude: latitude, longitude: longitude)
    }

    public static func densityGrid(latitude: [Double], longitude: [Double]) -> [Int] {
        var grid = [Int](repeating: 0, count: 360 * 180)
        for i in latitude.indices {
            let lat = latitude[i], lon = longitude[i]
            guard lat.isFinite, lon.isFinite else { continue }
            let a = min(359, max(0, Int((lon + 180).rounded(.down))))
            let b = min(179, max(0, Int((lat + 90).rounded(.down))))
            grid[a * 180 + b] += 1
        }
        return grid
    }
}

/// A box in sky coordinates, inclusive on every edge (notebook 1.4a's spike).
public struct SkyBox: Sendable, Equatable {
    public var latitude: ClosedRange<Double>
    public var longitude: ClosedRange<Double>
    public var radius: ClosedRange<Double>

    /// The notebooks' spike: latitude [−15, 5], longitude [−10, 20], r [0.2, 0.5].
    public static let spike = SkyBox(latitude: -15...5, longitude: -10...20, radius: 0.2...0.5)

    public init(latitude: ClosedRange<Double>, longitude: ClosedRange<Double>, radius: ClosedRange<Double>) {
        self.latitude = latitude
        self.longitude = longitude
        self.radius = radius
    }

    /// NaN coordinates are never inside.
    public func contains(latitude lat: Double, longitude lon: Double, r: Double) -> Bool {
        latitude.contains(lat) && longitude.contains(lon) && radius.contains(r)
    }

    /// Rows inside the box, ascending. The coordinates are those a file of F32 values holds,
    /// so that selecting again from `1.3a_sky_coordinates.safetensors` gives the same rows.
    public func rows(of map: SkyMap) -> [Int] {
        map.latitude.indices.filter {
            contains(latitude: Double(Float(map.latitude[$0])), longitude: Double(Float(map.longitude[$0])), r: Double(Float(map.r[$0])))
        }
    }
}
