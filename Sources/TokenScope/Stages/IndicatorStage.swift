import Foundation
import Geometry
import JSON
import Reachability
import TensorFormats

/// Under-trained-token indicators after Magikarp (Land & Bartolo 2024), with the census as their
/// reference set, and the candidates for verification by prompting. `write` writes:
///
/// | file | key | type | content |
/// |---|---|---|---|
/// | `indicators.safetensors` | `cosine_distance`, `cosine_distance_without_first_pc`, `cosine_distance_without_mean`, `l2_distance` | F32 [V] | see `UndertrainedIndicators` (+∞: row not finite) |
/// | | `input_embedding_norm` | F32 [V] | only when the input embedding is untied (+∞: row not finite) |
/// | | `rank` | I64 [V] | 1-based rank of the main indicator, ascending, ties by id |
/// | | `reference_token_ids` | I64 | the reference rows used |
/// | `indicator_candidates.jsonl` | | one JSON object per line | the candidates, lowest main indicator first |
/// | `suppress_mask.safetensors` | `suppress_mask` | BOOL [V] | candidates and reference rows |
public enum IndicatorStage {
    public static let fileName = "indicators.safetensors"
    public static let candidatesName = "indicator_candidates.jsonl"
    public static let maskName = "suppress_mask.safetensors"
    /// Magikarp's `DEFAULT_THRESHOLD_PERCENTILE`: the threshold is this percentile of the main
    /// indicator over the tokens whose round trip is `OK`.
    public static let defaultPercentile = 2.0

    public enum Indicator: String, CaseIterable, Sendable {
        case cosineDistance = "cosine_distance"
        case cosineDistanceWithoutFirstPC = "cosine_distance_without_first_pc"
        case cosineDistanceWithoutMean = "cosine_distance_without_mean"
        case l2Distance = "l2_distance"
        case inputEmbeddingNorm = "input_embedding_norm"
    }

    public struct Candidate: Sendable {
        public var id: Int
        /// 1-based rank of the main indicator among all rows.
        public var rank: Int
        public var value: Double
    }

    public struct Result: StageResult, Sendable {
        public var indicators: UndertrainedIndicators
        /// Norms of the untied input embedding's rows (+∞ for a non-finite row).
        public var inputEmbeddingNorms: [Double]?
        public var reference: IndicatorReference
        /// The census's verdicts the candidates are set against; nil: run without one.
        public var census: IndicatorCensus?
        public var mainIndicator: Indicator
        /// The threshold's percentile, and the rows it is taken over.
        public var percentile: Double
        public var thresholdPopulation: String
        public var threshold: Double?
        /// Every row's 1-based rank of the main indicator, ascending, ties by id.
        public var ranks: [Int]
        /// Lowest main indicator first.
        public var candidates: [Candidate]
        public var seconds: Double
        /// The files `write` wrote: indicators, candidates, suppress mask.
        public var paths: [String]

        public func values(_ indicator: Indicator) -> [Double]? {
            switch indicator {
            case .cosineDistance: return indicators.cosineDistance
            case .cosineDistanceWithoutFirstPC: return indicators.cosineDistanceWithoutFirstPC
            case .cosineDistanceWithoutMean: return indicators.cosineDistanceWithoutMean
            case .l2Distance: return indicators.l2Distance
            case .inputEmbeddingNorm: return inputEmbeddingNorms
            }
        }

        /// Caveats a reader needs (a zero reference mean, non-finite rows, no threshold).
        public var notes: [String] {
            let i = indicators
            var notes: [String] = []
            if i.referenceMeanNorm == 0 {
                notes.append("the reference rows average to the zero vector: cosine_distance is 1 for every row (Magikarp's floor); use the other indicators")
            }
            if !i.nonFiniteRows.isEmpty { notes.append("\(i.nonFiniteRows.count) rows hold NaN or infinity: left out of the means, +inf in every indicator") }
            if !i.nonFiniteReferenceRows.isEmpty {
                notes.append("\(i.nonFiniteReferenceRows.count) reference rows hold NaN or infinity and were left out of the reference")
            }
            if threshold == nil { notes.append("no finite main indicator among the \(thresholdPopulation): no threshold, no candidates") }
            return notes
        }

        /// Over the rows of W: true for the candidates and the reference rows.
        public var suppressMask: [Bool] {
            var mask = [Bool](repeating: false, count: indicators.cosineDistance.count)
            for candidate in candidates { mask[candidate.id] = true }
            for id in indicators.referenceRows { mask[id] = true }
            return mask
        }

