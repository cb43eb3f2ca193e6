import TokenScopeCore

/// The witness search: for tokens that fail the round trip, a text whose encoding contains them.
public enum WitnessSearch {
    /// Searches a witness for every token that fails the round trip.
    ///
    /// See ``run(_:for:bounds:chunks:parallelism:)``.
    public static func run<C: TokenCodec>(
        _ codec: C, roundTrip: RoundTripResult, bounds: WitnessBounds = WitnessBounds(), chunks: Int? = nil,
        parallelism: Parallelism = .allCores
    ) -> WitnessSearchResult {
        run(codec, for: roundTrip.unreachable, bounds: bounds, chunks: chunks, parallelism: parallelism)
    }

    /// Searches, for each id, a witness: a valid text whose encoding contains the id.
    ///
    /// The round trip is one-sided; this is the other side. Candidates, in this order, until one works
    /// or `maxCandidatesPerToken` texts (`maxCandidatesPerFragment` for a UTF-8 fragment) have been
    /// encoded:
    /// - Cores. A token whose decoded bytes are valid UTF-8: its decoded text, repeated 1…`repeats`
    ///   times. A continuation entry (`##ing` with the codec's `continuingSubwordPrefix`): its text
    ///   without the prefix after each of `wordPrefixes` first. A UTF-8 fragment: the fragment with
    ///   the partial characters at its ends completed — first with the edge bytes of vocabulary tokens
    ///   (tokens that start with the needed continuation bytes, or end with a lead byte that takes the
    ///   fragment's leading continuation bytes), then with every valid completion in code point order,
    ///   at most `maxCompletionsPerSide` per side.
    /// - Contexts. Each core between a left and a right context from the bounds; cores and contexts are
    ///   walked along anti-diagonals, so the first cores meet many contexts early.
    /// A fragment that cannot occur in valid UTF-8 at all is reported ``WitnessOutcome/impossible``
    /// without encoding anything.
    ///
    /// Runs in parallel over contiguous chunks of the sorted ids (default: 64 per thread); the result
    /// does not depend on `chunks` or on `parallelism`.
    public static func run<C: TokenCodec>(
        _ codec: C, for ids: [Int], bounds: WitnessBounds = WitnessBounds(), chunks: Int? = nil,
        parallelism: Parallelism = .allCores
    ) -> WitnessSearchResult {
        let targets = Array(Set(ids.filter { $0 >= 0 && $0 < codec.idCount })).sorted()
        let targetChunks = chunks ?? parallelism.balancedChunks(targets.count)
        let bytesOfTargets = parallelism.map(count: targets.count, chunks: targetChunks) { range in
            range.map { codec.decodedBytes([targets[$0]]) }
        }.flatMap { $0 }
        // The vocabulary scan is needed only for fragments.
        let needsEdges = bytesOfTargets.contains { !UTF8Validation.isValid($0) }
        let edges = needsEdges ? VocabularyEdges(codec, chunks: chunks, parallelism: parallelism) : VocabularyEdges(heads: [], tails: [])
        let completions = EdgeCompletions(
            edges: edges, bounds: bounds,
            fragments: needsEdges ? bytesOfTargets.compactMap { UTF8Validation.isValid($0) ? nil : utf8FragmentShape($0) } : [],
            parallelism: parallelism)
        let prefix = codec.continuingSubwordPrefix.flatMap { $0.isEmpty ? nil : $0 }
        // Context pairs in anti-diagonal order of (left, right), built once for every token.
        let lefts = bounds.leftContexts.isEmpty ? [""] : bounds.leftContexts
        let rights = bounds.rightContexts.isEmpty ? [""] : bounds.rightContexts
        var contexts: [(left: String, right: String)] = []
        contexts.reserveCapacity(lefts.count * rights.count)
        walkDiagonals(lefts.count, rights.count) { l, r in contexts.append((lefts[l], rights[r])); return true }

        // Costs per token range from none to 1,024 encodes: small chunks keep both threads busy to the end.
        let results = parallelism.map(count: targets.count, chunks: chunks ?? min(targets.count, parallelism.threads * 64)) { range in
            let encode = codec.makeEncoder()
            return range.map { index in
                searchOne(codec, encode: encode, id: targets[index], bytes: bytesOfTargets[index], completions: completions,
                          continuingPrefix: prefix, contexts: contexts, bounds: bounds)
            }
        }.flatMap { $0 }
        return WitnessSearchResult(witnesses: results, bounds: bounds)
    }
}

