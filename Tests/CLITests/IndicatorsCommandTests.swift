import Foundation
import Testing
import TestSupport

extension CommandLineTests {
    @Test func indicatorsWritesItsFilesAndRejectsBadInput() throws {
        let directory = temporaryDirectory()
        #expect(try run(["synth", "--preset", "tiny", "--out", directory + "/model", "--quiet"]).status == 0)
        let good = try run(["indicators", directory + "/model", "--out", directory + "/out", "--json"])
        #expect(good.status == 0, "\(good.stderr)")
        #expect(good.stdout.contains("\"main_indicator\": \"cosine_distance\""))
        #expect(contents(directory + "/out") == ["indicator_candidates.jsonl", "indicators.safetensors", "suppress_mask.safetensors"])

        func failure(_ arguments: [String]) throws -> String {
            let result = try run(arguments)
            #expect(result.status != 0)
            let lines = result.stderr.split(separator: "\n")
            #expect(lines.count == 1, "\(result.stderr)")
            return result.stderr
        }
        try Data("3\n99999\n".utf8).write(to: URL(fileURLWithPath: directory + "/ids.txt"))
        #expect(try failure(["indicators", directory + "/model", "--out", directory + "/bad", "--reference-ids", directory + "/ids.txt"])
            .contains("outside W"))
        try Data("".utf8).write(to: URL(fileURLWithPath: directory + "/empty.txt"))
        #expect(try failure(["indicators", directory + "/model", "--out", directory + "/bad", "--reference-ids", directory + "/empty.txt"])
            .contains("empty"))
        // A 3 × 8 F32 matrix of zeros, written by hand (this target does not import TensorFormats).
        var header = Array(#"{"W":{"dtype":"F32","shape":[3,8],"data_offsets":[0,96]}}"#.utf8)
        while header.count % 8 != 0 { header.append(0x20) }
        let file = withUnsafeBytes(of: UInt64(header.count).littleEndian) { Array($0) } + header + [UInt8](repeating: 0, count: 96)
        try Data(file).write(to: URL(fileURLWithPath: directory + "/wide.safetensors"))
        #expect(try failure(["indicators", directory + "/wide.safetensors", "--out", directory + "/bad"]).contains("more rows than columns"))
        #expect(!FileManager.default.fileExists(atPath: directory + "/bad/indicators.safetensors"))
    }
}
