// The figures of issue 9's kernels, reachability and 1.4b items: each row kernel on every SIMD path
// this processor has, the `reachability` command on the Qwen3 tokenizer, and the 1.4b distances of
// the 20,373-row box against numpy's matrix product in the same run.
import Foundation
import TokenScope

func kernelBenchmarks(matrix: Matrix, modelDirectory: String, tokenizer: String) throws {
    let paths = Array(Set(SIMDPath.allCases.map(\.usable))).sorted { $0.rawValue < $1.rawValue }
    say("\n## Row kernels per SIMD path (best: \(SIMDPath.best); 1 thread unless stated)")
    let gigabytes = Double(matrix.byteCount) / 1e9
    if matrix.format == .bf16 {
        let pairs = min(matrix.rows - 1, 60_000)
        for path in paths {
            let kernels = RowKernels<FloatConversion.BF16>(columns: matrix.columns, path: path)
            var sink = 0.0
            let distance = best(options.repeats) {
                seconds { for r in 0..<pairs { sink += kernels.squaredDistance(matrix.rowPointer(r), matrix.rowPointer(r + 1)) } }.1
            }
            let hash = best(options.repeats) {
                seconds { for r in 0..<pairs { sink += Double(kernels.finiteHash(matrix.rowPointer(r)) ?? 0 & 1) } }.1
            }
            var row = [Float](repeating: 0, count: matrix.columns)
            let widen = best(options.repeats) {
                seconds { for r in 0..<pairs { FloatConversion.widen(matrix.rowPointer(r), format: .bf16, count: matrix.columns, into: &row, path: path) } }.1
            }
            let rowBytes = Double(pairs * matrix.rowBytes) / 1e9
            let norms = best(options.repeats) { seconds { RowNorms(matrix: matrix, path: path) }.1 }
            let groups = best(options.repeats) { seconds { IdenticalRows(matrix: matrix, path: path) }.1 }
            say(String(format: "%@: distance %.1f GB/s, hash %.1f GB/s, widen %.1f GB/s; every row (%d threads): norms %@, identical rows %@%@",
                       path.description.padding(toLength: 8, withPad: " ", startingAt: 0),
                       2 * rowBytes / distance, rowBytes / hash, rowBytes / widen, Parallelism.allCores.threads,
                       format(norms), format(groups), sink.isNaN ? "" : ""))
        }
        say(String(format: "(one pass over W is %.2f GB)", gigabytes))
    }

    if FileManager.default.fileExists(atPath: tokenizer) {
        say("\n## reachability command (Qwen3 tokenizer.json, best of \(options.repeats))")
        let out = scratch + "/reachability"
        let full = try best(options.repeats) { try run(tokenscope, ["reachability", tokenizer, "--out", out, "--quiet"]).seconds }
        let bare = try best(options.repeats) {
            try run(tokenscope, ["reachability", tokenizer, "--out", out, "--quiet", "--no-witnesses"]).seconds
        }
        say("reachability, witnesses included    \(format(full))")
        say("reachability --no-witnesses          \(format(bare))")
    }

    say(String(format: "\n## 1.4b distances of the 20,373-row box (Gram form, exact below 4 T = %.4g)", DistanceStage.defaultExactBelow))
    let norms = RowNorms(matrix: matrix).norms
    let box = norms.indices.sorted { (norms[$0], $0) < (norms[$1], $1) }.prefix(20_373).sorted()
    let n = box.count
    let buffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: n * n)
    defer { buffer.deallocate() }
    let (counts, gramTime) = seconds {
        PairwiseDistances.fill(matrix: matrix, rows: box, into: buffer, exactBelow: DistanceStage.defaultExactBelow)
    }
    let threshold = ClusterParameters().threshold
    var below = 0
    for i in 0..<n { for j in (i + 1)..<n where buffer[i * n + j] < threshold { below += 1 } }
    let census = ClusterCensus(matrix: matrix, candidates: box)
    say(String(format: "tokenscope (%@, %d threads): %@; %d of %d pairs recomputed exactly; %d pairs below T (exact kernel's census: %d edges)",
               SIMDPath.best.description, Parallelism.allCores.threads, format(gramTime), counts.exactPairs, counts.pairs, below, census.edgeCount))
    guard let python else { say("numpy baseline unavailable: no python3"); return }
    // numpy in the same run, with the OpenBLAS overrides of this machine unset for that command alone.
    let w = scratch + "/kernels/W.safetensors"
    if !FileManager.default.fileExists(atPath: w) { try run(tokenscope, ["extract", modelDirectory, "--out", scratch + "/kernels"]) }
    let arguments = ["-u", "OPENBLAS_CORETYPE", "-u", "OPENBLAS_L2_SIZE", python,
                     FileManager.default.currentDirectoryPath + "/scripts/bench/notebook_baseline.py", w, "--candidates", String(n)]
    if let r = try? run("/usr/bin/env", arguments), let json = try? JSONParser().parse(Array(r.stdout.utf8)) {
        say("numpy \(json["numpy"]?.stringValue ?? "?") (X @ X.T, OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset): distances "
            + "\(format(json["distances_s"]?.doubleValue ?? 0)), edges \(json["edges"]?.intValue ?? -1)")
    } else {
        say("numpy baseline unavailable (needs numpy and scipy)")
    }
}
