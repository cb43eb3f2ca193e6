/// The planted structure of a synthetic model: sizes, the dead cluster vector by vector, and the
/// tokenizer's shape.
public struct SyntheticPreset: Sendable {
    /// One distinct vector of the planted cluster.
    public struct PlantedVector: Sendable {
        /// L∞ distance from the Big One in ULP units (0 for the Big One itself).
        public var distanceULP: Double
        /// Tokens sharing the vector.
        public var population: Int
        /// How many of those tokens are rows with no token (placed at the end of W).
        public var tokenless: Int = 0
    }

    public var name: String
    public var columns: Int
    /// Ids of the tokenizer: model vocabulary plus added tokens.
    public var tokenizerIDs: Int
    public var addedTokens: Int
    /// The cluster; the first vector is the Big One.
    public var cluster: [PlantedVector]
    /// Cluster tokens that the tokenizer can reach (the rest of the cluster's tokens are unreachable).
    public var reachableClusterTokens: Int
    /// Unreachable tokens in all.
    public var unreachableTokens: Int
    /// Single rows planted near the cluster, at distances from `voidDistance` to 1.6 times it.
    public var ambientRows: Int
    public var voidDistance: Double
    /// The bulk's covariance spectrum; nil: three planted directions of wide gaps over isotropic noise.
    public var spectrum: SyntheticSpectrum? = nil

    public var tokenlessRows: Int { cluster.reduce(0) { $0 + $1.tokenless } }
    public var rows: Int { tokenizerIDs + tokenlessRows }
    public var clusterTokens: Int { cluster.reduce(0) { $0 + $1.population } }

    public static let all: [SyntheticPreset] = [.tiny, .small, .qwen3_4b, .realistic, .realisticSmall]

    /// This preset's census with a trained-like bulk spectrum (see `SyntheticSpectrum`).
    public func with(spectrum: SyntheticSpectrum, name: String) -> SyntheticPreset {
        var preset = self
        preset.spectrum = spectrum
        preset.name = name
        return preset
    }

    /// The Qwen3-4B shape and census with a trained-like spectrum: PC2 and PC3 2 % apart, PC4 and
    /// PC5 0.1 %, a power-law tail, an anisotropic mean. What benchmarks and slow tests run on.
    public static let realistic = qwen3_4b.with(spectrum: SyntheticSpectrum(gap: 0.02), name: "realistic")
    /// The same spectrum recipe at the `small` preset's size.
    public static let realisticSmall = small.with(spectrum: SyntheticSpectrum(gap: 0.02), name: "realistic-small")

    public static func named(_ name: String) -> SyntheticPreset? { all.first { $0.name == name } }

    /// A few hundred rows: the tests' model.
    public static let tiny = SyntheticPreset(
        name: "tiny", columns: 64, tokenizerIDs: 600, addedTokens: 4,
        cluster: [
            .init(distanceULP: 0, population: 30, tokenless: 12),
            .init(distanceULP: 0.5, population: 1), .init(distanceULP: 0.5, population: 2), .init(distanceULP: 0.25, population: 1),
            .init(distanceULP: 1, population: 5, tokenless: 3), .init(distanceULP: 1, population: 1), .init(distanceULP: 1, population: 1),
            .init(distanceULP: 2, population: 6, tokenless: 3), .init(distanceULP: 2, population: 1), .init(distanceULP: 2, population: 1),
            .init(distanceULP: 3, population: 1),
            .init(distanceULP: 4, population: 2),
            .init(distanceULP: 32, population: 1),
        ],
        reachableClusterTokens: 3, unreachableTokens: 150, ambientRows: 3, voidDistance: 0.0036)

    /// Thousands of rows: quick end-to-end runs.
    public static let small = SyntheticPreset(
        name: "small", columns: 256, tokenizerIDs: 8_000, addedTokens: 8,
        cluster: [.init(distanceULP: 0, population: 120, tokenless: 30)]
            + [0.5, 0.5, 0.25, 0.5, 0.25].map { .init(distanceULP: $0, population: 1) }
            + [.init(distanceULP: 1, population: 20, tokenless: 5)] + (0..<6).map { _ in .init(distanceULP: 1, population: 1) }
            + [.init(distanceULP: 2, population: 40, tokenless: 5), .init(distanceULP: 2, population: 15)]
            + (0..<10).map { _ in .init(distanceULP: 2, population: 1) }
            + [.init(distanceULP: 3, population: 1), .init(distanceULP: 4, population: 2), .init(distanceULP: 4, population: 1),
               .init(distanceULP: 32, population: 1)],
        reachableClusterTokens: 4, unreachableTokens: 400, ambientRows: 5, voidDistance: 0.0036)

    /// The shape and census of Qwen3-4B-Instruct-2507 as the seed notebooks print it: 151,936 × 2,560
    /// BF16; a cluster of 2,212 tokens on 125 vectors; Big One of 814; shells 0:34/852, 1:24/270,
    /// 2:61/1,081, 3:3/3, 4:2/5, 32:1/1; 267 tokenless rows on 6 vectors; 3,357 unreachable tokens,
    /// 1,934 of them in the cluster.
    public static let qwen3_4b: SyntheticPreset = {
        var cluster: [PlantedVector] = []
        // Shell 0: the Big One, one vector of 6, 32 singletons.
        cluster.append(.init(distanceULP: 0, population: 814, tokenless: 150))
        cluster.append(.init(distanceULP: 0.5, population: 6))
        cluster += (0..<32).map { .init(distanceULP: $0 % 3 == 0 ? 0.25 : 0.5, population: 1) }
        // Shell 1: 24 vectors, 270 tokens.
        cluster += [120, 80, 49].map { .init(distanceULP: 1, population: $0) }
        cluster += (0..<21).map { _ in .init(distanceULP: 1, population: 1) }
        // Shell 2: 61 vectors, 1,081 tokens; token 124's vector of the notebooks (306) lives here.
        cluster.append(.init(distanceULP: 2, population: 306, tokenless: 50))
        cluster += [(200, 30), (180, 20), (140, 10), (120, 7), (80, 0)].map {
            .init(distanceULP: 2, population: $0.0, tokenless: $0.1)
        }
        cluster += (0..<55).map { _ in .init(distanceULP: 2, population: 1) }
        // Shell 3 (the core's edge), and the halo: two vectors at 4 ULP, one at 32.
        cluster += (0..<3).map { _ in .init(distanceULP: 3, population: 1) }
        cluster += [.init(distanceULP: 4, population: 2), .init(distanceULP: 4, population: 3), .init(distanceULP: 32, population: 1)]
        return SyntheticPreset(name: "qwen3-4b", columns: 2_560, tokenizerIDs: 151_669, addedTokens: 26, cluster: cluster,
                               reachableClusterTokens: 11, unreachableTokens: 3_357, ambientRows: 12, voidDistance: 0.0036)
    }()
}
