import Foundation

extension Tokenizer {
    /// Loads a tiktoken rank file (`<base64 token> <rank>` per line) as a byte-level BPE tokenizer:
    /// `pattern` splits the text, ranks are ids, and merging two adjacent parts has the rank of
    /// their concatenation (tiktoken's rule); a pre-token found whole in the ranks is one token.
    /// `specialTokens` become special added tokens matched in the raw text.
    public static func tiktoken(path: String, pattern: String, specialTokens: [String: Int] = [:]) throws -> Tokenizer {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw TokenizerError(file: path, component: "", problem: .unreadable(error.localizedDescription))
        }
        var rawTable = ByteTable(capacity: 1 << 17)
        var tokens: [[UInt8]?] = []
        var lineNumber = 0
        for line in data.split(separator: 0x0A, omittingEmptySubsequences: false) {
            lineNumber += 1
            var line = Array(line)
            if line.last == 0x0D { line.removeLast() }
            if line.isEmpty { continue }
            let fields = line.split(separator: 0x20)
            guard fields.count == 2, let rank = Int(String(decoding: fields[1], as: UTF8.self)), rank >= 0, rank < Vocabulary.maxID,
                  let bytes = Data(base64Encoded: Data(fields[0])) else {
                throw TokenizerError(file: path, component: "line \(lineNumber)", reason: "expected \"<base64> <rank>\"")
            }
            let b = Array(bytes)
            if b.withUnsafeBufferPointer({ rawTable.insert($0, value: rank) }) != nil {
                throw TokenizerError(file: path, component: "line \(lineNumber)", reason: "token given twice")
            }
            if rank >= tokens.count { tokens.append(contentsOf: [[UInt8]?](repeating: nil, count: rank + 1 - tokens.count)) }
            if tokens[rank] != nil {
                throw TokenizerError(file: path, component: "line \(lineNumber)", reason: "rank \(rank) given twice")
            }
            tokens[rank] = b
        }
        var table = ByteTable(capacity: tokens.count)
        var strings = [String?](repeating: nil, count: tokens.count)
        var merges = PairTable(capacity: tokens.count * 2)
        for (rank, t) in tokens.enumerated() {
            guard let t else { continue }
            let s = ByteLevelAlphabet.encode(t)
            strings[rank] = s
            table.insert(s, value: rank)
            if t.count < 2 { continue }
            t.withUnsafeBufferPointer { p in
                for cut in 1..<t.count {
                    if let l = rawTable.find(UnsafeBufferPointer(rebasing: p[0..<cut])),
                       let r = rawTable.find(UnsafeBufferPointer(rebasing: p[cut...])) {
                        merges.set(Int32(l), Int32(r), rank: Int32(rank), id: Int32(rank))
                    }
                }
            }
        }
        let model = BPEModel(vocab: Vocabulary(table: table, tokens: strings), merges: merges, unkID: nil,
                             continuingSubwordPrefix: nil, endOfWordSuffix: nil, fuseUnk: false,
                             byteFallback: false, ignoreMerges: true)
        // tiktoken's patterns are read by Rust's fancy-regex, whose syntax ICU shares (possessive
        // `{n,m}+`, `$` at the end of the text), so no Oniguruma rewriting here.
        let split: ScalarPattern
        let limits = PatternLimits()
        if let known = KnownPatternScanner(pattern: pattern) {
            split = known
        } else {
            do {
                split = try PatternFactory.$limits.withValue(limits) { try FoundationRegexPattern(pattern, component: "pattern") }
            } catch {
                throw TokenizerError(file: path, component: "pattern", problem: .invalidPattern(pattern: pattern, message: "\(error)"))
            }
        }
        let pre = SequencePreTokenizer(stages: [
            SplitPreTokenizer(pattern: split, behavior: .isolated),
            ByteLevelPreTokenizer(addPrefixSpace: false, useRegex: false),
        ])
        let added = specialTokens.sorted { $0.value < $1.value }.map {
            AddedToken(content: $0.key, id: $0.value, special: true, normalized: false)
        }
        return Tokenizer(normalizer: nil, preTokenizer: pre, model: model, decoder: ByteLevelDecoder(), addedTokens: added, keepAddedIDs: true,
                         patternLimits: limits)
    }
}
