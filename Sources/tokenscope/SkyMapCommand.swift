import ArgumentParser
import Foundation
import JSON
import Report
import TokenScope

/// Which principal axis is which direction of the sky.
struct FrameOptions: ParsableArguments, InputGroup {
    @Option(parsing: .unconditional, help: "North pole: a 1-indexed principal component; negative flips its sign.")
    var north: Int = 2

    @Option(parsing: .unconditional, help: "Meridian (longitude 0): a 1-indexed principal component; negative flips its sign.")
    var meridian: Int = 1

    @Option(parsing: .unconditional, help: "Equinox (longitude 90°): a 1-indexed principal component; negative flips its sign.")
    var equinox: Int = 3

    var frame: SkyFrame { SkyFrame(north: north, meridian: meridian, equinox: equinox) }

    var inputMembers: [JSONMember] {
        [JSONMember(key: "north", value: JSONValue(north)), JSONMember(key: "meridian", value: JSONValue(meridian)),
         JSONMember(key: "equinox", value: JSONValue(equinox))]
    }

    func validate() throws {
        if let problem = frame.problem { throw ValidationError(problem) }
    }
}

extension TokenScopeCommand {
    struct SkyMapCommand: ToolCommand {
        static let configuration = CommandConfiguration(
            commandName: "skymap",
            abstract: "Principal-axis frame and the sky coordinates of every row (notebooks 1.3a, 1.3b).",
            discussion: """
                Centres W, takes the covariance (divided by the number of finite rows) and its top principal axes (block \
                Krylov, to a stated error bound per axis; axes whose eigenvalues are too close to separate are reported as \
                such); each axis is signed so that its largest-magnitude component is positive. The uncentred rows are \
                projected: x = W·meridian, y = W·equinox, z = W·north; r, latitude = asin(z/r), longitude = atan2(y, x) in \
                degrees.

                Writes DIR/1.3a_sky_coordinates.safetensors: x, y, z, r, latitude, longitude (F32 [V]), basis (F32 [3, \
                d], rows meridian, equinox, north), basis_pc (I64 [3]), eigenvalues (F64 [3], PC1–PC3) and density (I64 \
                [360, 180], 1° counts, longitude-major).
                """)

        @Argument(help: "W: a safetensors file (W.safetensors) or a model directory.")
        var model: String

        @Option(help: ArgumentHelp("Output directory.", valueName: "dir"))
        var out: String

        @OptionGroup var axes: FrameOptions
        @OptionGroup var source: MatrixOptions
        @OptionGroup var common: CommonOptions

        var inputs: JSONValue { .inputs(["model": model, "out": out], axes, source) }

        func body(_ terminal: Terminal) throws -> CommandOutput {
            let loaded = try source.load(model, parallelism: common.parallelism)
            let result = try SkyMapStage.run(matrix: loaded.matrix, input: model, frame: axes.frame, outputDirectory: out,
                                             parallelism: common.parallelism, progress: terminal.progress)
            let summary: JSONValue = ["matrix": loaded.description, "skymap": result.summary]
            return CommandOutput(result: summary) {
                printSky(result, loaded: loaded)
                for path in [result.path].compactMap({ $0 }) + result.images { print("wrote \(path)") }
            }
        }
    }

