import TokenScopeCore

/// The outcome of the round trip over every id of a tokenizer (notebook 1.8c/1.8d).
///
/// A token is reachable iff `encode(decode([id])) == [id]`, decoding with special tokens kept.
/// The test is one-sided: a token that fails may still appear inside longer text (see
/// ``WitnessSearch/run(_:for:bounds:chunks:parallelism:)``). An id no token holds (a gap in the vocabulary's
/// ids) is in neither list: it is a "no token" id, as the rows of W past the tokenizer are.
public struct RoundTripResult: Sendable, Equatable {
    /// Number of ids tested (`0..<idCount`).
    public let idCount: Int
    /// The category of every id, indexed by id.
    public let categories: [TokenCategory]
    /// The length of `encode(decode([id]))` for every id, indexed by id.
    public let reencodingLengths: [Int]
    /// Ids that pass the round trip, ascending.
    public let reachable: [Int]
    /// Ids that fail the round trip, ascending.
    public let unreachable: [Int]
    /// The re-encoding of each id of `unreachable`, in the same order.
    public let unreachableReencodings: [[Int]]
    /// Ids that no token holds, ascending.
    public let noTokenIDs: [Int]

    /// The re-encoding of an unreachable id, or nil for a reachable or unknown id.
    /// - Complexity: O(log n) in the number of unreachable ids.
    public func reencoding(of id: Int) -> [Int]? {
        var low = 0, high = unreachable.count
        while low < high {
            let mid = (low + high) / 2
            if unreachable[mid] < id { low = mid + 1 } else { high = mid }
        }
        return low < unreachable.count && unreachable[low] == id ? unreachableReencodings[low] : nil
    }

    /// How many ids fall in each category.
    /// - Complexity: O(n); callers that need several counts take this once.
    public var categoryCounts: [TokenCategory: Int] {
        // Counted by raw value: a dictionary update per id showed in the command's profile.
        var byRawValue = [Int](repeating: 0, count: TokenCategory.allCases.count)
        for c in categories { byRawValue[Int(c.rawValue)] += 1 }
        var counts: [TokenCategory: Int] = [:]
        for c in TokenCategory.allCases where byRawValue[Int(c.rawValue)] > 0 { counts[c] = byRawValue[Int(c.rawValue)] }
        return counts
    }
}

/// The round trip of every id of a tokenizer (notebook 1.8c/1.8d).
public enum RoundTrip {
    /// Runs the round trip over every id `0..<codec.idCount`, in parallel over contiguous chunks.
    ///
    /// The result does not depend on `chunks` or on `parallelism`. Per id the cost is one
    /// decode and one encode; the decoded bytes are fetched only for ids that fail.
    ///
    /// ```swift
    /// let result = RoundTrip.run(tokenizer)
    /// print(result.unreachable.count)   // 3,357 on Qwen3
    /// ```
    /// - Parameters:
    ///   - codec: the tokenizer; its `encode` and `decode` must be thread-safe.
    ///   - chunks: number of contiguous chunks (default: 8 per thread).
    ///   - parallelism: the threads the chunks run on.
    public static func run<C: TokenCodec>(_ codec: C, chunks: Int? = nil, parallelism: Parallelism = .allCores) -> RoundTripResult {
        let n = max(0, codec.idCount)
        var categories = [TokenCategory](repeating: .ok, count: n)
        var lengths = [Int](repeating: 0, count: n)

        let failures: [ChunkFailures] = categories.withUnsafeMutableBufferPointer { categoryOut in
            lengths.withUnsafeMutableBufferPointer { lengthOut in
                let categoryBase = categoryOut, lengthBase = lengthOut  // chunks write disjoint ranges
                return parallelism.map(count: n, chunks: chunks ?? parallelism.balancedChunks(n)) { range -> ChunkFailures in
                    var failed = ChunkFailures()
                    for id in range {
                        if codec.tokenString(id) == nil {
                            categoryBase[id] = .noToken
                            continue
                        }
                        let text = codec.decodeKeepingSpecialTokens([id])
                        let ids = codec.encode(text)
                        lengthBase[id] = ids.count
                        let special = codec.isSpecial(id)
                        if ids.count == 1 && ids[0] == id {
                            categoryBase[id] = special ? .okSpecial : .ok
                            continue
                        }
                        let category: TokenCategory
                        if special {
                            category = .unreachableSpecial
                        } else if !UTF8Validation.isValid(codec.decodedBytes([id])) {
                            category = .undecodable
                        } else {
                            category = ids.count == 1 ? .unreachableSingle : .unreachableMulti
                        }
                        categoryBase[id] = category
                        failed.ids.append(id)
                        failed.reencodings.append(ids)
                    }
                    return failed
                }
            }
        }

        var unreachable: [Int] = []
        var reencodings: [[Int]] = []
        let failedCount = failures.reduce(0) { $0 + $1.ids.count }
        unreachable.reserveCapacity(failedCount)
        reencodings.reserveCapacity(failedCount)
        for chunk in failures {
            unreachable.append(contentsOf: chunk.ids)
            reencodings.append(contentsOf: chunk.reencodings)
        }
        var reachable: [Int] = []
        var noToken: [Int] = []
        reachable.reserveCapacity(n - failedCount)
        for id in 0..<n {
            if categories[id].isReachable { reachable.append(id) } else if categories[id] == .noToken { noToken.append(id) }
        }

        return RoundTripResult(
            idCount: n, categories: categories, reencodingLengths: lengths,
            reachable: reachable, unreachable: unreachable, unreachableReencodings: reencodings, noTokenIDs: noToken)
    }
}

/// The failing ids of one chunk and their re-encodings.
private struct ChunkFailures {
    var ids: [Int] = []
    var reencodings: [[Int]] = []
}
