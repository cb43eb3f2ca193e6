import Foundation
import Geometry
import JSON
import TensorFormats

/// What `SyntheticModel.generate` planted, as written to `truth.json`.
public struct SyntheticTruth: Sendable {
    public var preset: String
    public var seed: UInt64
    public var rows: Int
    public var columns: Int
    public var tokenizerIDs: Int
    /// Cluster vectors in plan order (the Big One first), each with its token ids ascending.
    public var clusterVectors: [(distanceULP: Double, tokens: [Int])]
    public var ulpUnit: Double
    public var ambientRows: [Int]
    /// The smallest distance from an ambient row to a cluster vector, measured exactly.
    public var void: Double
    public var plannedVoid: Double
    public var unreachable: [Int]
    public var maxCoreRadiusULP: Double = 3
    /// The planted bulk spectrum, for presets that have one.
    public var spectrum: JSONValue? = nil

    public var clusterTokens: [Int] { clusterVectors.flatMap(\.tokens).sorted() }
    public var bigOne: [Int] { clusterVectors[0].tokens }
    public var coreTokens: [Int] { clusterVectors.filter { $0.distanceULP <= maxCoreRadiusULP }.flatMap(\.tokens).sorted() }
    public var haloTokens: [Int] { clusterVectors.filter { $0.distanceULP > maxCoreRadiusULP }.flatMap(\.tokens).sorted() }
    public var tokenlessRows: Range<Int> { tokenizerIDs..<rows }

    /// Shell → (vectors, tokens), shells at ⌊distance⌋.
    public var shells: [(shell: Int, vectors: Int, tokens: Int)] {
        var table: [Int: (Int, Int)] = [:]
        for vector in clusterVectors {
            let shell = Int(vector.distanceULP.rounded(.down))
            let entry = table[shell, default: (0, 0)]
            table[shell] = (entry.0 + 1, entry.1 + vector.tokens.count)
        }
        return table.sorted { $0.key < $1.key }.map { ($0.key, $0.value.0, $0.value.1) }
    }

    public var json: JSONValue {
        [
            "preset": .string(preset), "seed": JSONValue(Int(truncatingIfNeeded: seed)), "rows": JSONValue(rows),
            "columns": JSONValue(columns), "dtype": "BF16", "tokenizer_ids": JSONValue(tokenizerIDs),
            "tokenless_rows": ["first": JSONValue(tokenizerIDs), "count": JSONValue(rows - tokenizerIDs)],
            "cluster": [
                "tokens": JSONValue(clusterTokens.count), "unique_vectors": JSONValue(clusterVectors.count),
                "big_one": ["population": JSONValue(bigOne.count), "token_ids": JSONValue(bigOne)],
                "ulp_unit": JSONValue(ulpUnit),
                "shells": .array(shells.map { ["shell": JSONValue($0.shell), "vectors": JSONValue($0.vectors), "tokens": JSONValue($0.tokens)] }),
                "max_core_radius_ulp": JSONValue(maxCoreRadiusULP),
                "core_tokens": JSONValue(coreTokens.count), "halo_token_ids": JSONValue(haloTokens),
                "vectors": .array(clusterVectors.map { ["distance_ulp": JSONValue($0.distanceULP), "token_ids": JSONValue($0.tokens)] }),
            ],
            "void": ["planned_at_least": JSONValue(plannedVoid), "measured": JSONValue(void), "ambient_rows": JSONValue(ambientRows)],
            "unreachable": ["count": JSONValue(unreachable.count), "token_ids": JSONValue(unreachable)],
            "spectrum": spectrum ?? nil,
        ]
    }
}

