import Foundation
import Geometry
import JSON
import Reachability
import TensorFormats
import Tokenizers

/// Parameters of a whole survey; each stage's defaults are the notebooks'.
public struct SurveyOptions: Sendable {
    public var threshold: Float = 0.002
    public var neighbourRadius: Double?
    public var maxCoreRadiusULP: Double = 3
    /// Build the neighbour graph over the spike box (as the notebooks did) instead of every row.
    public var clustersFromSpikeBox = false
    public var frame = SkyFrame()
    public var box = SkyBox.spike
    public var searchWitnesses = true
    /// A tokenizer other than the model directory's own.
    public var tokenizerPath: String?
    public var tokenizerPattern: String?
    /// Also write W.safetensors (1.1a), a copy of the matrix.
    public var extractW = true
    /// Also write the n × n distances of the spike box (1.4b), when it holds at most this many rows.
    public var distancesUpTo: Int?

    public init() {}

    var json: JSONValue {
        [
            "threshold": JSONValue(threshold), "neighbour_radius": neighbourRadius.map { JSONValue($0) } ?? nil,
            "max_core_radius_ulp": JSONValue(maxCoreRadiusULP),
            "cluster_candidates": .string(clustersFromSpikeBox ? "spike box" : "all rows"),
            "frame": ["north": JSONValue(frame.north), "meridian": JSONValue(frame.meridian), "equinox": JSONValue(frame.equinox)],
            "spike_box": ["latitude": JSONValue([box.latitude.lowerBound, box.latitude.upperBound]),
                          "longitude": JSONValue([box.longitude.lowerBound, box.longitude.upperBound]),
                          "r": JSONValue([box.radius.lowerBound, box.radius.upperBound])],
            "witness_search": JSONValue(searchWitnesses), "extract_w": JSONValue(extractW),
        ]
    }
}

/// Everything a survey found, for `survey.json` and the report.
public struct SurveyResult: Sendable {
    public var loaded: LoadedMatrix
    public var outputDirectory: String
    public var inputSHA256: String
    public var options: SurveyOptions
    public var norms: NormStage.Result
    public var sky: SkyMapStage.Result?
    public var spike: SpikeStage.Result?
    public var clusters: ClusterStage.Result
    public var core: CoreStage.Result?
    public var lattice: LatticeStage.Result?
    public var blackHoles: BlackHoleStage.Result
    public var tokenizer: Tokenizer?
    public var reachability: ReachabilityStage.Result?
    public var populations: PopulationStage.Result?
    /// Each row's exact distance to the Big One (the populations "seen from the cluster", 1.8f).
    public var distanceToBigOne: [Double]?
    /// Magikarp's indicators on the census's reference, when they could run.
    public var indicators: IndicatorStage.Result? = nil
    /// Stages that could not run, and why.
    public var skipped: [(stage: String, reason: String)]
    public var timings: [(stage: String, seconds: Double)]
    /// Wall seconds of the whole survey, up to its `survey.json`: less than the sum of `timings`,
    /// whose stages beside the others overlap them.
    public var seconds: Double = 0
    public var files: [String]
    /// The tokenizer the survey used, as an absolute path (recorded so `tokenscope serve` can encode text).
    public var tokenizerPath: String? = nil
}

extension SurveyResult: StageResult {
    /// `survey.json` (`SurveyStage.summary`).
    public var summary: JSONValue { SurveyStage.summary(self) }
}

/// `tokenscope survey`: every stage of the research on one model, into one folder.
public enum SurveyStage {
    public static let summaryName = "survey.json"
    public static let reportName = "report.html"