/// `encode` is the codec's, from `makeEncoder`: one token's candidates share their core.
private func searchOne<C: TokenCodec>(
    _ codec: C, encode: (String) -> [Int], id: Int, bytes: [UInt8], completions: EdgeCompletions, continuingPrefix: String?,
    contexts: [(left: String, right: String)], bounds: WitnessBounds
) -> TokenWitness {
    var tried = 0
    let isFragment = !UTF8Validation.isValid(bytes)
    let budget = max(0, isFragment ? bounds.maxCandidatesPerFragment : bounds.maxCandidatesPerToken)
    // Returns true when `text` is a witness; counts every text encoded.
    func attempt(_ text: String) -> Bool {
        guard tried < budget, !text.isEmpty else { return false }
        tried += 1
        return encode(text).contains(id)
    }
    func found(_ text: String) -> TokenWitness {
        TokenWitness(id: id, witness: text, candidatesTried: tried, outcome: .found)
    }

    let cores: [String]
    if !isFragment {
        // A continuation entry is tried after word starts first: that is where it lives.
        if let prefix = continuingPrefix, !codec.isAddedToken(id), let entry = codec.tokenString(id),
           entry.hasPrefix(prefix), entry.utf8.count > prefix.utf8.count {
            let stem = String(decoding: entry.utf8.dropFirst(prefix.utf8.count), as: UTF8.self)
            let ends = ["", " "]
            var hit: String? = nil
            walkDiagonals(bounds.wordPrefixes.count, ends.count) { i, j in
                let text = bounds.wordPrefixes[i] + stem + ends[j]
                if attempt(text) { hit = text; return false }
                return tried < budget
            }
            if let hit { return found(hit) }
        }
        let text = codec.decodeKeepingSpecialTokens([id])
        cores = (1...max(1, bounds.repeats)).map { String(repeating: text, count: $0) }
    } else {
        guard let shape = utf8FragmentShape(bytes) else {
            return TokenWitness(id: id, witness: nil, candidatesTried: 0, outcome: .impossible)
        }
        cores = fragmentCores(bytes, shape: shape, completions: completions, bounds: bounds)
    }

    var hit: String? = nil
    walkDiagonals(cores.count, contexts.count) { core, context in
        let text = contexts[context].left + cores[core] + contexts[context].right
        if attempt(text) { hit = text; return false }
        return tried < budget
    }
    if let hit { return found(hit) }
    return TokenWitness(id: id, witness: nil, candidatesTried: tried, outcome: .notFoundWithinBounds)
}

/// The fragment with its partial end characters completed, as valid texts, best first.
private func fragmentCores(_ bytes: [UInt8], shape: UTF8FragmentShape, completions: EdgeCompletions,
                           bounds: WitnessBounds) -> [String] {
    let edges = completions.edges
    let perSide = max(1, bounds.maxCompletionsPerSide)
    let maxCores = max(1, bounds.maxCandidatesPerFragment)
    var pairs: [(before: [UInt8], after: [UInt8])] = []

    if shape.isInner {
        // One character around the fragment: vocabulary tails before it, heads after it. Each pair
        // makes one character, so its code point tells repeats apart without joining the bytes.
        var seen = Set<UInt32>()
        // Loops end once `perSide` pairs are found (a `where` clause would still walk every edge).
        for tail in edges.tails {
            if pairs.count >= perSide { break }
            guard let info = utf8LeadInfo(tail[0]) else { continue }
            let missing = info.length - tail.count - bytes.count
            if missing == 0 {
                if let character = singleUTF8CharacterValue(tail, bytes), seen.insert(character).inserted { pairs.append((tail, [])) }
            } else if missing > 0 {
                for head in edges.heads where head.count == missing {
                    if pairs.count >= perSide { break }
                    if let character = singleUTF8CharacterValue(tail, bytes, head), seen.insert(character).inserted {
                        pairs.append((tail, head))
                    }
                }
            }
        }
        for pair in utf8CharacterCompletions(of: bytes, placement: .inside, limit: maxCores)
        where pairs.count < maxCores {
            // A completion is one character by construction.
            if let character = singleUTF8CharacterValue(pair.before, bytes, pair.after), seen.insert(character).inserted { pairs.append(pair) }
        }
    } else {
        let befores = shape.head.isEmpty ? [[]] : completions.before(shape.head)
        let afters = shape.tail.isEmpty ? [[]] : completions.after(shape.tail)
        walkDiagonals(befores.count, afters.count) { i, j in
            pairs.append((befores[i], afters[j]))
            return pairs.count < maxCores
        }
    }
    return pairs.compactMap { pair in
        let whole = pair.before + bytes + pair.after
        return UTF8Validation.isValid(whole) ? String(decoding: whole, as: UTF8.self) : nil
    }
}