/// Writes synthetic model directories with planted, known structure (see `SyntheticPreset`).
public enum SyntheticModel {
    /// Generates the model in memory and writes `config.json`, `model.safetensors`,
    /// `tokenizer.json` and `truth.json` into `directory`.
    @discardableResult
    public static func generate(preset: SyntheticPreset, seed: UInt64 = 1, directory: String,
                                parallelism: Parallelism = .allCores,
                                progress: ((String, Double) -> Void)? = nil) throws -> SyntheticTruth {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var random = SplitMix64(seed: seed)
        progress?("tokenizer", 0)
        let tokenizer = SyntheticTokenizer(vocabularySize: preset.tokenizerIDs, addedCount: preset.addedTokens,
                                           unreachableCount: preset.unreachableTokens, random: &random)
        guard tokenizer.unreachable.count == preset.unreachableTokens, tokenizer.tokens.count == preset.tokenizerIDs else {
            throw StageError.cannotBuildAsPlanned("the synthetic tokenizer could not be built to plan")
        }
        let rows = preset.rows, columns = preset.columns
        var values = [UInt16](repeating: 0, count: rows * columns)

        // Assign token ids to the cluster's vectors: tokenless rows first, then unreachable and
        // reachable tokens drawn at random.
        let unreachableSet = Set(tokenizer.unreachable)
        var unreachablePool = tokenizer.unreachable.shuffled(using: &random)
        var reachablePool = (0..<(preset.tokenizerIDs - preset.addedTokens)).filter { !unreachableSet.contains($0) }.shuffled(using: &random)
        let tokenBearing = preset.clusterTokens - preset.tokenlessRows
        var clusterIDs = Array(unreachablePool.prefix(tokenBearing - preset.reachableClusterTokens))
            + Array(reachablePool.prefix(preset.reachableClusterTokens))
        unreachablePool.removeFirst(tokenBearing - preset.reachableClusterTokens)
        reachablePool.removeFirst(preset.reachableClusterTokens)
        clusterIDs.shuffle(using: &random)
        var nextTokenless = preset.tokenizerIDs
        var vectorTokens: [[Int]] = []
        for planned in preset.cluster {
            var ids = Array(nextTokenless..<(nextTokenless + planned.tokenless))
            nextTokenless += planned.tokenless
            ids += clusterIDs.prefix(planned.population - planned.tokenless)
            clusterIDs.removeFirst(planned.population - planned.tokenless)
            vectorTokens.append(ids.sorted())
        }

        progress?("cluster", 0)
        let directions = plantedDirections(columns: columns, random: &random)
        let (clusterRows, unit) = try plantCluster(preset: preset, directions: directions, random: &random)
        for (v, ids) in vectorTokens.enumerated() {
            for id in ids { values.replaceSubrange((id * columns)..<((id + 1) * columns), with: clusterRows[v]) }
        }

        // Ambient rows: single tokens just outside the void around the Big One.
        let ambient = Array(reachablePool.prefix(preset.ambientRows)).sorted()
        reachablePool.removeFirst(preset.ambientRows)
        let bigOne = clusterRows[0].map(FloatConversion.bf16ToFloat)
        var ambientVectors: [[UInt16]] = []
        var measuredVoid = Double.infinity
        for (k, id) in ambient.enumerated() {
            let target = preset.voidDistance * (1.05 + 0.5 * Double(k) / Double(max(1, preset.ambientRows)))
            var row: [UInt16] = []
            var nearest = 0.0
            repeat {
                let direction = (0..<columns).map { _ in Double(random.roughGaussian()) }
                let scale = target / direction.reduce(0) { $0 + $1 * $1 }.squareRoot()
                row = (0..<columns).map { FloatConversion.floatToBF16(bigOne[$0] + Float(direction[$0] * scale)) }
                nearest = (clusterRows + ambientVectors).map { distance(row, $0) }.min() ?? .infinity
            } while nearest < preset.voidDistance
            ambientVectors.append(row)
            measuredVoid = min(measuredVoid, clusterRows.map { distance(row, $0) }.min() ?? .infinity)
            values.replaceSubrange((id * columns)..<((id + 1) * columns), with: row)
        }

        // The bulk: every other row, in parallel with one random stream per row.
        progress?("bulk rows", 0)
        let taken = Set(vectorTokens.flatMap { $0 } + ambient)
        let bulkSeed = random.next()
        let trained = preset.spectrum.map { TrainedBulk(spectrum: $0, columns: columns, directions: directions, random: &random) }
        values.withUnsafeMutableBufferPointer { buffer in
            parallelism.forEachRange(count: rows, minimumChunk: 256) { range in
                for row in range where !taken.contains(row) {
                    var rowRandom = SplitMix64(seed: bulkSeed ^ (UInt64(row) &* 0xD6E8_FEB8_6659_FD93))
                    if let trained {
                        trained.fill(buffer.baseAddress! + row * columns, random: &rowRandom)
                    } else {
                        fillBulkRow(buffer.baseAddress! + row * columns, columns: columns, directions: directions, random: &rowRandom)
                    }
                }
            }
        }

        progress?("writing", 0)
        let matrix = Matrix(rows: rows, columns: columns, format: .bf16,
                            bytes: values.withUnsafeBytes { Array($0) }, origin: "synthetic")
        var writer = SafeTensorsWriter(metadata: ["format": "pt", "tool": "tokenscope \(Provenance.toolVersion) synth",
                                                  "preset": preset.name, "seed": String(seed)])
        writer.add("model.embed_tokens.weight", matrix: matrix)
        try writer.write(to: directory + "/model.safetensors")
        let config: JSONValue = [
            "architectures": ["SyntheticForCausalLM"], "model_type": "synthetic", "hidden_size": JSONValue(columns),
            "vocab_size": JSONValue(rows), "tie_word_embeddings": true, "torch_dtype": "bfloat16",
        ]
        try writeText(config.serialized(pretty: true), to: directory + "/config.json")
        try writeText(tokenizer.json().serialized(), to: directory + "/tokenizer.json")

        let truth = SyntheticTruth(
            preset: preset.name, seed: seed, rows: rows, columns: columns, tokenizerIDs: preset.tokenizerIDs,
            clusterVectors: zip(preset.cluster, vectorTokens).map { ($0.distanceULP, $1) }, ulpUnit: unit,
            ambientRows: ambient, void: measuredVoid, plannedVoid: preset.voidDistance, unreachable: tokenizer.unreachable,
            spectrum: trained?.json)
        try writeText(truth.json.serialized(pretty: true), to: directory + "/truth.json")
        return truth
    }

