// tokenscope-bench: the figures of BENCHMARKS.md, each printed beside its baseline measured in the
// same run. Run in release: `swift run -c release tokenscope-bench [--model DIR] [--quick]`.
//
// - Headline commands (extract; clusters + core on every row) run as the `tokenscope` binary, so the
//   wall time and peak memory are what a user sees (page cache warm: W is read once first).
// - The baseline is the notebooks' method in numpy (scripts/bench/notebook_baseline.py): box
//   selection → n × n float32 distances → threshold → scipy components, on the 20,373 rows of
//   smallest norm; TokenScope runs on the same candidates for the comparison.
// - Scaling: the census in-process over the first V rows (10k → all) and over thresholds.
import Foundation
import TokenScope

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct Options {
    var model: String?
    var quick = false
    var repeats = 3

    init(_ arguments: [String]) {
        var i = 1
        while i < arguments.count {
            switch arguments[i] {
            case "--model": i += 1; model = arguments[i]
            case "--quick": quick = true; repeats = 1
            case "--repeats": i += 1; repeats = Int(arguments[i]) ?? 3
            default: print("usage: tokenscope-bench [--model DIR] [--quick] [--repeats N]"); exit(2)
            }
            i += 1
        }
    }
}

let options = Options(CommandLine.arguments)
let binDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
let tokenscope = binDirectory.appendingPathComponent("tokenscope").path
let scratch = FileManager.default.currentDirectoryPath + "/.build/bench-data"

func say(_ line: String) { print(line); fflush(stdout) }

