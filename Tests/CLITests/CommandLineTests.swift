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

    func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Run {
        try run(executable: Self.binary, arguments, environment: environment)
    }

    func run(executable: URL, _ arguments: [String], environment: [String: String] = [:]) throws -> Run {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
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

    /// The demo is the whole survey on the synthetic model: every check agrees, the report is
    /// written, and the last line names it.
    @Test func demoSurveysThePlantedModelAndEndsWithTheReport() throws {
        let directory = temporaryDirectory()
        let result = try run(["demo", "--preset", "tiny", "--out", directory])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty, "no progress when stderr is not a terminal")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.last == "report: \(directory)/report.html")
        #expect(!result.stdout.contains("✗"))
        for check in ["cluster token ids", "Big One token ids", "unreachable token ids", "rows with no token"] {
            #expect(lines.contains { $0.hasPrefix("✓ \(check) ") }, "\(check)")
        }
        for file in ["report.html", "survey.json", "1.4h_cluster_tokens.safetensors", "1.11i_core_cluster_tokens.safetensors",
                     "1.8d_full_vocab_reachability.safetensors", "1.3a_sky_coordinates.safetensors", "model"] {
            #expect(contents(directory).contains(file), "\(file)")
        }
        let json = try envelope(try run(["demo", "--preset", "tiny", "--out", directory, "--json"]), command: "demo")
        let report = (json["result"] as? [String: Any])?["report"] as? String
        #expect(report == directory + "/report.html")
        #expect((json["result"] as? [String: Any])?["agrees"] as? Bool == true)
        let compare = try envelope(try run(["compare", directory, "--json"]), command: "compare")
        #expect(((compare["result"] as? [String: Any])?["surveys"] as? [Any])?.count == 1)
    }

    /// Parses `--json` output and checks the envelope every command shares.
    func envelope(_ run: Run, command: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        #expect(run.status == 0, "\(command): \(run.stderr)", sourceLocation: sourceLocation)
        let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any] ?? [:]
        #expect(Set(object.keys) == ["tool", "command", "inputs", "result", "seconds"], "\(command): \(object.keys)", sourceLocation: sourceLocation)
        #expect(object["tool"] as? String == "tokenscope", sourceLocation: sourceLocation)
        #expect(object["command"] as? String == command, sourceLocation: sourceLocation)
        #expect(object["inputs"] is [String: Any] && object["result"] is [String: Any], "\(command)", sourceLocation: sourceLocation)
        #expect((object["seconds"] as? Double).map { $0 >= 0 } == true, sourceLocation: sourceLocation)
        return object
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
        // The clusters file records W's 618 rows: the same step without --rows.
        let recorded = try run(["reachability", directory + "/model", "--clusters", directory + "/1.4h_cluster_tokens.safetensors",
                                "--out", directory + "/recorded", "--no-witnesses"])
        #expect(recorded.status == 0 && recorded.stdout.contains("W rows: 618"), "\(recorded.stdout)\(recorded.stderr)")
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

    /// Every command answers `--json` with the same envelope; its inputs record the parameters,
    /// F32 values in their shortest form.
    @Test func everyCommandSharesOneJSONEnvelope() throws {
        let directory = temporaryDirectory()
        let model = directory + "/model"
        _ = try envelope(try run(["synth", "--preset", "tiny", "--out", model, "--json"]), command: "synth")
        let clusters = try envelope(try run(["clusters", model, "--out", directory, "--json"]), command: "clusters")
        #expect((clusters["inputs"] as? [String: Any])?["model"] as? String == model)
        let clustersText = try run(["clusters", model, "--out", directory, "--json"]).stdout
        #expect(clustersText.contains("\"threshold\": 0.002,") && !clustersText.contains("0.00200000"), "\(clustersText.prefix(400))")
        // The same shortest form in the file's provenance metadata.
        let header = try Data(contentsOf: URL(fileURLWithPath: directory + "/1.4h_cluster_tokens.safetensors")).prefix(4096)
        #expect(String(decoding: header, as: UTF8.self).contains(#"\"threshold\":0.002"#))

        let cluster = directory + "/1.4h_cluster_tokens.safetensors"
        let commands: [(String, [String])] = [
            ("extract", [model, "--out", directory]),
            ("norms", [model]),
            ("core", [model, "--clusters", cluster, "--out", directory]),
            ("blackholes", [model]),
            ("lattice", [model, "--core", cluster]),
            ("decode", [model, "1", "2"]),
            ("encode", [model, "the cat"]),
            ("classify", [model]),
            ("reachability", [model, "--out", directory, "--no-witnesses"]),
        ]
        for (command, arguments) in commands {
            _ = try envelope(try run([command] + arguments + ["--json"]), command: command)
        }
    }

    /// Foundation's errors become one plain line naming the path, never an `NSCocoaErrorDomain` dump.
    @Test func fileSystemErrorsAreOnePlainLine() throws {
        let directory = temporaryDirectory()
        let model = directory + "/model"
        #expect(try run(["synth", "--preset", "tiny", "--out", model]).status == 0)
        try Data("x".utf8).write(to: URL(fileURLWithPath: directory + "/a-file"))
        let tiktoken = directory + "/ranks.tiktoken"
        try Data("YQ== 0\nYg== 1\n".utf8).write(to: URL(fileURLWithPath: tiktoken))
        let cases: [([String], String)] = [
            (["clusters", model, "--out", directory + "/a-file"], "a-file: already exists and is not a folder"),
            (["clusters", model, "--out", "/dev/null/out"], "/dev/null/out: not a directory"),
            (["encode", tiktoken, "--pattern", "(", "ab"], "cannot compile regex \"(\": not a valid regular expression"),
            (["encode", model, "--file", directory + "/missing.txt"], "missing.txt: no such file or folder"),
        ]
        for (arguments, message) in cases {
            let result = try run(arguments)
            #expect(result.status == 1, "\(arguments)")
            #expect(result.stderr == "tokenscope: error: \(message)\n" || result.stderr.hasSuffix("\(message)\n"), "\(arguments): \(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(arguments): \(result.stderr)")
            #expect(!result.stderr.contains("Domain=") && !result.stderr.contains("UserInfo"), "\(arguments): \(result.stderr)")
        }
    }

    /// A path that is not UTF-8 exists but cannot be named through Swift's decoded arguments; the
    /// command says so instead of "no such file".
    @Test func aPathThatIsNotUTF8IsNamedAsSuch() throws {
        let directory = temporaryDirectory()
        // The shell passes the raw byte 0xFF, which Foundation's Process cannot.
        let script = #"f="$(printf '%s/\377.safetensors' "$2")"; printf x > "$f"; exec "$1" clusters "$f" --out "$2/out""#
        let result = try run(executable: URL(fileURLWithPath: "/bin/sh"), ["-c", script, "sh", Self.binary.path, directory])
        #expect(result.status == 1)
        #expect(result.stderr.contains("is not valid UTF-8") && !result.stderr.contains("no such file"), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1)
    }

    /// Out-of-range values, negative-looking ones included, are answered with the valid range.
    @Test func optionValuesOutsideTheirRangeSayWhatIsValid() throws {
        let directory = temporaryDirectory()
        let model = directory + "/model"
        #expect(try run(["synth", "--preset", "tiny", "--out", model]).status == 0)
        for value in ["-1", "1e300", "0", "nan", "abc"] {
            let result = try run(["clusters", model, "--out", directory, "--threshold", value])
            #expect(result.status == 64, "\(value)")
            #expect(result.stderr.contains("'\(value)' is invalid for '--threshold <threshold>': must be a finite positive F32 value, from 1e-45 to 3.4028235e+38"),
                    "\(value): \(result.stderr)")
        }
        let survey = try run(["survey", model, "--out", directory, "--max-core-radius-ulp", "-3"])
        #expect(survey.status == 64 && survey.stderr.contains("must be a finite number, zero or more"), "\(survey.stderr)")
        let box = try run(["spike", model, "--out", directory, "--lat", "5,-15"])
        #expect(box.status == 64 && box.stderr.contains("'5,-15' is invalid for '--lat <lo,hi>': must be two finite numbers lo,hi with lo ≤ hi"),
                "\(box.stderr)")
        let threads = try run(["blackholes", model, "--threads", "0"])
        #expect(threads.status == 64 && threads.stderr.contains("must be a whole number, 1 or more"), "\(threads.stderr)")
    }

    /// Library errors say what is missing; the command adds the flag that supplies it.
    @Test func missingInputsAreNamedByTheirFlag() throws {
        let directory = temporaryDirectory()
        let model = directory + "/model"
        #expect(try run(["synth", "--preset", "tiny", "--out", model]).status == 0)
        let tiktoken = directory + "/ranks.tiktoken"
        try Data("YQ== 0\nYg== 1\n".utf8).write(to: URL(fileURLWithPath: tiktoken))
        func writeSafetensors(_ path: String, header: String, payload: Data) throws {
            var header = header
            while header.utf8.count % 8 != 0 { header += " " }
            try (withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { Data($0) } + Data(header.utf8) + payload)
                .write(to: URL(fileURLWithPath: path))
        }
        let twoMatrices = directory + "/two.safetensors"
        try writeSafetensors(twoMatrices, header: #"{"a":{"dtype":"F32","shape":[1,1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1,1],"data_offsets":[4,8]}}"#,
                             payload: Data(count: 8))
        // A clusters file from elsewhere, recording no row count, with an id past the tokenizer.
        let foreignClusters = directory + "/foreign_clusters.safetensors"
        try writeSafetensors(foreignClusters, header: #"{"cluster_token_ids":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}"#,
                             payload: withUnsafeBytes(of: Int64(100_000).littleEndian) { Data($0) })
        let cases: [([String], String)] = [
            (["encode", tiktoken, "ab"], "needs its pre-tokenisation regex: give it with --pattern REGEX"),
            (["reachability", model, "--clusters", foreignClusters, "--out", directory + "/r"],
             "count as rows with no token: give it with --rows N"),
            (["norms", twoMatrices], "several 2-D tensors (a, b); name the one to read: choose one with --tensor NAME"),
        ]
        for (arguments, message) in cases {
            let result = try run(arguments)
            #expect(result.status == 1 && result.stderr.hasSuffix(message + "\n"), "\(arguments): \(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1)
        }
        // The environment is read by the command, and a bad value is refused rather than ignored.
        #expect(try run(["blackholes", model], environment: ["TOKENSCOPE_THREADS": "1"]).status == 0)
        let badThreads = try run(["blackholes", model], environment: ["TOKENSCOPE_THREADS": "many"])
        #expect(badThreads.status == 64 && badThreads.stderr.contains("TOKENSCOPE_THREADS must be a whole number, 1 or more"), "\(badThreads.stderr)")
    }

    /// A negative axis index flips that axis and is printed as such; zero, out-of-range and
    /// repeated axes are refused.
    @Test func skyFrameIndicesReadAsSignedAxes() throws {
        let directory = temporaryDirectory()
        let model = directory + "/model"
        #expect(try run(["synth", "--preset", "tiny", "--out", model]).status == 0)
        let flipped = try run(["skymap", model, "--out", directory, "--north", "-2"])
        #expect(flipped.status == 0, "\(flipped.stderr)")
        #expect(flipped.stdout.contains("frame: north −PC2, meridian PC1, equinox PC3"), "\(flipped.stdout)")
        #expect(!flipped.stdout.contains("PC-"))
        for (north, message) in [("0", "axis indices must be ±1 to ±8"), ("9", "axis indices must be ±1 to ±8"), ("-1", "three different axes")] {
            let result = try run(["skymap", model, "--out", directory + "/refused", "--north", north])
            #expect(result.status == 64 && result.stderr.contains(message), "\(north): \(result.stderr)")
            #expect(contents(directory + "/refused").isEmpty)
        }
    }

    /// A negative token id is no row at all: an error, where an id past the tokenizer is a row
    /// without a token.
    @Test func negativeTokenIDsAreRefused() throws {
        let directory = temporaryDirectory()
        let model = directory + "/model"
        #expect(try run(["synth", "--preset", "tiny", "--out", model]).status == 0)
        let negative = try run(["decode", model, "--", "-1"])
        #expect(negative.status == 64 && negative.stderr.contains("-1 is not an id"), "\(negative.stderr)")
        #expect(negative.stdout.isEmpty)
    }

    /// Help is written as paragraphs and wrapped once, by the argument parser, to the terminal's
    /// width: no line in a paragraph ends where the next word would still have fitted.
    @Test func helpParagraphsAreWrappedOnce() throws {
        let width = 150
        let root = try run(["--help"], environment: ["COLUMNS": "\(width)"])
        let commands = ["demo", "survey", "compare", "extract", "clusters", "core", "blackholes", "lattice", "distances", "norms",
                        "skymap", "spike", "reachability", "populations", "indicators", "decode", "classify", "encode", "count", "synth", "serve"]
        for command in [nil] + commands.map(Optional.some) {
            let help = command == nil ? root : try run([command!, "--help"], environment: ["COLUMNS": "\(width)"])
            #expect(help.status == 0)
            // The discussion: between the OVERVIEW paragraph and USAGE.
            guard let usage = help.stdout.range(of: "\nUSAGE:") else { Issue.record("\(command ?? "root"): no USAGE"); continue }
            let paragraphs = help.stdout[..<usage.lowerBound].components(separatedBy: "\n\n").dropFirst()
            for paragraph in paragraphs {
                let lines = paragraph.split(separator: "\n")
                for (line, next) in zip(lines, lines.dropFirst()) {
                    let nextWord = next.split(separator: " ").first ?? ""
                    // The parser keeps the last column free, so a line holds at most width − 1 characters.
                    #expect(line.count + 1 + nextWord.count >= width, "\(command ?? "root"): \"\(line)\" broken before \"\(nextWord)\"")
                }
            }
        }
        // Subcommands are listed in their groups.
        for group in ["SURVEY SUBCOMMANDS:", "CENSUS SUBCOMMANDS:", "MAPS SUBCOMMANDS:", "TOKENS SUBCOMMANDS:", "TOOLS SUBCOMMANDS:"] {
            #expect(root.stdout.contains(group), "\(group)")
        }
    }

    /// Counts are grouped in thousands in every readable line; ids never are.
    @Test func countsAreGroupedEverywhere() throws {
        let directory = temporaryDirectory()
        let model = directory + "/model"
        #expect(try run(["synth", "--preset", "tiny", "--out", model]).status == 0)
        try String(repeating: "the cat sat on the mat\n", count: 200).write(toFile: directory + "/corpus.txt", atomically: true, encoding: .utf8)
        let count = try run(["count", model, directory + "/corpus.txt"])
        #expect(count.status == 0)
        #expect(count.stdout.contains("4,600 bytes"), "\(count.stdout)")
        // Every figure of four or more digits is grouped.
        let ungrouped = count.stdout.split(whereSeparator: { !$0.isNumber && $0 != "," }).filter { $0.count >= 4 && !$0.contains(",") }
        #expect(ungrouped.isEmpty, "\(ungrouped)")
    }

    @Test func distancesAreTheSameFileOnTheScalarPath() throws {
        let directory = temporaryDirectory()
        #expect(try run(["synth", "--preset", "tiny", "--out", directory + "/model", "--seed", "3"]).status == 0)
        #expect(try run(["clusters", directory + "/model", "--out", directory]).status == 0)
        var files: [Data] = []
        for simd in ["scalar", "best"] {
            let r = try run(["distances", directory + "/model", "--ids", directory + "/1.4h_cluster_tokens.safetensors",
                             "--out", directory + "/" + simd, "--simd", simd, "--json"])
            #expect(r.status == 0, "\(r.stderr)")
            if simd == "scalar" { #expect(r.stdout.contains("\"simd\": \"scalar\""), "\(r.stdout)") }
            files.append(try Data(contentsOf: URL(fileURLWithPath: directory + "/" + simd + "/1.4b_overdensity_distances.safetensors")))
        }
        #expect(files[0] == files[1])
        #expect(try run(["distances", directory + "/model", "--ids", directory + "/1.4h_cluster_tokens.safetensors",
                         "--out", directory, "--simd", "sse9"]).status != 0)
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
            (["core", directory + "/model", "--clusters", directory + "/model/model.safetensors", "--out", out], #"no tensor "cluster_token_ids""#),
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
        try writeInt64Tensors([("spike_token_ids", ids)], to: path)
    }

    /// A safetensors file of 1-D I64 tensors, in order.
    func writeInt64Tensors(_ tensors: [(name: String, values: [Int64])], to path: String) throws {
        var offset = 0
        let entries = tensors.map { t -> String in
            defer { offset += t.values.count * 8 }
            return #""\#(t.name)":{"dtype":"I64","shape":[\#(t.values.count)],"data_offsets":[\#(offset),\#(offset + t.values.count * 8)]}"#
        }
        var header = "{" + entries.joined(separator: ",") + "}"
        while header.utf8.count % 8 != 0 { header += " " }
        var bytes = withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { Data($0) }
        bytes += Data(header.utf8)
        for t in tensors { for v in t.values { bytes += withUnsafeBytes(of: v.littleEndian) { Data($0) } } }
        try bytes.write(to: URL(fileURLWithPath: path))
    }

    static let qwen = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/data/qwen3-tokenizer/tokenizer.json").path

    /// The seed's step on the Qwen3 shape (151,669 ids, 151,936 rows): the clusters file records
    /// W's row count, so no --rows is needed.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: CommandLineTests.qwen), "Qwen3 tokenizer.json not found; skipped"))
    func reachabilityTakesTheRowCountFromTheClustersFile() throws {
        let directory = temporaryDirectory()
        let clusters = directory + "/1.4h_cluster_tokens.safetensors"
        try writeInt64Tensors([("cluster_token_ids", [151_643, 151_700, 151_935]), ("n_rows", [151_936])], to: clusters)
        let reach = try run(["reachability", Self.qwen, "--clusters", clusters, "--out", directory + "/out", "--no-witnesses", "--json"])
        #expect(reach.status == 0, "\(reach.stderr)")
        #expect(reach.stdout.contains("\"rows\": 151936") && reach.stdout.contains("\"no_token_rows\": 267"), "\(reach.stdout.prefix(2000))")
        #expect(reach.stdout.contains("\"cluster_without_token\": 2"))
        let disagreeing = try run(["reachability", Self.qwen, "--clusters", clusters, "--rows", "160000", "--out", directory + "/bad"])
        #expect(disagreeing.status == 1 && disagreeing.stderr.contains("records W's row count 151936"))
    }
}