    static func writeText(_ text: String, to path: String) throws {
        let writer = try AtomicFileWriter(destination: path)
        try writer.write(Array(text.utf8))
        try writer.commit()
    }

    static func distance(_ a: [UInt16], _ b: [UInt16]) -> Double {
        var sum = 0.0
        for i in a.indices {
            let d = Double(FloatConversion.bf16ToFloat(a[i])) - Double(FloatConversion.bf16ToFloat(b[i]))
            sum += d * d
        }
        return sum.squareRoot()
    }

    /// Where the Big One sits in the sky map's default frame (meridian = PC1, north = PC2,
    /// equinox = PC3): x = 0.30, z = −0.02, y = 0.03, that is r ≈ 0.30, latitude ≈ −3.8°,
    /// longitude ≈ 5.7°, inside the notebooks' spike box (lat −15…5, lon −10…20, r 0.2…0.5).
    static let bigOnePosition: [Float] = [0.30, -0.02, 0.03]

    /// The cluster's vectors in BF16, each at its planned L∞ distance from the Big One.
    ///
    /// The Big One is a Laplace-distributed vector with its components along the planted
    /// directions replaced by `bigOnePosition`; the Laplace scale is chosen (by bisection) so that
    /// the median absolute component lies in [2⁻⁹, 2⁻⁸), where Qwen3-4B's does, giving the ULP unit
    /// 2⁻¹⁶. A vector at D units moves one component of the unit's binade by D steps (or one step in
    /// a finer binade for D < 1), and a random third of the components whose step is at most
    /// min(D, 1) unit by one step, so vectors are distinct and the whole cluster stays well inside
    /// the threshold.
    static func plantCluster(preset: SyntheticPreset, directions: [[Float]], random: inout SplitMix64) throws -> ([[UInt16]], Double) {
        let columns = preset.columns
        let laplace: [Float] = (0..<columns).map { _ in
            let u = random.unit() - 0.5
            let magnitude = -log(1 - 2 * abs(u))
            return Float(u < 0 ? -magnitude : magnitude)
        }
        func bigOne(scale: Float) -> [UInt16] {
            var v = laplace.map { $0 * scale }
            for (k, u) in directions.enumerated() {
                let along = zip(v, u).reduce(0) { $0 + $1.0 * $1.1 }
                for i in 0..<columns { v[i] += (bigOnePosition[k] - along) * u[i] }
            }
            return v.map(FloatConversion.floatToBF16)
        }
        func median(_ bits: [UInt16]) -> Double {
            let m = bits.map { abs(Double(FloatConversion.bf16ToFloat($0))) }.filter { $0 > 0 }.sorted()
            return m.count % 2 == 1 ? m[m.count / 2] : (m[m.count / 2 - 1] + m[m.count / 2]) / 2
        }
        var low: Float = 0, high: Float = 0.02
        for _ in 0..<40 {
            let mid = (low + high) / 2
            if median(bigOne(scale: mid)) < 0.0033 { low = mid } else { high = mid }
        }
        let bigOne = bigOne(scale: (low + high) / 2)
        let unitExponent = Int(median(bigOne).exponent)
        let unit = Double(sign: .plus, exponent: unitExponent - 7, significand: 1)
        // Step of component i, in units: 2^(binade − unit binade).
        func stepUnits(_ bits: UInt16) -> Double {
            let exponent = Int((bits >> 7) & 0xFF)
            guard exponent > 0 else { return Double(sign: .plus, exponent: -126 - 7, significand: 1) / unit }
            return Double(sign: .plus, exponent: exponent - 127 - 7, significand: 1) / unit
        }
        func moved(_ bits: UInt16, steps: Int) -> UInt16 {
            // Moves the magnitude by whole steps; callers stay inside one binade.
            let sign = bits & 0x8000
            return sign | UInt16(Int(bits & 0x7FFF) + steps)
        }

        var seen: Set<[UInt16]> = [bigOne]
        var vectors: [[UInt16]] = [bigOne]
        for planned in preset.cluster.dropFirst() {
            let d = planned.distanceULP
            var attempt = 0
            while true {
                attempt += 1
                guard attempt < 1000 else {
                    throw StageError.cannotBuildAsPlanned("cannot plant a vector at \(d) ULP in \(columns) dimensions")
                }
                var row = bigOne
                let mainStep = min(d, 1)
                let steps = Int(d / mainStep)
                // The main move: a component whose step is exactly `mainStep` with room for `steps`.
                let choices = (0..<columns).filter { stepUnits(bigOne[$0]) == mainStep && Int(bigOne[$0] & 0x7F) + steps <= 0x7F }
                guard !choices.isEmpty else { continue }
                let main = choices[Int(random.next() % UInt64(choices.count))]
                for i in 0..<columns where i != main && stepUnits(bigOne[i]) <= mainStep && random.next() % 3 == 0 {
                    let down = random.next() & 1 == 0
                    let mantissa = Int(bigOne[i] & 0x7F)
                    if down && mantissa > 0 { row[i] = moved(bigOne[i], steps: -1) }
                    else if !down && mantissa < 0x7F { row[i] = moved(bigOne[i], steps: 1) }
                }
                row[main] = moved(bigOne[main], steps: steps)
                let linf = (0..<columns).map {
                    abs(Double(FloatConversion.bf16ToFloat(row[$0])) - Double(FloatConversion.bf16ToFloat(bigOne[$0])))
                }.max()! / unit
                guard linf == d, seen.insert(row).inserted else { continue }
                vectors.append(row)
                break
            }
        }
        return (vectors, unit)
    }