    struct Spike: ToolCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rows inside a box of sky coordinates: the spike (notebook 1.4a).",
            discussion: """
                Computes the sky frame as `skymap` does and keeps the rows with latitude, longitude and r inside the \
                box, every edge inclusive, compared as the F32 values skymap writes.

                Writes DIR/1.4a_spike_token_ids.safetensors = {spike_token_ids: I64 ascending}, the candidate list of \
                `tokenscope clusters --candidate-ids`.
                """)

        @Argument(help: "W: a safetensors file (W.safetensors) or a model directory.")
        var model: String

        @Option(help: ArgumentHelp("Output directory.", valueName: "dir"))
        var out: String

        @Option(parsing: .unconditional, help: ArgumentHelp("Latitude range in degrees, inclusive (default: \(Interval(SkyBox.spike.latitude).text)).",
                                                            valueName: "lo,hi"), transform: Interval.parse)
        var lat = Interval(SkyBox.spike.latitude)

        @Option(parsing: .unconditional, help: ArgumentHelp("Longitude range in degrees, inclusive (default: \(Interval(SkyBox.spike.longitude).text)).",
                                                            valueName: "lo,hi"), transform: Interval.parse)
        var lon = Interval(SkyBox.spike.longitude)

        @Option(parsing: .unconditional, help: ArgumentHelp("Radius range, inclusive (default: \(Interval(SkyBox.spike.radius).text)).", valueName: "lo,hi"),
                transform: Interval.parse)
        var r = Interval(SkyBox.spike.radius)

        @Option(help: ArgumentHelp("A tokenizer (tokenizer.json, model directory, GGUF): print the script mix of the selection.", valueName: "path"))
        var tokenizer: String?

        @OptionGroup var axes: FrameOptions
        @OptionGroup var source: MatrixOptions
        @OptionGroup var common: CommonOptions

        var inputs: JSONValue {
            .inputs(["model": model, "out": out, "lat": lat.bounds, "lon": lon.bounds, "r": r.bounds, "tokenizer": tokenizer], axes, source)
        }

        func body(_ terminal: Terminal) throws -> CommandOutput {
            let loaded = try source.load(model, parallelism: common.parallelism)
            let vocabulary = try tokenizer.map { try TokenizerLoader.load(path: $0, parallelism: common.parallelism) }
            let box = SkyBox(latitude: lat.range, longitude: lon.range, radius: r.range)
            let result = try SpikeStage.run(matrix: loaded.matrix, input: model, frame: axes.frame, box: box,
                                            outputDirectory: out, parallelism: common.parallelism, progress: terminal.progress)
            let mix = vocabulary.map { TokenScript.mix(of: result.ids, tokenizer: $0) }
            let summary: JSONValue = ["matrix": loaded.description, "spike": result.summary,
                                      "scripts": mix.map { .object($0.map { JSONMember(key: $0.script.rawValue, value: JSONValue($0.count)) }) } ?? nil]
            return CommandOutput(result: summary) {
                printSky(result.sky, loaded: loaded)
                print("box: latitude [\(box.latitude.lowerBound), \(box.latitude.upperBound)], longitude [\(box.longitude.lowerBound), "
                      + "\(box.longitude.upperBound)], r [\(box.radius.lowerBound), \(box.radius.upperBound)] (inclusive)")
                print("spike: \(NumberFormat.grouped(result.ids.count)) rows")
                if let mix { print("scripts: " + mix.map { "\($0.script.rawValue) \(NumberFormat.grouped($0.count))" }.joined(separator: ", ")) }
                if let path = result.path { print("wrote \(path)") }
            }
        }
    }
}

private func printSky(_ result: SkyMapStage.Result, loaded: LoadedMatrix) {
    let m = loaded.matrix, axes = result.axes, map = result.map
    print("W: \(NumberFormat.grouped(m.rows)) × \(NumberFormat.grouped(m.columns)) \(m.format.rawValue); \(NumberFormat.grouped(axes.rowsUsed)) finite rows used")
    if !axes.nonFiniteRows.isEmpty {
        print("skipped \(NumberFormat.grouped(axes.nonFiniteRows.count)) rows holding NaN or infinity (NaN coordinates): "
              + axes.nonFiniteRows.prefix(10).map(String.init).joined(separator: ", "))
    }
    if !map.rowsAtOrigin.isEmpty { print("\(NumberFormat.grouped(map.rowsAtOrigin.count)) rows at the origin have no direction (NaN latitude and longitude)") }
    print("eigenvalues " + axes.eigenvalues.enumerated().map { String(format: "PC%d %.6g", $0.offset + 1, $0.element) }.joined(separator: ", "))
    let worst = axes.errorBounds.max() ?? 0
    print("principal axes: \(NumberFormat.grouped(axes.passes)) passes over W (\(axes.singlePrecisionPasses) in single precision, \(axes.simdPath)), "
          + (axes.converged ? String(format: "error bound %.1e", worst) : String(format: "NOT converged (error bound %.1e)", worst)))
    for cluster in axes.unresolved {
        let names = cluster.components.map { "PC\($0)" }.joined(separator: ", ")
        print(String(format: "\(names): eigenvalues within %.1e of λ1, too close to separate: each axis is any unit vector of their span "
                     + "(subspace error bound %.1e)", cluster.relativeGap, cluster.subspaceErrorBound))
    }
    print("frame: north \(SkyFrame.axisName(map.frame.north)), meridian \(SkyFrame.axisName(map.frame.meridian)), "
          + "equinox \(SkyFrame.axisName(map.frame.equinox))")
}