    /// A stage that fails ends the survey with its own error, and the files this run has
    /// written so far are removed: a folder holds a whole survey or none of this one (files of
    /// an earlier run that this one did not overwrite stay).
    public static func run(modelPath: String, tensor: String? = nil, role: MatrixRole = .unembedding,
                           options: SurveyOptions = SurveyOptions(), outputDirectory: String,
                           parallelism: Parallelism = .allCores,
                           progress: ((String, Double) -> Void)? = nil) throws -> SurveyResult {
        try FileManager.default.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true)
        var written: [String] = []
        var copyFailure: (any Error)?
        do {
            return try runStages(modelPath: modelPath, tensor: tensor, role: role, options: options,
                                 outputDirectory: outputDirectory, parallelism: parallelism, progress: progress, files: &written,
                                 copyFailure: &copyFailure)
        } catch {
            for path in written { unlink(path) }
            throw copyFailure ?? error
        }
    }

    /// - Parameter copyFailure: set when a later stage failed and so did the copy of W, which started first.
    private static func runStages(modelPath: String, tensor: String?, role: MatrixRole, options: SurveyOptions,
                                  outputDirectory: String, parallelism: Parallelism, progress: ((String, Double) -> Void)?,
                                  files: inout [String], copyFailure: inout (any Error)?) throws -> SurveyResult {
        let start = Date()
        var timings: [(String, Double)] = []
        var skipped: [(String, String)] = []
        // Every stage here writes; a path is nil only for a stage that did not run.
        func record(_ paths: String?...) { files += paths.compactMap { $0 } }
        func timed<T>(_ stage: String, _ body: () throws -> T) rethrows -> T {
            progress?(stage, 0)
            let start = Date()
            let result = try body()
            timings.append((stage, Date().timeIntervalSince(start)))
            return result
        }

        let loaded = try timed("load") { try ModelLoader.load(path: modelPath, tensor: tensor, role: role, parallelism: parallelism) }
        MatrixDigest.register(loaded)
        let matrix = loaded.matrix
        let input = modelPath
        // The digest is shared by every file's provenance; computing it first keeps the timings honest.
        let digest = timed("input digests (SHA-256 of W and of its file, or the digest cache)") { MatrixDigest.sha256(matrix, parallelism: parallelism) }

        // W's copy is mostly the disk's time (writeback, and the fsync before its rename), so it runs on a
        // thread of its own beside the stages below, which read W through its mapping, not the copy.
        let copy = options.extractW ? BackgroundTask { try ExtractStage.run(loaded, outputDirectory: outputDirectory, parallelism: .serial) } : nil
        var copyJoined = false
        // The tokenizer's half of 1.8d needs neither W nor the clusters, so it runs beside the stages
        // of W, on the cores their serial steps leave idle; only its lists wait for the cluster.
        let tokenizerPath = options.tokenizerPath ?? defaultTokenizerPath(modelPath: modelPath, loaded: loaded)
        let tokenizerWork = tokenizerPath.map { path in
            BackgroundTask { try TokenizerWork.run(path: path, options: options, rows: matrix.rows, outputDirectory: outputDirectory,
                                                   parallelism: parallelism) }
        }
        var tokenizerJoined = false
        defer {
            // A stage below failed: the background work is waited for, so that its files go with the others.
            if let copy, !copyJoined {
                switch copy.wait().outcome {
                case .success(let extracted): record(extracted.path)
                case .failure(let error): copyFailure = error
                }
            }
            if let tokenizerWork, !tokenizerJoined, case .success(let work) = tokenizerWork.wait().outcome {
                record(work.reachability?.tablePath)
            }
        }
        let timingsBeforeCopy = timings.count
        let norms = try timed("1.2a norms") { try NormStage.run(matrix: matrix, input: input, outputDirectory: outputDirectory, parallelism: parallelism) }
        record(norms.path)

        var sky: SkyMapStage.Result?
        var spike: SpikeStage.Result?
        do {
            sky = try timed("1.3a principal axes and sky map") {
                try SkyMapStage.run(matrix: matrix, input: input, frame: options.frame, outputDirectory: outputDirectory,
                                    parallelism: parallelism, progress: progress)
            }
            record(sky?.path)
            files += sky?.images ?? []
            spike = try timed("1.4a spike box") {
                try SpikeStage.run(matrix: matrix, input: input, frame: options.frame, box: options.box, sky: sky, outputDirectory: outputDirectory,
                                   parallelism: parallelism)
            }
            record(spike?.path)
        } catch let error as DegenerateInputError {
            // A matrix without principal axes has no sky; any other failure (a write) ends the survey.
            skipped.append(("1.3a sky map and 1.4a spike box", "\(error)"))
        } catch let error as StageError {
            skipped.append(("1.3a sky map and 1.4a spike box", "\(error)"))
        }

        if let spike, let limit = options.distancesUpTo, spike.ids.count <= limit, !spike.ids.isEmpty {
            let distances = try timed("1.4b pairwise distances") {
                try DistanceStage.run(matrix: matrix, input: input, ids: spike.ids, idSource: SpikeStage.fileName, allowLarge: true,
                                      exactBelow: ClusterParameters(threshold: options.threshold, neighbourRadius: options.neighbourRadius).effectiveRadius,
                                      outputDirectory: outputDirectory, parallelism: parallelism)
            }
            record(distances.path)
        } else if options.distancesUpTo != nil {
            skipped.append(("1.4b pairwise distances", "the spike box holds \(spike?.ids.count ?? 0) rows, above the limit or empty"))
        }

        var candidates: [Int]?
        if options.clustersFromSpikeBox {
            guard let spike else { throw StageError.nothingToMeasure("the spike box is unavailable, so the clusters cannot be built over it") }
            candidates = spike.ids
        }
        let clusters = try timed("1.4h neighbour graph and clusters") {
            try ClusterStage.run(matrix: matrix, input: input, candidates: candidates,
                                 candidateSource: options.clustersFromSpikeBox ? SpikeStage.fileName : nil,
                                 parameters: ClusterParameters(threshold: options.threshold, neighbourRadius: options.neighbourRadius),
                                 rowNorms: norms.norms.norms, outputDirectory: outputDirectory, parallelism: parallelism, progress: progress)
        }
        record(clusters.path)

        var core: CoreStage.Result?
        var lattice: LatticeStage.Result?
        var distanceToBigOne: [Double]?
        if let giant = clusters.census.giant, giant.tokens.count >= 2 {
            core = try timed("1.11i black holes, shells, core and halo") {
                try CoreStage.run(matrix: matrix, input: input, clusterTokens: giant.tokens,
                                  maxCoreRadiusULP: options.maxCoreRadiusULP, outputDirectory: outputDirectory, parallelism: parallelism)
            }
            record(core?.path)
            if let core {
                lattice = try timed("1.11k lattice graph") {
                    try LatticeStage.run(matrix: matrix, tokens: core.census.coreTokens, parallelism: parallelism)
                }
                distanceToBigOne = timed("1.8f distances to the Big One") {
                    DistancesFromRow(matrix: matrix, row: core.census.bigOne.tokens[0], parallelism: parallelism).distances
                }
            }
        } else {
            skipped.append(("1.11 core and lattice", "no component of two or more tokens below the threshold"))
        }
        // Over every row, the clusters' grouping is the vocabulary's: its rows need no second hashing.
        let everyRowGrouped = clusters.census.candidates.count == matrix.rows
        let blackHoles = timed("black holes in the whole vocabulary") {
            BlackHoleStage.run(matrix: matrix, identical: everyRowGrouped ? clusters.census.identical : nil, parallelism: parallelism)
        }

        var tokenizer: Tokenizer?
        var reachability: ReachabilityStage.Result?
        var populations: PopulationStage.Result?
        if let tokenizerPath, let tokenizerWork {
            progress?("waiting for the tokenizer's round trip and witnesses", 0)
            tokenizerJoined = true
            let work = try tokenizerWork.wait().outcome.get()
            tokenizer = work.tokenizer
            timings.append(("load tokenizer (beside the stages above)", work.loadSeconds))
            if var found = work.reachability {
                timings.append(("1.8d reachability, witnesses and token table (beside the stages above)", work.reachabilitySeconds))
                let clusterTokens = clusters.census.giant?.tokens ?? []
                try timed("1.8d reachability lists") {
                    found.lists = try ReachabilityLists(roundTrip: found.roundTrip, clusterIds: clusterTokens, rowCount: matrix.rows)
                    try ReachabilityStage.writeLists(&found, tokenizerPath: tokenizerPath, outputDirectory: outputDirectory)
                }
                record(found.path, found.tablePath)
                reachability = found
                populations = try timed("1.8e populations") {
                    try PopulationStage.run(reachability: found, clusterTokens: clusterTokens,
                                            rowCount: matrix.rows, outputDirectory: outputDirectory)
                }
                record(populations?.path)
            } else {
                skipped.append(("1.8d reachability", "the tokenizer has \(work.tokenizer.idCount) ids but W only \(matrix.rows) rows: they do not belong together"))
            }
        } else {
            skipped.append(("1.8d reachability, 1.8e populations, decoding", "no tokenizer: none in the model directory and none given"))
        }

        if let copy {
            copyJoined = true
            let (outcome, seconds) = copy.wait()
            record(try outcome.get().path)
            timings.insert(("1.1a extract", seconds), at: timingsBeforeCopy)
        }

        var result = SurveyResult(
            loaded: loaded, outputDirectory: outputDirectory, inputSHA256: digest, options: options, norms: norms, sky: sky,
            spike: spike, clusters: clusters, core: core, lattice: lattice, blackHoles: blackHoles, tokenizer: tokenizer,
            reachability: reachability, populations: populations, distanceToBigOne: distanceToBigOne,
            skipped: skipped, timings: timings, files: files)
        result.tokenizerPath = tokenizer == nil ? nil : tokenizerPath.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        runIndicators(&result, modelPath: modelPath, role: role, parallelism: parallelism, progress: progress)

        progress?("writing the report", 0)
        let reportStart = Date()
        let html = SurveyReport(result, parallelism: parallelism).render()
        try writeText(html, to: outputDirectory + "/" + reportName)
        files.append(outputDirectory + "/" + reportName)
        result.timings.append(("report.html", Date().timeIntervalSince(reportStart)))
        result.files.append(outputDirectory + "/" + reportName)
        result.files.append(outputDirectory + "/" + summaryName)
        result.seconds = Date().timeIntervalSince(start)
        try writeText(summary(result).serialized(pretty: true), to: outputDirectory + "/" + summaryName)
        return result
    }

    /// The model directory's tokenizer.json (else its SentencePiece tokenizer.model), or the GGUF
    /// file's own vocabulary.
    static func defaultTokenizerPath(modelPath: String, loaded: LoadedMatrix) -> String? {
        if let directory = loaded.modelDirectory {
            for name in ["tokenizer.json", "tokenizer.model"] where FileManager.default.fileExists(atPath: directory + "/" + name) {
                return directory + "/" + name
            }
        }
        if (try? TokenizerLoader.isGGUF(loaded.file)) == true, let gguf = try? GGUFFile(path: loaded.file),
           gguf["tokenizer.ggml.model"] != nil {
            return loaded.file
        }
        return nil
    }

    static func writeText(_ text: String, to path: String) throws {
        let writer = try AtomicFileWriter(destination: path)
        try writer.write(Array(text.utf8))
        try writer.commit()
    }

    /// `survey.json`: every figure, parameter, input digest and stage timing.
    public static func summary(_ r: SurveyResult) -> JSONValue {
        var stages: [JSONMember] = [
            JSONMember(key: "norms", value: r.norms.summary),
            JSONMember(key: "sky_map", value: r.sky?.summary ?? nil),
            // The sky map has its own entry.
            JSONMember(key: "spike_box", value: r.spike?.selection ?? nil),
            JSONMember(key: "clusters", value: r.clusters.summary),
            JSONMember(key: "core", value: r.core?.summary ?? nil),
            JSONMember(key: "lattice", value: r.lattice?.summary ?? nil),
            JSONMember(key: "black_holes", value: r.blackHoles.summary),
            JSONMember(key: "reachability", value: r.reachability?.summary ?? nil),
            JSONMember(key: "populations", value: r.populations?.summary ?? nil),
            JSONMember(key: "indicators", value: r.indicators?.summary ?? nil),
        ]
        if let scripts = r.reachability?.scripts, let populations = r.populations {
            stages.append(JSONMember(key: "scripts", value: SurveyReport.scriptTable(scripts: scripts, populations: populations.rowPopulations).json))
        }
        return [
            "tool": .string("tokenscope \(Provenance.toolVersion)"),
            "created": .string(ISO8601DateFormatter().string(from: Date())),
            "input": [
                "path": .string(r.loaded.modelDirectory ?? r.loaded.file), "file": .string(r.loaded.file),
                "tensor": .string(r.loaded.tensorName), "sha256": .string(r.inputSHA256),
                // The whole file's digest: for a file from the Hugging Face hub, its LFS object id.
                "file_sha256": MatrixDigest.fileSHA256(forMatrixDigest: r.inputSHA256).map { JSONValue.string($0) } ?? nil,
                "rows": JSONValue(r.loaded.matrix.rows), "columns": JSONValue(r.loaded.matrix.columns),
                "dtype": .string(r.loaded.matrix.format.rawValue),
                "tied_embeddings": r.loaded.tiedEmbeddings.map { JSONValue($0) } ?? nil,
                "quantization": r.loaded.quantization.map { JSONValue($0) } ?? nil,
                "tokenizer_ids": r.tokenizer.map { JSONValue($0.idCount) } ?? nil,
                "tokenizer": r.tokenizerPath.map { JSONValue($0) } ?? nil,
            ],
            "parameters": r.options.json,
            "stages": .object(stages),
            "skipped": .array(r.skipped.map { ["stage": .string($0.stage), "reason": .string($0.reason)] }),
            "timings_seconds": .object(r.timings.map { JSONMember(key: $0.stage, value: JSONValue($0.seconds)) }),
            "seconds": JSONValue(r.seconds),
            "files": JSONValue(r.files.map { ($0 as NSString).lastPathComponent }),
        ]
    }
}