    /// Three orthonormal directions, each with one dominant positive component (at distinct
    /// dimensions), so that principal axes along them have a definite sign under TokenScope's
    /// convention and move the Big One's typical component only a little.
    static func plantedDirections(columns: Int, random: inout SplitMix64) -> [[Float]] {
        var spikes: [Int] = []
        while spikes.count < min(3, columns) {
            let j = Int(random.next() % UInt64(columns))
            if !spikes.contains(j) { spikes.append(j) }
        }
        var directions: [[Double]] = []
        for j in spikes {
            var v = (0..<columns).map { _ in 0.35 * Double(random.roughGaussian()) / Double(columns).squareRoot() }
            v[j] += 1
            // Gram–Schmidt against the earlier directions, in Double.
            for u in directions {
                let along = zip(v, u).reduce(0) { $0 + $1.0 * $1.1 }
                for i in 0..<columns { v[i] -= along * u[i] }
            }
            let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            directions.append(v.map { $0 / norm })
        }
        return directions.map { $0.map(Float.init) }
    }

    /// Bulk rows with a trained-like spectrum: μ + s·P(√λ ⊙ g) (see `SyntheticSpectrum`).
    struct TrainedBulk: Sendable {
        let spectrum: SyntheticSpectrum
        let scales: [Double]
        let reflections: [[Double]]
        let mean: [Double]
        /// Σλ before the row scale: with the mean, norms spread like Qwen3-4B's (mean ≈ 1.09).
        static let totalVariance = 0.82
        /// E[s²] of the row scale max(0.45, 1 + 0.15 g).
        static let scaleSecondMoment = 1.0225

