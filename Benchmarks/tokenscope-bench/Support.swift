// tokenscope-bench: the figures of BENCHMARKS.md, each printed beside its baseline measured in the
// same run. Run in release: `swift run -c release tokenscope-bench [SUBCOMMAND] [--model DIR] [--quick]`;
// the subcommands and options are in Bench.swift.
//
// - Headline commands (extract; clusters + core on every row) run as the `tokenscope` binary, so the
//   wall time and peak memory are what a user sees (page cache warm: W is read once first).
// - The baseline is the notebooks' method in numpy (scripts/bench/notebook_baseline.py): box
//   selection → n × n float32 distances → threshold → scipy components, on the 20,373 rows of
//   smallest norm; TokenScope runs on the same candidates for the comparison.
// - Scaling: the census in-process over the first V rows (10k → all) and over thresholds.
// - Principal axes and the commands around them on the realistic preset: PCABench.swift.
import Foundation
import TokenScope

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

let binDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
let tokenscope = binDirectory.appendingPathComponent("tokenscope").path
let scratch = FileManager.default.currentDirectoryPath + "/.build/bench-data"

func say(_ line: String) { print(line); fflush(stdout) }

func seconds<T>(_ body: () throws -> T) rethrows -> (T, Double) {
    let start = DispatchTime.now().uptimeNanoseconds
    let result = try body()
    return (result, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
}

/// Runs a command, returning wall seconds, the child's own peak resident memory in bytes, its
/// standard output and its CPU seconds. The child is reaped with `wait4`, whose usage is that
/// child's alone: `getrusage(RUSAGE_CHILDREN)` gives the largest peak of every child so far (the
/// synthetic model's generator included), which is not the command's.
@discardableResult
func run(_ executable: String, _ arguments: [String], quiet: Bool = true,
         environment: [String: String?] = [:]) throws -> (seconds: Double, peakBytes: Int, stdout: String, cpuSeconds: Double) {
    // nil removes a variable from the child's environment.
    var merged = ProcessInfo.processInfo.environment
    for (key, value) in environment { merged[key] = value }
    let command = ([executable] + arguments).joined(separator: " ")
    var output = [Int32](repeating: 0, count: 2)
    guard pipe(&output) == 0 else { throw BaselineFailed(command: command) }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_adddup2(&actions, output[1], 1)
    posix_spawn_file_actions_addclose(&actions, output[0])
    posix_spawn_file_actions_addclose(&actions, output[1])
    if quiet { posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0) }
    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    let envp = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer { for p in argv + envp { free(p) } }
    var pid = pid_t()
    let start = DispatchTime.now().uptimeNanoseconds
    let spawned = posix_spawn(&pid, executable, &actions, nil, argv, envp)
    close(output[1])
    guard spawned == 0 else { close(output[0]); throw BaselineFailed(command: command) }
    // Read to the end before reaping, so that a long output cannot fill the pipe and stall the child.
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = chunk.withUnsafeMutableBytes { read(output[0], $0.baseAddress, $0.count) }
        if n > 0 { bytes += chunk[0..<n]; continue }
        if n < 0 && errno == EINTR { continue }
        break
    }
    close(output[0])
    var status: Int32 = 0
    var usage = rusage()
    while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
    let wall = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    // Exited normally with status 0 (WIFEXITED and WEXITSTATUS, which Swift does not import as macros).
    guard status & 0x7F == 0, (status >> 8) & 0xFF == 0 else { throw BaselineFailed(command: command) }
    // ru_maxrss is in KiB on Linux and bytes on macOS.
    #if os(Linux)
    let peak = Int(usage.ru_maxrss) * 1024
    #else
    let peak = Int(usage.ru_maxrss)
    #endif
    return (wall, peak, String(decoding: bytes, as: UTF8.self), cpuSeconds(of: usage))
}

/// User + system seconds of this process: on a shared, busy machine the CPU time is the steadier figure.
func cpuSeconds() -> Double {
    var usage = rusage()
    #if os(Linux)
    getrusage(RUSAGE_SELF.rawValue, &usage)
    #else
    getrusage(RUSAGE_SELF, &usage)
    #endif
    return cpuSeconds(of: usage)
}

/// User + system seconds of a resource usage.
func cpuSeconds(of usage: rusage) -> Double {
    func s(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) * 1e-6 }
    return s(usage.ru_utime) + s(usage.ru_stime)
}

func best(_ repeats: Int, _ body: () throws -> Double) rethrows -> Double {
    var times: [Double] = []
    for _ in 0..<max(1, repeats) { times.append(try body()) }
    return times.min() ?? 0
}

func format(_ s: Double) -> String { String(format: "%7.3f s", s) }

/// python3 as the shell would find it (the one with the reference packages installed).
let python = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":")
    .map { $0 + "/python3" }.first(where: FileManager.default.isExecutableFile)

/// The Qwen3 tokenizer of ../shared/data: the tokenizer, reachability and survey figures use it when present.
let qwenTokenizer = FileManager.default.currentDirectoryPath + "/../shared/data/qwen3-tokenizer/tokenizer.json"

/// A baseline (numpy, HF tokenizers, the CLI) that exited non-zero: its figure cannot be printed.
struct BaselineFailed: Error, CustomStringConvertible {
    var command: String
    var description: String { "\(command) failed" }
}