func seconds<T>(_ body: () throws -> T) rethrows -> (T, Double) {
    let start = DispatchTime.now().uptimeNanoseconds
    let result = try body()
    return (result, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
}

/// Runs a command, returning wall seconds and the child's peak resident memory in bytes.
@discardableResult
func run(_ executable: String, _ arguments: [String], quiet: Bool = true) throws -> (seconds: Double, peakBytes: Int, stdout: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    if quiet { process.standardError = FileHandle.nullDevice }
    let (_, wall) = try seconds { () throws -> Void in
        try process.run()
        process.waitUntilExit()
    }
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    guard process.terminationStatus == 0 else { throw StageError("\(executable) \(arguments.joined(separator: " ")) failed") }
    var usage = rusage()
    #if os(Linux)
    getrusage(RUSAGE_CHILDREN.rawValue, &usage)
    #else
    getrusage(RUSAGE_CHILDREN, &usage)
    #endif
    // ru_maxrss is the largest of all children so far, in KiB on Linux and bytes on macOS.
    #if os(Linux)
    let peak = Int(usage.ru_maxrss) * 1024
    #else
    let peak = Int(usage.ru_maxrss)
    #endif
    return (wall, peak, output)
}

func best(_ repeats: Int, _ body: () throws -> Double) rethrows -> Double {
    var times: [Double] = []
    for _ in 0..<max(1, repeats) { times.append(try body()) }
    return times.min() ?? 0
}

func format(_ s: Double) -> String { String(format: "%7.3f s", s) }

// The model: given, or the qwen3-4b synthetic model, generated once and kept.
let modelDirectory = options.model ?? scratch + "/qwen3-4b"
if options.model == nil, !FileManager.default.fileExists(atPath: modelDirectory + "/truth.json") {
    say("generating the qwen3-4b synthetic model in \(modelDirectory) (once)…")
    try run(tokenscope, ["synth", "--preset", "qwen3-4b", "--out", modelDirectory])
}
let loaded = try ModelLoader.load(path: modelDirectory)
let matrix = loaded.matrix
let cores = ProcessInfo.processInfo.activeProcessorCount
say("model \(modelDirectory): \(matrix.rows) × \(matrix.columns) \(matrix.format.rawValue), \(matrix.byteCount / 1_000_000) MB; \(cores) cores")

// Warm the page cache: the figures are for a W already read once, as in the notebooks' sessions.
_ = SHA256.hex(matrix.bytes)
let out = scratch + "/out"
try? FileManager.default.removeItem(atPath: out)

say("\n## Commands (tokenscope binary, best of \(options.repeats), page cache warm)")
var peak = 0
let extract = try best(options.repeats) {
    let r = try run(tokenscope, ["extract", modelDirectory, "--out", out])
    peak = max(peak, r.peakBytes)
    return r.seconds
}
say("extract (W.safetensors, \(matrix.byteCount / 1_000_000) MB)  \(format(extract))")
let w = out + "/W.safetensors"
var clustersPeak = 0
let clusters = try best(options.repeats) {
    let r = try run(tokenscope, ["clusters", w, "--out", out])
    clustersPeak = r.peakBytes
    return r.seconds
}
let core = try best(options.repeats) {
    try run(tokenscope, ["core", w, "--clusters", out + "/1.4h_cluster_tokens.safetensors", "--out", out]).seconds
}
say("clusters, every row (T = 0.002)     \(format(clusters))")
say("core (1.11a/h/i)                    \(format(core))")
say("census = clusters + core            \(format(clusters + core))")
say(String(format: "peak resident memory: %.0f MB (the mapped W is %.0f MB of it)", Double(clustersPeak) / 1e6, Double(matrix.byteCount) / 1e6))

say("\n## Against the notebook method (numpy, same machine, same run)")
let baselineScript = FileManager.default.currentDirectoryPath + "/scripts/bench/notebook_baseline.py"
var baselineCandidates = 20_373
if let python = ["/usr/bin/python3", "/usr/local/bin/python3", "/root/.pyenv/shims/python3"].first(where: FileManager.default.isExecutableFile) {
    do {
        let r = try run(python, [baselineScript, w, "--candidates", String(baselineCandidates)])
        let json = try JSONParser().parse(Array(r.stdout.utf8))
        let total = json["total_s"]?.doubleValue ?? 0
        say("numpy: \(baselineCandidates) rows → n×n distances → threshold → components: \(format(total)) "
            + "(distances \(format(json["distances_s"]?.doubleValue ?? 0))), edges \(json["edges"]?.intValue ?? -1), giant \(json["giant"]?.intValue ?? -1)")
    } catch {
        say("numpy baseline unavailable (\(error)); needs numpy and scipy")
    }
} else {
    say("numpy baseline unavailable: no python3")
}
// TokenScope on the same candidates: the 20,373 rows of smallest norm.
let norms = (0..<matrix.rows).map { row -> (Double, Int) in
    var sum = 0.0
    for c in 0..<matrix.columns { let x = Double(matrix.element(row, c)); sum += x * x }
    return (sum, row)
}
let candidates = norms.sorted { $0 < $1 }.prefix(baselineCandidates).map(\.1).sorted()
let (sameCandidates, sameTime) = seconds { ClusterCensus(matrix: matrix, candidates: candidates) }
say("tokenscope on the same \(candidates.count) rows:            \(format(sameTime)), edges \(sameCandidates.edgeCount), giant \(sameCandidates.giant?.tokens.count ?? 0)")

say("\n## Scaling with V (census in-process, T = 0.002)")
for rows in [10_000, 20_000, 40_000, 80_000, matrix.rows] where rows <= matrix.rows {
    let t = best(options.quick ? 1 : 2) { seconds { ClusterCensus(matrix: matrix, candidates: Array(0..<rows)) }.1 }
    say(String(format: "V = %7d  %@", rows, format(t)))
}

say("\n## Scaling with the threshold (every row)")
for threshold in [0.001, 0.002, 0.005, 0.01, 0.02] as [Float] {
    let (census, t) = seconds { ClusterCensus(matrix: matrix, parameters: ClusterParameters(threshold: threshold)) }
    say(String(format: "T = %.3f  %@  edges %d, components %d", threshold, format(t), census.edgeCount, census.components.count))
}

say("\n## Threads (census, every row)")
for threads in Array(Set([1, 2, cores])).sorted() {
    Parallel.threadCount = threads
    let (_, t) = seconds { ClusterCensus(matrix: matrix) }
    say(String(format: "%2d threads  %@", threads, format(t)))
}
