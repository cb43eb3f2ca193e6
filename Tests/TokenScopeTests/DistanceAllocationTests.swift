import Foundation
import Testing
import TestSupport
@testable import TokenScope

@Suite struct DistanceAllocationTests {
    /// `--yes` on more ids than the machine's memory can hold as n × n floats: a message, not an
    /// abort in the allocator (the matrix is never allocated; W here is one column).
    @Test func aMatrixLargerThanMemoryIsRefusedWithAMessage() throws {
        let n = Int((Double(ProcessInfo.processInfo.physicalMemory) / 4).squareRoot()) + 1
        let matrix = Matrix(rows: n, columns: 1, format: .f32, values: [Float](repeating: 0, count: n))
        let directory = ScratchDirectory.make("distances")
        #expect { try DistanceStage.run(matrix: matrix, input: "W", ids: Array(0..<n), allowLarge: true, outputDirectory: directory) }
            throws: { "\($0)".contains("more memory than can be allocated") }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
    }
}
