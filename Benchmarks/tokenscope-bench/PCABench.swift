// Issue 9's figures on the realistic preset (Qwen3-4B shape, trained-like spectrum): skymap,
// survey and extract as the binary runs them, the digest cache cold and warm, numpy's covariance +
// eigh in the same run, the principal axes in-process per SIMD path and thread count, and how the
// time grows as the PC2–PC3 gap shrinks.
import Foundation
import TokenScope

func cpuModel() -> String {
    let info = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
    let line = info.split(separator: "\n").first { $0.hasPrefix("model name") }
    return line.map { $0.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "?" } ?? "unknown CPU"
}

/// The realistic model with this PC2–PC3 gap, generated once and kept.
func realisticModel(gap: Double) throws -> String {
    let directory = gap == 0.02 ? (options.model ?? scratch + "/realistic") : scratch + "/realistic-gap-\(gap)"
    if !FileManager.default.fileExists(atPath: directory + "/truth.json") {
        say("generating the realistic synthetic model (gap \(gap)) in \(directory) (once)…")
        try run(tokenscope, ["synth", "--preset", "realistic", "--gap", String(gap), "--out", directory])
    }
    return directory
}

/// Sine of the angle between two unit vectors, as ‖a − (a·b) b‖ (1 − c² loses it to rounding).
func sine(_ a: [Double], _ b: [Double]) -> Double {
    let c = zip(a, b).reduce(0) { $0 + $1.0 * $1.1 }
    return zip(a, b).reduce(0) { $0 + ($1.0 - c * $1.1) * ($1.0 - c * $1.1) }.squareRoot()
}

func describe(_ axes: PrincipalAxes) -> String {
    let e = axes.eigenvalues
    var gaps: [Double] = []
    for i in 1..<e.count { gaps.append((e[i - 1] - e[i]) / e[i - 1]) }
    let bounds: String = axes.errorBounds.map { String(format: "%.1e", $0) }.joined(separator: " ")
    let neighbours: String = gaps.map { String(format: "%.2f %%", 100 * $0) }.joined(separator: " ")
    let unresolved: String = axes.unresolved.isEmpty ? "" : ", unresolved " + axes.unresolved.map { "\($0.components)" }.joined(separator: " ")
    let sample = axes.passLog.count - axes.passes
    return "\(axes.singlePrecisionPasses) single + \(axes.passes - axes.singlePrecisionPasses) double passes + \(sample) sample, "
        + "bounds \(bounds), neighbour gaps \(neighbours)\(unresolved)"
}

