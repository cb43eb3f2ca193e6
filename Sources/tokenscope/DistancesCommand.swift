import ArgumentParser
import Foundation
import JSON
import Report
import TokenScope

extension TokenScopeCommand {
    struct Distances: ToolCommand {
        static let configuration = CommandConfiguration(
            abstract: "Exact pairwise L2 distances among a selection of rows (notebook 1.4b).",
            discussion: """
                Reads the ids from --ids (the first of spike_token_ids, cluster_token_ids, candidate_token_ids) and writes \
                DIR/1.4b_overdensity_distances.safetensors = {distances: F32 [n, n], spike_token_ids: I64 [n]}. \
                Every pair whose distance can lie below --exact-below (default 4 × the census threshold 0.002) is exact \
                (sums of squared differences in double precision, rounded once to F32); the others come from the Gram \
                form ‖x‖² + ‖y‖² − 2x·y of centred rows, within a proven error bound. \
                The n × n matrix is held in memory once; above 1 GB the command asks for --yes.
                """)

        @Argument(help: "W: a safetensors file (W.safetensors) or a model directory.")
        var model: String

        @Option(help: ArgumentHelp("Safetensors file with the ids (e.g. 1.4a_spike_token_ids.safetensors).", valueName: "file"))
        var ids: String

        @Option(help: ArgumentHelp("Output directory.", valueName: "dir"))
        var out: String

        @Flag(help: "Compute and write the matrix even when it exceeds 1 GB.")
        var yes = false

        @Option(help: ArgumentHelp("Distances that can lie below this are computed exactly; 'inf' for every pair.", valueName: "d"))
        var exactBelow: Double = DistanceStage.defaultExactBelow

        @Option(help: ArgumentHelp("Instruction set of the kernels: best, scalar, avx2, avx512 or neon (one the processor lacks falls back to the widest below it).",
                                   valueName: "path"))
        var simd: SIMDPath = .best

        @OptionGroup var source: MatrixOptions
        @OptionGroup var common: CommonOptions

        var inputs: JSONValue { .inputs(["model": model, "ids": ids, "out": out, "yes": yes, "exact_below": exactBelow, "simd": simd.description], source) }

        func body(_ terminal: Terminal) throws -> CommandOutput {
            let loaded = try source.load(model, parallelism: common.parallelism)
            let selection = try TokenIDFile.read(ids, keys: DistanceStage.idKeys, rowCount: loaded.matrix.rows)
            let bytes = DistanceStage.byteCount(rows: selection.count)
            if !common.json, !common.quiet {
                FileHandle.standardError.write("\(NumberFormat.grouped(selection.count)) ids: \(NumberFormat.grouped(selection.count))² F32 = \(DistanceStage.formatBytes(bytes))\n".data(using: .utf8)!)
            }
            let result = try DistanceStage.run(matrix: loaded.matrix, input: model, ids: selection, idSource: ids, allowLarge: yes,
                                               exactBelow: exactBelow, simd: simd, outputDirectory: out,
                                               parallelism: common.parallelism, progress: terminal.progress)
            let summary: JSONValue = ["matrix": loaded.description, "distances": result.summary]
            return CommandOutput(result: summary) {
                print("\(NumberFormat.grouped(result.ids.count)) ids, \(DistanceStage.formatBytes(bytes)) of distances")
                if let range = result.distanceRange {
                    print(String(format: "off-diagonal distances from %.6g to %.6g", Double(range.lowerBound), Double(range.upperBound)))
                }
                print("\(NumberFormat.grouped(result.exactPairs)) of \(NumberFormat.grouped(result.pairs)) pairs computed from the differences (\(simd.usable))")
                if let path = result.path { print("wrote \(path)") }
            }
        }

        func validate() throws {
            if !(exactBelow >= 0) { throw ValidationError("--exact-below must be a distance ≥ 0") }
        }
    }

    struct Lattice: ToolCommand {
        static let configuration = CommandConfiguration(
            abstract: "Lattice graph of a cluster's distinct vectors: edges one representable step apart (notebooks 1.11j, 1.11k).",
            discussion: """
                Reads cluster_token_ids from --core (a 1.11i core file or a 1.4h cluster file). Nodes are the \
                distinct vectors of those tokens; an edge joins two vectors whose components differ by at most one \
                representable value of the stored type in every dimension, and by exactly one in some. Reports \
                degrees, components, the graph diameter (exact, by BFS) and the dimensions that vary.
                """)

        @Argument(help: "W: a safetensors file (W.safetensors) or a model directory.")
        var model: String

        @Option(help: ArgumentHelp("File with cluster_token_ids: 1.11i_core_cluster_tokens.safetensors or 1.4h_cluster_tokens.safetensors.", valueName: "file"))
        var core: String

        @OptionGroup var source: MatrixOptions
        @OptionGroup var common: CommonOptions

        var inputs: JSONValue { .inputs(["model": model, "core": core], source) }

        func body(_ terminal: Terminal) throws -> CommandOutput {
            let loaded = try source.load(model, parallelism: common.parallelism)
            let tokens = try TokenIDFile.read(core, keys: LatticeStage.tokenKeys, rowCount: loaded.matrix.rows)
            terminal.progress("lattice graph", 0)
            let result = try LatticeStage.run(matrix: loaded.matrix, tokens: tokens, source: core,
                                             parallelism: common.parallelism)
            let summary: JSONValue = ["matrix": loaded.description, "lattice": result.summary]
            return CommandOutput(result: summary) {
                let g = result.graph
                print("\(NumberFormat.grouped(tokens.count)) tokens on \(NumberFormat.grouped(g.nodes.count)) distinct vectors; \(NumberFormat.grouped(g.edges.count)) edges (one lattice step)")
                if !g.nonFiniteRows.isEmpty { print("skipped \(NumberFormat.grouped(g.nonFiniteRows.count)) rows holding NaN or infinity") }
                print("degrees (degree×nodes): " + g.degreeDistribution.map { "\(NumberFormat.grouped($0.degree))×\(NumberFormat.grouped($0.count))" }.joined(separator: " "))
                let sizes = g.components.map(\.count).sorted(by: >)
                print("components: \(NumberFormat.grouped(g.components.count)) (sizes \(sizes.prefix(12).map(NumberFormat.grouped).joined(separator: ", "))\(sizes.count > 12 ? ", …" : ""))")
                print("graph diameter: \(NumberFormat.grouped(g.diameter)) steps")
                print("dimensions that vary: \(NumberFormat.grouped(g.varyingDimensions.count)) of \(NumberFormat.grouped(loaded.matrix.columns))")
                for v in g.varyingDimensions.prefix(16) {
                    print("  dim \(v.dimension): \(NumberFormat.grouped(v.distinctValues)) values over \(NumberFormat.grouped(Int(v.span))) steps, \(NumberFormat.grouped(v.nodesOffMode)) vectors off the common value")
                }
            }
        }
    }
}

extension SIMDPath: ExpressibleByArgument {
    public init?(argument: String) {
        switch argument.lowercased() {
        case "best": self = .best
        case "scalar": self = .scalar
        case "neon": self = .neon
        case "avx2": self = .avx2
        case "avx512", "avx-512": self = .avx512
        default: return nil
        }
    }
}