        /// The JSON summary, encoded from the fields above.
        public var summary: JSONValue {
            let i = indicators
            let missed = census.map { missedByCensus(self, census: $0).count }
            return [
                "step": "indicators", "outputs": JSONValue(paths),
                "rows": JSONValue(i.cosineDistance.count),
                "reference": reference.json,
                "reference_rows_used": JSONValue(i.referenceRows.count),
                "main_indicator": .string(mainIndicator.rawValue),
                "input_embedding_norm": .bool(inputEmbeddingNorms != nil),
                "threshold": ["percentile": JSONValue(percentile), "population": .string(thresholdPopulation),
                              "value": threshold.map { JSONValue($0) } ?? nil],
                "candidates": JSONValue(candidates.count),
                "candidates_reachable_outside_cluster": missed.map { JSONValue($0) } ?? nil,
                "first_candidates": JSONValue(Array(candidates.prefix(20).map(\.id))),
                "suppressed_rows": JSONValue(suppressMask.lazy.filter { $0 }.count),
                "non_finite_rows": JSONValue(i.nonFiniteRows.count),
                "notes": .array(notes.map { .string($0) }),
                "seconds": JSONValue(seconds),
            ]
        }
    }

    /// - Parameters:
    ///   - firstPrincipalComponent: PC1 of the centred rows (`firstPrincipalComponent(matrix:computed:)`).
    ///   - census: the census's verdicts; without it the threshold is taken over the rows outside
    ///     the reference set, since no round-trip category is known.
    ///   - inputEmbeddingNorms: norms of the untied input embedding (`inputEmbeddingNorms(...)`);
    ///     when given, they are the main indicator, as in Magikarp.
    ///   - mainIndicator: overrides that choice.
    ///   - outputDirectory: where to write the three files (`write`), or `nil` for none.
    public static func run(matrix: Matrix, input: String, firstPrincipalComponent: [Double], reference: IndicatorReference,
                           census: IndicatorCensus?, inputEmbeddingNorms: [Double]? = nil, mainIndicator: Indicator? = nil,
                           percentile: Double = defaultPercentile, outputDirectory: String? = nil,
                           parallelism: Parallelism = .allCores) throws -> Result {
        guard percentile >= 0, percentile <= 100 else { throw StageError.invalidParameter(name: "threshold percentile", requirement: "in 0…100", value: "\(percentile)") }
        if let census, census.rowCount != matrix.rows {
            throw StageError.mismatchedInputs("the census covers \(census.rowCount) rows but W has \(matrix.rows)")
        }
        if let norms = inputEmbeddingNorms, norms.count != matrix.rows {
            throw StageError.mismatchedInputs("the input embedding has \(norms.count) rows but W has \(matrix.rows)")
        }
        let main = mainIndicator ?? (inputEmbeddingNorms == nil ? .cosineDistance : .inputEmbeddingNorm)
        if main == .inputEmbeddingNorm, inputEmbeddingNorms == nil {
            throw StageError.mismatchedInputs("the input-embedding norm was chosen as the main indicator but the model has no untied input embedding")
        }
        let start = Date()
        let indicators = try UndertrainedIndicators(matrix: matrix, referenceRows: reference.ids,
                                                    firstPrincipalComponent: firstPrincipalComponent, parallelism: parallelism)
        let embeddingNorms = inputEmbeddingNorms?.map { $0.isNaN ? Double.infinity : $0 }
        var result = Result(indicators: indicators, inputEmbeddingNorms: embeddingNorms, reference: reference, census: census,
                            mainIndicator: main, percentile: percentile, thresholdPopulation: "", threshold: nil, ranks: [],
                            candidates: [], seconds: 0, paths: [])
        let values = result.values(main) ?? []
        let order = values.indices.sorted { values[$0] != values[$1] ? values[$0] < values[$1] : $0 < $1 }
        result.ranks = [Int](repeating: 0, count: values.count)
        for (position, row) in order.enumerated() { result.ranks[row] = position + 1 }

        let selection = candidates(values: values, ranks: result.ranks, order: order, census: census,
                                   reference: Set(indicators.referenceRows), percentile: percentile)
        result.thresholdPopulation = selection.population
        result.threshold = selection.threshold
        result.candidates = selection.candidates
        result.seconds = Date().timeIntervalSince(start)
        if let outputDirectory {
            try write(&result, matrix: matrix, input: input, outputDirectory: outputDirectory, parallelism: parallelism)
        }
        return result
    }

    /// Writes `DIR/indicators.safetensors`, `DIR/indicator_candidates.jsonl` and
    /// `DIR/suppress_mask.safetensors` with W's provenance, and records their paths in the result.
    public static func write(_ result: inout Result, matrix: Matrix, input: String, outputDirectory: String,
                             parallelism: Parallelism = .allCores) throws {
        try FileManager.default.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true)
        let parameters: JSONValue = [
            "main_indicator": .string(result.mainIndicator.rawValue), "percentile": JSONValue(result.percentile),
            "threshold": result.threshold.map { JSONValue($0) } ?? nil, "threshold_population": .string(result.thresholdPopulation),
            "reference": .string(result.reference.description), "definition": "Magikarp embedding_distance_metrics (Land & Bartolo 2024)",
        ]
        let provenance = Provenance(step: "indicators", parameters: parameters, input: input, inputSHA256: MatrixDigest.sha256(matrix, parallelism: parallelism))
        var writer = SafeTensorsWriter(metadata: provenance.metadata)
        for indicator in Indicator.allCases {
            if let column = result.values(indicator) { writer.add(indicator.rawValue, float32: column.map { Float($0) }) }
        }
        writer.add("rank", int64: result.ranks)
        writer.add("reference_token_ids", int64: result.indicators.referenceRows)
        let path = outputDirectory + "/" + fileName
        try writer.write(to: path)