func pcaBenchmarks() throws {
    let model = try realisticModel(gap: 0.02)
    let loaded = try ModelLoader.load(path: model)
    let matrix = loaded.matrix
    say("## Principal axes and sky map (issue 9): realistic preset")
    say("model \(model): \(matrix.rows) × \(matrix.columns) \(matrix.format.rawValue), \(matrix.byteCount / 1_000_000) MB")
    let load = ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "?").split(separator: " ").prefix(3).joined(separator: " ")
    say("CPU \(cpuModel()), \(ProcessInfo.processInfo.activeProcessorCount) cores, SIMD path \(SIMDPath.best), load average \(load)")
    _ = SHA256.hex(matrix.bytes)  // page cache warm
    let mapped = Double(matrix.byteCount) / 1e6

    // A digest cache of our own, emptied first: the first command pays for the digests.
    let cache = scratch + "/digest-cache"
    try? FileManager.default.removeItem(atPath: cache)
    let environment: [String: String?] = ["TOKENSCOPE_CACHE_DIR": cache, "TOKENSCOPE_NO_CACHE": nil]
    let out = scratch + "/pca-out"
    try? FileManager.default.removeItem(atPath: out)
    let coldExtract = try run(tokenscope, ["extract", model, "--out", out], environment: environment)
    var cpu = Double.infinity
    let extract = try best(options.repeats) {
        let r = try run(tokenscope, ["extract", model, "--out", out], environment: environment)
        cpu = min(cpu, r.cpuSeconds)
        return r.seconds
    }
    say("extract                 \(format(coldExtract.seconds)) (CPU \(format(coldExtract.cpuSeconds))) digest cache empty; "
        + "\(format(extract)) (CPU \(format(cpu))) cache warm (best of \(options.repeats))")
    var skymapPeak = 0
    cpu = .infinity
    let skymap = try best(options.repeats) {
        let r = try run(tokenscope, ["skymap", model, "--out", out + "/sky"], environment: environment)
        skymapPeak = r.peakBytes
        cpu = min(cpu, r.cpuSeconds)
        return r.seconds
    }
    say("skymap                  \(format(skymap)) (CPU \(format(cpu)))  (best of \(options.repeats))")
    say(String(format: "skymap's peak resident memory: %.0f MB, the mapped W %.0f MB: %.0f MB beyond",
               Double(skymapPeak) / 1e6, mapped, Double(skymapPeak) / 1e6 - mapped))
    var surveyArguments = ["survey", model, "--out", out + "/survey", "--no-extract"]
    let qwen = FileManager.default.currentDirectoryPath + "/../shared/data/qwen3-tokenizer/tokenizer.json"
    if FileManager.default.fileExists(atPath: qwen) { surveyArguments += ["--tokenizer", qwen] }
    cpu = .infinity
    let survey = try best(min(options.repeats, 2)) {
        let r = try run(tokenscope, surveyArguments, environment: environment)
        cpu = min(cpu, r.cpuSeconds)
        return r.seconds
    }
    if let data = FileManager.default.contents(atPath: out + "/survey/survey.json"), let json = try? JSONParser().parse(Array(data)) {
        for member in json["timings_seconds"]?.objectValue ?? [] {
            say("  \(member.key.padding(toLength: 60, withPad: " ", startingAt: 0)) \(format(member.value.doubleValue ?? 0))")
        }
    }
    say("survey, every stage     \(format(survey)) (CPU \(format(cpu)))  (digest cache warm)")

    // In-process: the axes per path and thread count (identical bits expected), and numpy's.
    let cpuBefore = cpuSeconds()
    let threads = Parallelism.allCores.threads
    let (axes, pcaTime) = try seconds { try PrincipalAxes(matrix: matrix) }
    say("principal axes, \(axes.simdPath), \(threads) threads: \(format(pcaTime)) (CPU \(format(cpuSeconds() - cpuBefore))); "
        + describe(axes))
    let (single, singleTime) = try seconds { try PrincipalAxes(matrix: matrix, parallelism: .serial) }
    say("principal axes, 1 thread: \(format(singleTime)); identical bits to \(threads) threads: \(single.axes == axes.axes && single.projections == axes.projections)")
    if SIMDPath.best == .avx512 {
        let (avx2, avx2Time) = try seconds { try PrincipalAxes(matrix: matrix, path: .avx2) }
        say("principal axes, AVX2+FMA: \(format(avx2Time)); identical bits to AVX-512: \(avx2.axes == axes.axes && avx2.projections == axes.projections)")
    }
    if let python {
        let w = out + "/W.safetensors", saved = out + "/numpy-axes.f64"
        do {
            // This machine's OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE settings are removed for numpy's run.
            let r = try run(python, [FileManager.default.currentDirectoryPath + "/scripts/bench/notebook_baseline.py", w, "--pca-only",
                                     "--save-axes", saved], environment: ["OPENBLAS_CORETYPE": nil, "OPENBLAS_L2_SIZE": nil])
            let json = try JSONParser().parse(Array(r.stdout.utf8))
            say("numpy covariance + eigh + projection (float32, OPENBLAS_* unset): \(format(json["pca_and_projection_s"]?.doubleValue ?? 0)), "
                + "load \(format(json["load_f32_s"]?.doubleValue ?? 0))")
            if let data = FileManager.default.contents(atPath: saved), data.count == 3 * matrix.columns * 8 {
                let values = data.withUnsafeBytes { Array($0.bindMemory(to: Double.self)) }
                let angles = (0..<3).map { k in sine(axes.axes[k], Array(values[(k * matrix.columns)..<((k + 1) * matrix.columns)])) }
                say("angle between TokenScope's and numpy's axes (sine): " + angles.map { String(format: "%.1e", $0) }.joined(separator: " ")
                    + " (numpy's float32 covariance carries its own rounding)")
            }
        } catch {
            say("numpy baseline unavailable (\(error))")
        }
    }

    say("\n## Principal axes as the PC2–PC3 gap shrinks (in-process, realistic preset, \(SIMDPath.best))")
    for gap in [0.1, 0.02, 0.001] {
        let directory = try realisticModel(gap: gap)
        let m = try ModelLoader.load(path: directory).matrix
        _ = SHA256.hex(m.bytes)
        let before = cpuSeconds()
        let (a, t) = try seconds { try PrincipalAxes(matrix: m) }
        say(String(format: "planted gap %5.1f %%: %@ (CPU %@); ", 100 * gap, format(t), format(cpuSeconds() - before)) + describe(a))
    }
    say("")
}
