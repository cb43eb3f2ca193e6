// tokenscope-bench: the figures of BENCHMARKS.md, each printed beside its baseline measured in the
// same run. Run in release: `swift run -c release tokenscope-bench [--model DIR] [--quick]`.
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

struct Options {
    var model: String?
    var quick = false
    var repeats = 3
    /// "tokenizer", "census" or "pca": run one part only.
    var only: String?

    init(_ arguments: [String]) {
        var i = 1
        while i < arguments.count {
            switch arguments[i] {
            case "--model": i += 1; model = arguments[i]
            case "--quick": quick = true; repeats = 1
            case "--repeats": i += 1; repeats = Int(arguments[i]) ?? 3
            case "--only": i += 1; only = arguments[i]
            default: print("usage: tokenscope-bench [--model DIR] [--quick] [--repeats N] [--only tokenizer|census|kernels|neighbours|pca]"); exit(2)
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
func run(_ executable: String, _ arguments: [String], quiet: Bool = true,
         environment: [String: String?] = [:]) throws -> (seconds: Double, peakBytes: Int, stdout: String, cpuSeconds: Double) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if !environment.isEmpty {
        // nil removes a variable from the child's environment.
        var merged = ProcessInfo.processInfo.environment
        for (key, value) in environment { merged[key] = value }
        process.environment = merged
    }
    let pipe = Pipe()
    process.standardOutput = pipe
    if quiet { process.standardError = FileHandle.nullDevice }
    let childrenBefore = cpuSeconds(children: true)
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
    return (wall, peak, output, cpuSeconds(children: true) - childrenBefore)
}

/// User + system seconds of this process (RUSAGE_SELF) or of its finished children: on a shared,
/// busy machine the CPU time is the steadier figure.
func cpuSeconds(children: Bool = false) -> Double {
    var usage = rusage()
    #if os(Linux)
    getrusage(children ? RUSAGE_CHILDREN.rawValue : RUSAGE_SELF.rawValue, &usage)
    #else
    getrusage(children ? RUSAGE_CHILDREN : RUSAGE_SELF, &usage)
    #endif
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

// Tokenizer figures first: they need no model. The Qwen3 tokenizer of ../shared/data, and a corpus
// of Python source (the standard library's .py files), the text HF's throughput is usually quoted on.
let qwenTokenizer = FileManager.default.currentDirectoryPath + "/../shared/data/qwen3-tokenizer/tokenizer.json"
if options.only == nil || options.only == "tokenizer", FileManager.default.fileExists(atPath: qwenTokenizer) {
    say("## Tokenizer (Qwen3 tokenizer.json, \(ProcessInfo.processInfo.activeProcessorCount) cores)")
    try? FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    let corpus = scratch + "/python-source.txt"
    if !FileManager.default.fileExists(atPath: corpus), let python {
        let stdlib = try run(python, ["-c", "import sysconfig; print(sysconfig.get_paths()['stdlib'])"]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: stdlib)) ?? []).filter { $0.hasSuffix(".py") }.sorted()
        var text = Data()
        for file in files { text += FileManager.default.contents(atPath: stdlib + "/" + file) ?? Data() }
        try text.write(to: URL(fileURLWithPath: corpus))
    }
    let loadTime = best(options.repeats) { seconds { try? Tokenizer(contentsOf: URL(fileURLWithPath: qwenTokenizer)) }.1 }
    let tokenizer = try Tokenizer(contentsOf: URL(fileURLWithPath: qwenTokenizer))
    let (trip, tripTime) = seconds { roundTrip(tokenizer) }
    let tripBest = min(tripTime, best(options.repeats - 1) { seconds { roundTrip(tokenizer) }.1 })
    let (witnesses, witnessTime) = seconds { searchWitnesses(tokenizer, roundTrip: trip) }
    let (records, recordTime) = seconds { tokenRecords(tokenizer, roundTrip: trip, witnesses: witnesses) }
    let (_, csvTime) = seconds { tokenTableCSV(records) }
    var encodeLine = "encode: no corpus"
    var countLines: [String] = []
    if let data = FileManager.default.contents(atPath: corpus) {
        let text = String(decoding: data, as: UTF8.self)
        let previous = Parallel.threadCount
        Parallel.threadCount = 1
        let (ids, encodeTime) = seconds { tokenizer.encode(text) }
        encodeLine = String(format: "encode, 1 thread: %.1f MB/s (%d tokens from %.1f MB of Python source)",
                            Double(data.count) / 1e6 / encodeTime, ids.count, Double(data.count) / 1e6)
        for threads in Array(Set([1, 2, ProcessInfo.processInfo.activeProcessorCount])).sorted() {
            Parallel.threadCount = threads
            let t = seconds { try? CorpusCount.run(tokenizer: tokenizer, files: [corpus], pieceBytes: 256 << 10) }.1
            countLines.append(String(format: "count, %2d threads: %.1f MB/s", threads, Double(data.count) / 1e6 / t))
        }
        Parallel.threadCount = previous
    }
    say("load tokenizer.json                  \(format(loadTime))")
    say("round trip of \(trip.idCount) ids        \(format(tripBest))  (\(trip.unreachable.count) unreachable)")
    say("witness search (\(trip.unreachable.count) tokens)       \(format(witnessTime))  (\(witnesses.reachableInContext.count) found in context)")
    say("per-token table (readable, script)   \(format(recordTime)), CSV \(format(csvTime))")
    say(encodeLine)
    for line in countLines { say(line) }
    if let python {
        do {
            let r = try run(python, [FileManager.default.currentDirectoryPath + "/scripts/bench/tokenizer_baseline.py", qwenTokenizer, corpus])
            let json = try JSONParser().parse(Array(r.stdout.utf8))
            let mb = json["encode_mb"]?.doubleValue ?? 0, s = json["encode_s"]?.doubleValue ?? 1
            say("HF tokenizers \(json["tokenizers"]?.stringValue ?? "?"): load \(format(json["load_s"]?.doubleValue ?? 0)), "
                + "round trip \(format(json["round_trip_s"]?.doubleValue ?? 0)) (\(json["unreachable"]?.intValue ?? -1) unreachable), "
                + String(format: "encode %.1f MB/s", mb / s))
        } catch {
            say("HF tokenizers baseline unavailable (\(error)); pip install tokenizers==0.23.3")
        }
    }
    say("")
}

if options.only == "tokenizer" { exit(0) }

// Principal axes, sky map, survey, extract and digests on the realistic preset (PCABench.swift).
if options.only == nil || options.only == "pca" { try pcaBenchmarks() }
if options.only == "pca" { exit(0) }

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

if options.only == "neighbours" { neighbourBenchmarks(matrix: matrix); exit(0) }
if options.only == "kernels" { try kernelBenchmarks(matrix: matrix, modelDirectory: modelDirectory, tokenizer: qwenTokenizer); exit(0) }
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
let baselineCandidates = 20_373
var notebookPipeline: Double?
if let python {
    do {
        let r = try run(python, [baselineScript, w, "--candidates", String(baselineCandidates), "--pca"])
        let json = try JSONParser().parse(Array(r.stdout.utf8))
        let total = json["total_s"]?.doubleValue ?? 0
        say("numpy: \(baselineCandidates) rows → n×n distances → threshold → components: \(format(total)) "
            + "(distances \(format(json["distances_s"]?.doubleValue ?? 0))), edges \(json["edges"]?.intValue ?? -1), giant \(json["giant"]?.intValue ?? -1)")
        let norms = json["norms_s"]?.doubleValue ?? 0, pca = json["pca_and_projection_s"]?.doubleValue ?? 0
        say("numpy maps: norms \(format(norms)), covariance + eigh + projection \(format(pca))")
        notebookPipeline = total + norms + pca
    } catch {
        say("numpy baseline unavailable (\(error)); needs numpy and scipy")
    }
} else {
    say("numpy baseline unavailable: no python3")
}
// TokenScope on the same candidates: the 20,373 rows of smallest norm.
let rowNorms = RowNorms(matrix: matrix).norms
let candidates = rowNorms.indices.sorted { (rowNorms[$0], $0) < (rowNorms[$1], $1) }.prefix(baselineCandidates).sorted()
let (sameCandidates, sameTime) = seconds { ClusterCensus(matrix: matrix, candidates: candidates) }
say("tokenscope on the same \(candidates.count) rows:            \(format(sameTime)), edges \(sameCandidates.edgeCount), giant \(sameCandidates.giant?.tokens.count ?? 0)")

say("\n## The whole survey (tokenscope survey, every stage, Qwen3 tokenizer when present)")
var surveyArguments = ["survey", modelDirectory, "--out", out + "/survey", "--no-extract"]
if FileManager.default.fileExists(atPath: qwenTokenizer) { surveyArguments += ["--tokenizer", qwenTokenizer] }
let surveyTime = try best(min(options.repeats, 2)) { try run(tokenscope, surveyArguments).seconds }
if let data = FileManager.default.contents(atPath: out + "/survey/survey.json"), let json = try? JSONParser().parse(Array(data)) {
    for member in json["timings_seconds"]?.objectValue ?? [] {
        say("  \(member.key.padding(toLength: 44, withPad: " ", startingAt: 0)) \(format(member.value.doubleValue ?? 0))")
    }
}
say("survey, every stage                  \(format(surveyTime))"
    + (notebookPipeline.map { "   (notebook method, maps + 1.4b–1.4h on the box only: \(format($0)))" } ?? ""))

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

if options.only == nil { try kernelBenchmarks(matrix: matrix, modelDirectory: modelDirectory, tokenizer: qwenTokenizer) }
