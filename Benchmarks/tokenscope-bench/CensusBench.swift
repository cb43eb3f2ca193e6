// The census figures: the headline commands as the `tokenscope` binary, the notebook method in numpy
// on the same candidates, the whole survey, and how the census grows with V, the threshold and threads.
import Foundation
import TokenScope

/// The model every census and kernel figure is measured on, mapped once, page cache warm.
struct BenchModel {
    let directory: String
    let matrix: Matrix
}

/// The model: given, or the qwen3-4b synthetic model, generated once and kept.
func loadBenchModel() throws -> BenchModel {
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
    try? FileManager.default.removeItem(atPath: scratch + "/out")
    return BenchModel(directory: modelDirectory, matrix: matrix)
}

func censusBenchmarks(_ model: BenchModel) throws {
    let modelDirectory = model.directory, matrix = model.matrix
    let cores = ProcessInfo.processInfo.activeProcessorCount
    let out = scratch + "/out"
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
        let (_, t) = seconds { ClusterCensus(matrix: matrix, parallelism: Parallelism(threads: threads)) }
        say(String(format: "%2d threads  %@", threads, format(t)))
    }
}
