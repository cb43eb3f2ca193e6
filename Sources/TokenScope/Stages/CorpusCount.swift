import Foundation
import Geometry
import Tokenizers

/// Token frequencies over text files, read from disk piece by piece and encoded in parallel
/// (the research's "tokenise Thai Wikipedia" test: which entries never occur).
public enum CorpusCount {
    public struct Result: Sendable {
        public var counts: [Int]
        public var bytes: Int
        public var tokens: Int
        public var neverSeen: [Int] { counts.indices.filter { counts[$0] == 0 } }
    }

    /// Pieces are cut at line ends, about `pieceBytes` long, so each is encoded as its own text:
    /// a token spanning a line end would need the whole file in memory, which this avoids.
    public static func run(tokenizer: Tokenizer, files: [String], pieceBytes: Int = 1 << 20,
                           parallelism: Parallelism = .allCores, progress: ((String, Double) -> Void)? = nil) throws -> Result {
        let total = try files.reduce(0) { sum, path in
            guard let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int else {
                throw StageError.unreadableInput(path: path, reason: "cannot read its size")
            }
            return sum + size
        }
        var counts = [Int](repeating: 0, count: tokenizer.idCount)
        var read = 0, tokens = 0
        for path in files {
            guard let handle = FileHandle(forReadingAtPath: path) else { throw StageError.unreadableInput(path: path, reason: "cannot open") }
            defer { try? handle.close() }
            var carry = Data()
            while true {
                // A batch of pieces per round, a few per thread, encoded in parallel; the pieces are cut
                // where they would be without rounds, so the counts do not depend on the threads.
                var pieces: [Data] = []
                var finished = false
                while pieces.count < parallelism.threads * 4 {
                    let chunk = handle.readData(ofLength: pieceBytes)
                    if chunk.isEmpty { finished = true; break }
                    read += chunk.count
                    carry.append(chunk)
                    if let cut = carry.lastIndex(of: 0x0A) {
                        pieces.append(carry[carry.startIndex...cut])
                        carry = Data(carry[(cut + 1)...])
                    }
                }
                if finished, !carry.isEmpty { pieces.append(carry); carry = Data() }
                let partial = parallelism.map(chunks: pieces.count) { i -> [Int] in
                    tokenizer.encode(String(decoding: pieces[i], as: UTF8.self))
                }
                if let error = tokenizer.patternLimitError { throw error }
                for ids in partial {
                    tokens += ids.count
                    for id in ids where id >= 0 && id < counts.count { counts[id] += 1 }
                }
                progress?("counting tokens in \(path)", total > 0 ? Double(read) / Double(total) : 1)
                if finished { break }
            }
        }
        return Result(counts: counts, bytes: read, tokens: tokens)
    }
}