/// What completes the fragments' partial first and last characters, which depends on those bytes
/// alone: computed once for every distinct head and tail among the fragments searched (most
/// share one of a few), in parallel, before the search.
private struct EdgeCompletions: Sendable {
    let edges: VocabularyEdges
    /// For leading continuation bytes, what may precede them to make one character.
    private let befores: [[UInt8]: [[UInt8]]]
    /// For a truncated last character, what may follow it to make one character.
    private let afters: [[UInt8]: [[UInt8]]]

    init(edges: VocabularyEdges, bounds: WitnessBounds, fragments: [UTF8FragmentShape], parallelism: Parallelism) {
        self.edges = edges
        let perSide = max(1, bounds.maxCompletionsPerSide)
        let ends = fragments.filter { !$0.isInner }
        let heads = Array(Set(ends.map(\.head).filter { !$0.isEmpty }))
        let tails = Array(Set(ends.map(\.tail).filter { !$0.isEmpty }))
        let beforeLists = parallelism.map(count: heads.count, chunks: parallelism.balancedChunks(heads.count)) { range in
            range.map { k in
                let head = heads[k]
                return completions(
                    vocabulary: edges.tails.filter { tail in
                        utf8LeadInfo(tail[0]).map { $0.length == tail.count + head.count } ?? false && isSingleUTF8Character(tail, head)
                    },
                    systematic: { utf8CharacterCompletions(of: head, placement: .end, limit: $0).map(\.before) },
                    limit: perSide)
            }
        }.flatMap { $0 }
        let afterLists = parallelism.map(count: tails.count, chunks: parallelism.balancedChunks(tails.count)) { range in
            range.map { k in
                let tail = tails[k]
                return completions(
                    vocabulary: edges.heads.filter { isSingleUTF8Character(tail, $0) },
                    systematic: { utf8CharacterCompletions(of: tail, placement: .start, limit: $0).map(\.after) },
                    limit: perSide)
            }
        }.flatMap { $0 }
        befores = Dictionary(uniqueKeysWithValues: zip(heads, beforeLists))
        afters = Dictionary(uniqueKeysWithValues: zip(tails, afterLists))
    }

    // Every end fragment's head and tail is a key (`init`); a fragment from elsewhere gets none.
    func before(_ head: [UInt8]) -> [[UInt8]] { befores[head] ?? [] }
    func after(_ tail: [UInt8]) -> [[UInt8]] { afters[tail] ?? [] }
}

/// Vocabulary-derived completions first, then systematic ones, without repeats, at most `limit`.
private func completions(vocabulary: [[UInt8]], systematic: (Int) -> [[UInt8]], limit: Int) -> [[UInt8]] {
    var seen = Set<[UInt8]>()
    var out: [[UInt8]] = []
    for c in vocabulary where out.count < limit { if seen.insert(c).inserted { out.append(c) } }
    if out.count < limit {
        // Ask for enough systematic ones to fill up after dropping those already taken.
        for c in systematic(limit + out.count) where out.count < limit { if seen.insert(c).inserted { out.append(c) } }
    }
    return out
}

/// Calls `body(i, j)` for i < a, j < b along anti-diagonals (i + j = 0, 1, …), j ascending within
/// one; stops when `body` returns false.
private func walkDiagonals(_ a: Int, _ b: Int, _ body: (Int, Int) -> Bool) {
    guard a > 0, b > 0 else { return }
    for s in 0..<(a + b - 1) {
        for j in max(0, s - a + 1)...min(s, b - 1) {
            if !body(s - j, j) { return }
        }
    }
}
