import Testing
import TokenScopeCore
@testable import Geometry

@Suite struct SkyMapTests {
    @Test func sphericalCoordinatesOfKnownPoints() {
        func check(_ x: Double, _ y: Double, _ z: Double, r: Double, lat: Double, lon: Double, sourceLocation: SourceLocation = #_sourceLocation) {
            let s = SkyMap.spherical(x: x, y: y, z: z)
            #expect(abs(s.r - r) < 1e-12 && abs(s.latitude - lat) < 1e-12 && abs(s.longitude - lon) < 1e-12, "\(s)", sourceLocation: sourceLocation)
        }
        check(2, 0, 0, r: 2, lat: 0, lon: 0)
        check(0, 0, 0.5, r: 0.5, lat: 90, lon: 0)
        check(0, 0, -3, r: 3, lat: -90, lon: 0)
        check(0, 1, 0, r: 1, lat: 0, lon: 90)
        check(-1, 0, 0, r: 1, lat: 0, lon: 180)
        check(1, 1, 2.squareRoot(), r: 2, lat: 45, lon: 45)
        let origin = SkyMap.spherical(x: 0, y: 0, z: 0)
        #expect(origin.r == 0 && origin.latitude.isNaN && origin.longitude.isNaN)
    }

    /// Symmetric rows (± each) along the first three coordinate axes with spreads 3 > 2 > 1, so
    /// the covariance is diagonal: PC1 = e₀, PC2 = e₁, PC3 = e₂. Probes along each axis (also in
    /// ± pairs, keeping the mean at 0) at rows 6, 8, 10; row 12 is the origin.
    func axisAligned() throws -> (Matrix, SkyMap) {
        var values: [Float] = []
        for (axis, length) in [(0, Float(3)), (1, 2), (2, 1), (0, 0.5), (1, 0.7), (2, 0.25)] {
            for sign in [Float(1), -1] {
                var row = [Float](repeating: 0, count: 5)
                row[axis] = sign * length
                values += row
            }
        }
        values += [0, 0, 0, 0, 0]
        let matrix = Matrix(rows: 13, columns: 5, format: .f32, values: values)
        return (matrix, try SkyMap(axes: PrincipalAxes(matrix: matrix)))
    }

    @Test func rowsAlongTheBasisLandWhereExpected() throws {
        let (_, map) = try axisAligned()
        // Meridian (PC1) → latitude 0, longitude 0; north (PC2) → latitude 90; equinox (PC3) → longitude 90.
        #expect(abs(map.latitude[6]) < 1e-9 && abs(map.longitude[6]) < 1e-9 && abs(map.r[6] - 0.5) < 1e-12)
        #expect(abs(map.latitude[8] - 90) < 1e-5 && abs(map.r[8] - 0.7) < 1e-7)
        #expect(abs(map.latitude[10]) < 1e-9 && abs(map.longitude[10] - 90) < 1e-9)
        #expect(map.rowsAtOrigin == [12] && map.latitude[12].isNaN)
        #expect(abs(map.basis[2][1] - 1) < 1e-12, "north is PC2 = e₁")
        // A negative index flips the axis: the meridian probe moves to longitude 180.
        let flipped = try SkyMap(axes: PrincipalAxes(matrix: axisAligned().0), frame: SkyFrame(meridian: -1))
        #expect(abs(abs(flipped.longitude[6]) - 180) < 1e-9)
        #expect(SkyFrame(north: 1, meridian: 1, equinox: 3).problem != nil)
        #expect(SkyFrame(north: 0).problem != nil)
    }

    @Test func densityGridBinsEdgesIntoTheLastBin() {
        let grid = SkyMap.densityGrid(latitude: [90, -90, 0, .nan, 0.5], longitude: [180, -180, 0, 0, -0.5])
        #expect(grid.reduce(0, +) == 4)
        #expect(grid[359 * 180 + 179] == 1)
        #expect(grid[0 * 180 + 0] == 1)
        #expect(grid[180 * 180 + 90] == 1)
        #expect(grid[179 * 180 + 90] == 1)
    }

    @Test func spikeBoxIsInclusiveOnEveryEdge() {
        let box = SkyBox.spike
        for (lat, lon, r) in [(-15.0, 0.0, 0.3), (5, 0, 0.3), (0, -10, 0.3), (0, 20, 0.3), (0, 0, 0.2), (0, 0, 0.5), (-15, -10, 0.2), (5, 20, 0.5)] {
            #expect(box.contains(latitude: lat, longitude: lon, r: r), "(\(lat), \(lon), \(r)) is on an edge")
        }
        for (lat, lon, r) in [((-15.0).nextDown, 0.0, 0.3), (5.0.nextUp, 0, 0.3), (0, (-10.0).nextDown, 0.3), (0, 20.0.nextUp, 0.3),
                              (0, 0, 0.2.nextDown), (0, 0, 0.5.nextUp), (.nan, 0, 0.3)] {
            #expect(!box.contains(latitude: lat, longitude: lon, r: r), "(\(lat), \(lon), \(r)) is outside")
        }
    }

    @Test func boxSelectsRowsFromTheMap() throws {
        let (_, map) = try axisAligned()
        // Around longitude 0 on the equator, r from 0.5 to 3: the meridian probe and the +PC1 row.
        let near = SkyBox(latitude: -1...1, longitude: -1...1, radius: 0.5...3)
        #expect(near.rows(of: map) == [0, 6])
        #expect(SkyBox(latitude: -1...1, longitude: -1...1, radius: 0.6...2.9).rows(of: map) == [])
    }
}