        let candidatesPath = outputDirectory + "/" + candidatesName
        let lines = result.candidates.map { candidateJSON($0, result: result).serialized() + "\n" }
        let jsonl = try AtomicFileWriter(destination: candidatesPath)
        try jsonl.write(Array(lines.joined().utf8))
        try jsonl.commit()

        var maskWriter = SafeTensorsWriter(metadata: provenance.metadata.merging(
            ["suppress_mask": "true for the indicator candidates and the reference rows: a logit-bias mask for tokens not to sample"]) { $1 })
        maskWriter.add("suppress_mask", bool: result.suppressMask)
        let maskPath = outputDirectory + "/" + maskName
        try maskWriter.write(to: maskPath)
        result.paths = [path, candidatesPath, maskPath]
    }

    /// Magikarp's `candidates_for_verification`: the threshold is the `percentile`-th percentile
    /// of the main indicator over the `OK` tokens; candidates are the tokens whose round trip
    /// passes (`OK`, `OK_SPECIAL`) at or below it. Without a tokenizer, every finite row outside
    /// the reference set stands in for both.
    static func candidates(values: [Double], ranks: [Int], order: [Int], census: IndicatorCensus?, reference: Set<Int>,
                           percentile: Double) -> (threshold: Double?, candidates: [Candidate], population: String) {
        let categories = census?.tokens?.categories
        func category(_ row: Int) -> TokenCategory? { categories.flatMap { row < $0.count ? $0[row] : nil } }
        let counted: (Int) -> Bool = categories == nil ? { !reference.contains($0) } : { category($0) == .ok }
        let eligible: (Int) -> Bool = categories == nil ? { !reference.contains($0) } : { category($0)?.isReachable == true }
        let population = categories == nil ? "rows outside the reference set (no tokenizer: no round-trip category)" : "OK tokens"
        let sorted = order.filter { values[$0].isFinite && counted($0) }.map { values[$0] }
        guard !sorted.isEmpty else { return (nil, [], population) }
        let threshold = Percentile.linear(sorted: sorted, percentile)
        let chosen = order.prefix { values[$0] <= threshold }.filter { eligible($0) }
        return (threshold, chosen.map { Candidate(id: $0, rank: ranks[$0], value: values[$0]) }, population)
    }

    /// One line of `indicator_candidates.jsonl`, for a verifier that prompts the model.
    static func candidateJSON(_ candidate: Candidate, result: Result) -> JSONValue {
        let id = candidate.id
        let census = result.census
        let tokens = census?.tokens
        let hasToken = tokens.map { id < $0.categories.count } ?? false
        let values = JSONValue.object(Indicator.allCases.compactMap { indicator in
            result.values(indicator).map { JSONMember(key: indicator.rawValue, value: JSONValue($0[id])) }
        })
        var verdict: [JSONMember] = []
        if let census {
            verdict = [
                JSONMember(key: "black_hole", value: .bool(census.blackHoleRows.contains(id))),
                JSONMember(key: "dead_cluster", value: .bool(census.clusterTokens.binarySearchContains(id))),
                JSONMember(key: "tokenless", value: tokens == nil ? nil : .bool(!hasToken)),
                JSONMember(key: "unreachable", value: tokens.map { .bool($0.unreachable.binarySearchContains(id)) } ?? nil),
                JSONMember(key: "unreachable_in_any_context", value: tokens?.unreachableInAnyContext.map { .bool($0.binarySearchContains(id)) } ?? nil),
            ]
        }
        verdict.append(JSONMember(key: "reference", value: .bool(result.indicators.referenceRows.binarySearchContains(id))))
        return [
            "id": JSONValue(id),
            "token": hasToken ? tokens?.tokenizer.tokenString(id).map { JSONValue.string($0) } ?? nil : nil,
            "readable": hasToken ? tokens.map { .string(ReadableForm.of($0.tokenizer.decodedBytes([id]))) } ?? nil : nil,
            "category": hasToken ? tokens.map { .string($0.categories[id].label) } ?? nil : nil,
            "indicators": values,
            "main_indicator": .string(result.mainIndicator.rawValue),
            "main_value": JSONValue(candidate.value),
            "rank": JSONValue(candidate.rank),
            "census": .object(verdict),
        ]
    }

    /// Candidates the census alone misses: reachable tokens outside the dead cluster.
    public static func missedByCensus(_ result: Result, census: IndicatorCensus) -> [Candidate] {
        result.candidates.filter { candidate in
            !census.clusterTokens.binarySearchContains(candidate.id)
                && census.tokens.map { candidate.id < $0.categories.count && $0.categories[candidate.id].isReachable } ?? true
        }
    }
}

extension Array where Element == Int {
    /// Membership in an ascending array.
    func binarySearchContains(_ value: Int) -> Bool {
        var low = 0, high = count
        while low < high {
            let mid = (low + high) / 2
            if self[mid] < value { low = mid + 1 } else { high = mid }
        }
        return low < count && self[low] == value
    }
}