        init(spectrum: SyntheticSpectrum, columns: Int, directions: [[Float]], random: inout SplitMix64) {
            self.spectrum = spectrum
            let planted = directions.map { $0.map(Double.init) }
            scales = spectrum.eigenvalues(columns: columns, total: Self.totalVariance).map { $0.squareRoot() }
            reflections = SyntheticSpectrum.reflections(directions: planted)
            mean = SyntheticSpectrum.mean(columns: columns, directions: planted, random: &random)
        }

        func fill(_ out: UnsafeMutablePointer<UInt16>, random: inout SplitMix64) {
            var x = scales.map { $0 * Double(random.roughGaussian()) }
            SyntheticSpectrum.rotate(&x, reflections: reflections)
            let s = Double(max(0.45, 1 + 0.15 * random.roughGaussian()))
            for j in x.indices { out[j] = FloatConversion.floatToBF16(Float(mean[j] + s * x[j])) }
        }

        var json: JSONValue {
            let population = scales.prefix(12).map { $0 * $0 * Self.scaleSecondMoment }
            return [
                "pc2_pc3_relative_gap": JSONValue(spectrum.gap), "pc4_pc5_relative_gap": JSONValue(SyntheticSpectrum.pc4pc5Gap),
                "tail_exponent": JSONValue(spectrum.tailExponent),
                "population_eigenvalues_leading": JSONValue(population),
                "population_total_variance": JSONValue(Self.totalVariance * Self.scaleSecondMoment),
                "mean_norm": JSONValue(mean.reduce(0) { $0 + $1 * $1 }.squareRoot()),
                "note": "population values of the bulk; a sample of n rows moves each eigenvalue by about sqrt(2/n) of itself, and the cluster adds a direction",
            ]
        }
    }

    /// A bulk row: isotropic noise plus components along three planted directions (standard
    /// deviations 0.45, 0.3, 0.2) so that the principal axes are well separated, scaled so norms
    /// spread like Qwen3-4B's (mean ≈ 1.09, s.d. ≈ 0.17).
    static func fillBulkRow(_ out: UnsafeMutablePointer<UInt16>, columns: Int, directions: [[Float]], random: inout SplitMix64) {
        let noise = 0.95 / Float(columns).squareRoot()
        var row = [Float](repeating: 0, count: columns)
        for i in 0..<columns { row[i] = random.roughGaussian() * noise }
        for (k, sigma) in [Float(0.45), 0.3, 0.2].enumerated() {
            let a = random.roughGaussian() * sigma
            for i in 0..<columns { row[i] += a * directions[k][i] }
        }
        let scale = max(0.45, 1 + 0.15 * random.roughGaussian())
        for i in 0..<columns { out[i] = FloatConversion.floatToBF16(row[i] * scale) }
    }
}
