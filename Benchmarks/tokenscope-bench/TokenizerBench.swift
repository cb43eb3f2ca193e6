// The tokenizer figures: they need no model. The Qwen3 tokenizer of ../shared/data and a corpus of
// Python source, against Hugging Face `tokenizers` in the same run.
import Foundation
import TokenScope

func tokenizerBenchmarks() throws {
    guard FileManager.default.fileExists(atPath: qwenTokenizer) else { return }
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
    let loadTime = best(options.repeats) { seconds { try? Tokenizer(path: qwenTokenizer) }.1 }
    let tokenizer = try Tokenizer(path: qwenTokenizer)
    let (trip, tripTime) = seconds { RoundTrip.run(tokenizer) }
    let tripBest = min(tripTime, best(options.repeats - 1) { seconds { RoundTrip.run(tokenizer) }.1 })
    let (witnesses, witnessTime) = seconds { WitnessSearch.run(tokenizer, roundTrip: trip) }
    let (records, recordTime) = seconds { TokenTable.records(tokenizer, roundTrip: trip, witnesses: witnesses) }
    let (_, csvTime) = seconds { TokenTable.csv(records) }
    var encodeLine = "encode: no corpus"
    var countLines: [String] = []
    if let data = FileManager.default.contents(atPath: corpus) {
        let text = String(decoding: data, as: UTF8.self)
        let (ids, encodeTime) = seconds { tokenizer.encode(text) }
        encodeLine = String(format: "encode, 1 thread: %.1f MB/s (%d tokens from %.1f MB of Python source)",
                            Double(data.count) / 1e6 / encodeTime, ids.count, Double(data.count) / 1e6)
        for threads in Array(Set([1, 2, ProcessInfo.processInfo.activeProcessorCount])).sorted() {
            let t = seconds {
                try? CorpusCount.run(tokenizer: tokenizer, files: [corpus], pieceBytes: 256 << 10, parallelism: Parallelism(threads: threads))
            }.1
            countLines.append(String(format: "count, %2d threads: %.1f MB/s", threads, Double(data.count) / 1e6 / t))
        }
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
