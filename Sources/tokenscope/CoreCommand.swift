import ArgumentParser
import Geometry
import JSON
import Report
import TokenScope

extension TokenScopeCommand {
    struct Core: ToolCommand {
        static let configuration = CommandConfiguration(
            abstract: "Black holes, the Big One, ULP shells, core and halo of a cluster (notebooks 1.11a, 1.11h, 1.11i).",
            discussion: """
                Reads cluster_token_ids from --clusters (a 1.4h file) and writes DIR/1.11i_core_cluster_tokens.safetensors: \
                the core's ids (a drop-in for the 1.4h file), max_core_radius_ulp, n_core_tokens, n_halo_tokens \
                and halo_token_ids. The ULP unit is one step of the stored grid at the Big One's median absolute \
                non-zero component; shells are ⌊L∞ distance in ULP⌋.
                """)

        @Argument(help: "W: a safetensors file (W.safetensors) or a model directory.")
        var model: String

        @Option(help: ArgumentHelp("The 1.4h_cluster_tokens.safetensors file.", valueName: "file"))
        var clusters: String

        @Option(help: ArgumentHelp("Output directory.", valueName: "dir"))
        var out: String

        @Option(name: .customLong("max-core-radius-ulp"), parsing: .unconditional,
                help: "Core: unique vectors within this L∞ distance of the Big One, in ULP (default: 3).", transform: ArgumentValue.nonNegativeDouble)
        var maxCoreRadiusULP: Double = 3

        @OptionGroup var source: MatrixOptions
        @OptionGroup var common: CommonOptions

        var inputs: JSONValue {
            .inputs(["model": model, "clusters": clusters, "out": out, "max_core_radius_ulp": maxCoreRadiusULP], source)
        }

        func body(_ terminal: Terminal) throws -> CommandOutput {
            let loaded = try source.load(model, parallelism: common.parallelism)
            let ids = try CoreStage.clusterTokens(fromFile: clusters, rowCount: loaded.matrix.rows)
            terminal.progress("measuring the cluster", 0)
            let result = try CoreStage.run(matrix: loaded.matrix, input: model, clusterTokens: ids,
                                           maxCoreRadiusULP: maxCoreRadiusULP, outputDirectory: out,
                                           parallelism: common.parallelism)
            let summary: JSONValue = ["matrix": loaded.description, "core": result.summary]
            return CommandOutput(result: summary) {
                print(loaded.headline)
                printReadable(result.census, path: result.path)
            }
        }

        func printReadable(_ census: CoreCensus, path: String?) {
            let tokens = census.vectors.reduce(0) { $0 + $1.population }
            let holes = census.blackHoles
            print("cluster: \(NumberFormat.grouped(tokens)) tokens on \(NumberFormat.grouped(census.vectors.count)) unique vectors; "
                  + "\(NumberFormat.grouped(holes.count)) black holes hold \(NumberFormat.grouped(holes.reduce(0) { $0 + $1.population })) tokens, \(NumberFormat.grouped(census.vectors.count - holes.count)) singletons")
            print("Big One: \(NumberFormat.grouped(census.bigOne.population)) tokens at norm \(String(format: "%.6f", census.bigOne.norm)) (token \(census.bigOne.tokens[0]))")
            print("ULP unit \(String(format: "%.6e", census.ulpUnit)) (median |component| \(String(format: "%.6e", census.medianComponent)), \(census.format.rawValue))")
            print("shells (ULP: vectors/tokens): " + census.shells.map { "\($0.shell): \(NumberFormat.grouped($0.vectors))/\(NumberFormat.grouped($0.tokens))" }.joined(separator: ", "))
            print("core (≤ \(census.maxCoreRadiusULP) ULP): \(NumberFormat.grouped(census.coreVectors.count)) vectors, \(NumberFormat.grouped(census.coreTokens.count)) tokens")
            print("halo: \(NumberFormat.grouped(census.haloTokens.count)) tokens \(census.haloTokens) at \(census.haloVectors.map { String(format: "%g", $0.distanceULP) }.joined(separator: ", ")) ULP")
            if let path { print("wrote \(path)") }
        }
    }

    struct BlackHoles: ToolCommand {
        static let configuration = CommandConfiguration(
            commandName: "blackholes",
            abstract: "List every group of two or more identical rows of W (exact equality of stored values, +0 = −0).")

        @Argument(help: "W: a safetensors file (W.safetensors) or a model directory.")
        var model: String

        @Option(help: "How many groups to list (default: 20).", transform: ArgumentValue.integer(atLeast: 0))
        var limit: Int = 20

        var inputs: JSONValue { .inputs(["model": model, "limit": limit], source) }

        @OptionGroup var source: MatrixOptions
        @OptionGroup var common: CommonOptions

        func body(_ terminal: Terminal) throws -> CommandOutput {
            let loaded = try source.load(model, parallelism: common.parallelism)
            terminal.progress("grouping identical rows", 0)
            let result = BlackHoleStage.run(matrix: loaded.matrix, listLimit: limit, parallelism: common.parallelism)
            let summary: JSONValue = ["matrix": loaded.description, "black_holes": result.summary]
            return CommandOutput(result: summary) {
                print(loaded.headline)
                let census = result.census
                print("\(NumberFormat.grouped(census.rowCount)) rows, \(NumberFormat.grouped(census.uniqueVectors)) unique vectors; "
                      + "\(NumberFormat.grouped(census.holes.count)) groups of identical rows hold \(NumberFormat.grouped(census.tokensInHoles)) rows")
                for hole in census.holes.prefix(limit) {
                    let ids = hole.tokens.prefix(8).map(String.init).joined(separator: ", ")
                    print(NumberFormat.grouped(hole.tokens.count).leftPadded(to: 7) + String(format: " rows  norm %.6f  ids ", hole.norm) + ids + (hole.tokens.count > 8 ? ", …" : ""))
                }
            }
        }
    }
}
