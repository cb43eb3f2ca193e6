import Foundation
import Testing
import TestSupport

#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#endif

/// Runs that end badly (issue 12): a signal, a full disk, an input that changes underneath.
/// Each must end with one line on stderr, or the signal's status, and leave no file behind.
extension CommandLineTests {
    /// Starts `arguments` with every file paused `seconds` before its rename, and waits for the
    /// first temporary file in `directory`; stderr is read from the returned pipe.
    func startPaused(_ arguments: [String], watching directory: String, seconds: Int = 20) throws -> (Process, Pipe) {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(["TOKENSCOPE_PAUSE_BEFORE_RENAME": "\(seconds)"]) { $1 }
        let err = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = err
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while !contents(directory).contains(where: { $0.contains(".partial-") }), Date() < deadline { usleep(20_000) }
        return (process, err)
    }

    @Test(arguments: [SIGHUP, SIGPIPE, SIGTERM])
    func endingSignalsLeaveNothingBehind(signal: Int32) throws {
        let directory = temporaryDirectory() + "/model"
        let (process, _) = try startPaused(["synth", "--preset", "tiny", "--out", directory], watching: directory)
        #expect(contents(directory).contains { $0.contains(".partial-") })
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 128 + signal)
        #expect(contents(directory).isEmpty, "left \(contents(directory))")
    }

    /// Runs `arguments` under a file-size limit (in 512-byte blocks), as a full disk would stop it.
    func runLimited(blocks: Int, _ arguments: [String]) throws -> Run {
        let quoted = ([Self.binary.path] + arguments).map { "'\($0)'" }.joined(separator: " ")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "ulimit -f \(blocks) && exec \(quoted)"]
        let err = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = err
        try process.run()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: "", stderr: String(decoding: stderr, as: UTF8.self))
    }

    @Test func aWriteBeyondTheFileSizeLimitIsAnErrorNotASignal() throws {
        let directory = temporaryDirectory() + "/model"
        // model.safetensors (79 KB) cannot be written under 40 KB: SIGXFSZ would kill the process.
        let result = try runLimited(blocks: 80, ["synth", "--preset", "tiny", "--out", directory])
        #expect(result.status == 1)
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        #expect(!contents(directory).contains { $0.contains(".partial-") }, "left \(contents(directory))")
        #expect(!contents(directory).contains("model.safetensors"))
    }

    @Test func aFailedSurveyStageReportsItsOwnErrorAndRemovesTheRunsFiles() throws {
        let directory = temporaryDirectory()
        #expect(try run(["synth", "--preset", "tiny", "--out", directory + "/model"]).status == 0)
        // 1.2a's file (3 KB) fits under 50 KB, 1.3a's (535 KB) does not: the survey stops there
        // (it once carried on and blamed report.html) and removes 1.2a's file.
        let out = directory + "/out"
        let result = try runLimited(blocks: 100, ["survey", directory + "/model", "--out", out, "--no-extract", "--no-witnesses"])
        #expect(result.status == 1)
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        #expect(result.stderr.contains("1.3a_sky_coordinates"), "\(result.stderr)")
        #expect(contents(out).isEmpty, "left \(contents(out))")
    }

    @Test func aFailedCopyOfWIsTheErrorReportedThoughItRunsBesideLaterStages() throws {
        let directory = temporaryDirectory()
        #expect(try run(["synth", "--preset", "tiny", "--out", directory + "/model"]).status == 0)
        // W.safetensors (79 KB) cannot be written under 50 KB, nor can 1.3a's file, whose stage runs
        // while W is being copied: the copy started first, so its failure is the one reported.
        let out = directory + "/out"
        let result = try runLimited(blocks: 100, ["survey", directory + "/model", "--out", out, "--no-witnesses"])
        #expect(result.status == 1)
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        #expect(result.stderr.contains("W.safetensors"), "\(result.stderr)")
        #expect(contents(out).isEmpty, "left \(contents(out))")
    }

    @Test func anInputTruncatedDuringTheRunIsReportedAndNothingIsKept() throws {
        let directory = temporaryDirectory()
        #expect(try run(["synth", "--preset", "tiny", "--out", directory + "/model"]).status == 0)
        let out = directory + "/out"
        let (process, err) = try startPaused(["survey", directory + "/model", "--out", out, "--no-witnesses"], watching: out, seconds: 2)
        // A download still being written, or a file replaced in place: the input shrinks.
        #expect(truncate(directory + "/model/model.safetensors", 4096) == 0)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 1)
        #expect(stderr.split(separator: "\n").count == 1 && stderr.contains("the file changed while it was being read"), "\(stderr)")
        #expect(contents(out).isEmpty, "left \(contents(out))")
    }
}
