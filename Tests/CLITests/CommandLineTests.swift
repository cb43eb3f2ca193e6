import Foundation
import Testing
import TestSupport

/// End-to-end: the built `tokenscope` binary, its exit status, stdout and stderr.
@Suite(.serialized) struct CommandLineTests {
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static let binary: URL = {
        // The test runner sits beside the products of the same build.
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for directory in [beside, beside.deletingLastPathComponent(), beside.deletingLastPathComponent().deletingLastPathComponent()] {
            let candidate = directory.appendingPathComponent("tokenscope")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/debug/tokenscope")
    }()

    func run(_ arguments: [String]) throws -> Run {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    func temporaryDirectory() -> String { ScratchDirectory.make("cli") }

    func contents(_ directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
    }

    @Test func helpExplainsTheCommands() throws {
        let help = try run(["--help"])
        #expect(help.status == 0)
        for command in ["demo", "extract", "clusters", "core", "blackholes", "synth", "reachability", "populations", "decode",
                        "classify", "encode", "count"] {
            #expect(help.stdout.contains(command), "\(command)")
        }
        let clusters = try run(["clusters", "--help"])
        #expect(clusters.stdout.contains("--threshold") && clusters.stdout.contains("--candidate-ids"))
    }

    @Test func demoAgreesAndSpeaksJSON() throws {
        let directory = temporaryDirectory()
        let result = try run(["demo", "--preset", "tiny", "--out", directory, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\"agrees\": true"))
        #expect(result.stderr.isEmpty, "no progress when stderr is not a terminal")
        #expect(contents(directory) == ["1.11i_core_cluster_tokens.safetensors", "1.4h_cluster_tokens.safetensors", "model"])
    }

    @Test func pipelineCommandsWriteTheirFiles() throws {
        let directory = temporaryDirectory()
        #expect(try run(["synth", "--preset", "tiny", "--out", directory + "/model", "--seed", "3"]).status == 0)
        let extract = try run(["extract", directory + "/model", "--out", directory])
        #expect(extract.status == 0, "\(extract.stderr)")
        #expect(extract.stdout.contains("618 × 64 BF16 (model.embed_tokens.weight, tied embeddings)"))
        let clusters = try run(["clusters", directory + "/W.safetensors", "--out", directory, "--json"])
        #expect(clusters.status == 0 && clusters.stdout.contains("\"edges\""))
        let core = try run(["core", directory + "/W.safetensors", "--clusters", directory + "/1.4h_cluster_tokens.safetensors", "--out", directory])
        #expect(core.status == 0 && core.stdout.contains("Big One: 30 tokens"))
        let holes = try run(["blackholes", directory + "/W.safetensors"])
        #expect(holes.status == 0 && holes.stdout.contains("30 rows"))
        #expect(contents(directory) == ["1.11i_core_cluster_tokens.safetensors", "1.4h_cluster_tokens.safetensors", "W.safetensors", "model"])

        let reach = try run(["reachability", directory + "/model", "--clusters", directory + "/1.4h_cluster_tokens.safetensors",
                             "--rows", "618", "--out", directory])
        #expect(reach.status == 0 && reach.stdout.contains("unreachable: 150 of 600"), "\(reach.stdout)\(reach.stderr)")
        let populations = try run(["populations", directory + "/W.safetensors", "--reachability", directory + "/1.8d_full_vocab_reachability.safetensors",
                                   "--clusters", directory + "/1.4h_cluster_tokens.safetensors", "--out", directory])
        #expect(populations.status == 0 && populations.stdout.contains("no token, in cluster: 18"), "\(populations.stdout)\(populations.stderr)")
        let encode = try run(["encode", directory + "/model", "<|im_end|>", "--json"])
        #expect(encode.status == 0 && encode.stdout.contains("<|im_end|>"))
        let decode = try run(["decode", directory + "/model", "2", "600", "--csv"])
        #expect(decode.status == 0 && decode.stdout.contains("no token"))
        let classify = try run(["classify", directory + "/model", "--populations", directory + "/1.8e_unreachable_tokens.safetensors"])
        #expect(classify.status == 0 && classify.stdout.contains("script × population"))
        try String(repeating: "the cat sat on the mat\n", count: 200).write(toFile: directory + "/corpus.txt", atomically: true, encoding: .utf8)
        let count = try run(["count", directory + "/model", directory + "/corpus.txt", "--json"])
        #expect(count.status == 0 && count.stdout.contains("\"never_seen\""))
    }

    /// Each bad input: exit status 1, one line on stderr naming the problem, nothing written.
    @Test func badInputGetsOneLineAndNoOutput() throws {
        let directory = temporaryDirectory()
        #expect(try run(["synth", "--preset", "tiny", "--out", directory + "/model"]).status == 0)
        let model = try Data(contentsOf: URL(fileURLWithPath: directory + "/model/model.safetensors"))
        try model.prefix(model.count - 100).write(to: URL(fileURLWithPath: directory + "/truncated.safetensors"))
        var lying = model
        lying.replaceSubrange(0..<8, with: withUnsafeBytes(of: UInt64(1 << 30).littleEndian) { Data($0) })
        try lying.write(to: URL(fileURLWithPath: directory + "/lying.safetensors"))
        try Data("{\"ids\": [1]}".utf8).write(to: URL(fileURLWithPath: directory + "/notes.json"))

        let out = directory + "/out"
        let cases: [([String], String)] = [
            (["clusters", directory + "/missing.safetensors", "--out", out], "no such file"),
            (["clusters", directory + "/truncated.safetensors", "--out", out], "truncated"),
            (["clusters", directory + "/lying.safetensors", "--out", out], "header length"),
            (["extract", directory + "/notes.json", "--out", out], "notes.json"),
            (["core", directory + "/model", "--clusters", directory + "/model/model.safetensors", "--out", out], "no cluster_token_ids"),
            (["clusters", directory + "/model", "--threshold", "-1", "--out", out], "threshold"),
        ]
        for (arguments, message) in cases {
            let result = try run(arguments)
            #expect(result.status != 0, "\(arguments)")
            let lines = result.stderr.split(separator: "\n")
            #expect(lines.count >= 1 && result.stderr.contains(message), "\(arguments): \(result.stderr)")
            if result.status == 1 { #expect(lines.count == 1, "\(arguments): \(result.stderr)") }
            #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("Stack dump"))
            #expect(contents(out).isEmpty, "\(arguments) left \(contents(out))")
        }

        // Ids outside the matrix in a candidate file.
        let ids = directory + "/ids.safetensors"
        try writeIDs([1, 2, 99_999], to: ids)
        let outside = try run(["clusters", directory + "/model", "--candidate-ids", ids, "--out", out])
        #expect(outside.status == 1 && outside.stderr.contains("99999") && outside.stderr.contains("outside"))
        #expect(contents(out).isEmpty)
    }

    /// Ctrl-C while a file is being written: exit status 130, no file under its final name, no
    /// temporary file left, and a rerun succeeds.
    @Test func interruptionLeavesNothingBehind() throws {
        let directory = temporaryDirectory() + "/model"
        let (process, _) = try startPaused(["synth", "--preset", "tiny", "--out", directory], watching: directory)
        #expect(contents(directory).contains { $0.contains(".partial-") })
        process.interrupt()
        process.waitUntilExit()
        #expect(process.terminationStatus == 130 || process.terminationReason == .uncaughtSignal)
        #expect(contents(directory).isEmpty, "left \(contents(directory))")
        let rerun = try run(["synth", "--preset", "tiny", "--out", directory])
        #expect(rerun.status == 0)
        #expect(contents(directory) == ["config.json", "model.safetensors", "tokenizer.json", "truth.json"])
    }

    /// A minimal safetensors file holding `spike_token_ids`, written by hand so the test depends on
    /// nothing but the format.
    func writeIDs(_ ids: [Int64], to path: String) throws {
        var header = #"{"spike_token_ids":{"dtype":"I64","shape":[\#(ids.count)],"data_offsets":[0,\#(ids.count * 8)]}}"#
        while header.utf8.count % 8 != 0 { header += " " }
        var bytes = withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { Data($0) }
        bytes += Data(header.utf8)
        for id in ids { bytes += withUnsafeBytes(of: id.littleEndian) { Data($0) } }
        try bytes.write(to: URL(fileURLWithPath: path))
    }
}
