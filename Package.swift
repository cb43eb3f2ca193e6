// swift-tools-version:6.0
import PackageDescription

// Library modules, one concern each; the `tokenscope` executable is a thin client of `TokenScope`.
// Language mode 5: the hot loops share raw buffers across threads through
// `DispatchQueue.concurrentPerform`, which Swift 6's Sendable checking cannot express without noise.
let v5: [SwiftSetting] = [.swiftLanguageMode(.v5)]

let package = Package(
    name: "TokenScope",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "TokenScope", targets: ["TokenScope"]),
        .executable(name: "tokenscope", targets: ["tokenscope"]),
        .executable(name: "tokenscope-bench", targets: ["tokenscope-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.6.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
    ],
    targets: [
        // A strict JSON reader (duplicate keys, depth and size limits) shared by every file format.
        .target(name: "JSON", swiftSettings: v5, linkerSettings: [.linkedLibrary("m", .when(platforms: [.linux]))]),
        // `Matrix`, element formats, exact float conversion, the SIMD path and `Parallelism`: what every
        // numeric module shares.
        .target(name: "TokenScopeCore", dependencies: ["CKernels"], swiftSettings: v5),
        // safetensors (and GGUF) reading and writing over memory-mapped files; model directories.
        .target(name: "TensorFormats", dependencies: ["JSON", "TokenScopeCore", "CKernels"], swiftSettings: v5),
        // Exact geometry of the rows of W: distances, neighbour graph, black holes, core, lattice.
        .target(name: "Geometry", dependencies: ["TokenScopeCore", "CKernels"], swiftSettings: v5),
        // A tokenizer engine for tokenizer.json and tiktoken files.
        .target(name: "Tokenizers", dependencies: ["JSON", "TokenScopeCore"], swiftSettings: v5),
        // Round-trip reachability, witnesses, readable forms and scripts of tokens.
        .target(name: "Reachability", dependencies: ["Tokenizers", "TokenScopeCore"], swiftSettings: v5),
        // Plots (SVG) and the self-contained HTML report; it draws the core module's `Binning`.
        .target(name: "Report", dependencies: ["TokenScopeCore"], swiftSettings: v5),
        // Hot loops in C with per-function target attributes, dispatched at run time (SIMDPath).
        .target(name: "CKernels"),
        // SHA-256 block function: C for access to the x86 SHA extensions.
        .target(name: "CSHA256"),
        // The stages as functions, their output files, the survey and synthetic models.
        .target(
            name: "TokenScope",
            dependencies: ["JSON", "TensorFormats", "Geometry", "Tokenizers", "Reachability", "Report", "CSHA256"],
            swiftSettings: v5),
        // The `serve` inspector: an HTTP server over survey folders, kept apart so TokenScope does not link NIO.
        .target(
            name: "Inspector",
            dependencies: ["TokenScope", .product(name: "Hummingbird", package: "hummingbird")],
            swiftSettings: v5),
        .executableTarget(
            name: "tokenscope",
            dependencies: ["TokenScope", "Inspector", "Report", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: v5),
        .executableTarget(
            name: "tokenscope-bench",
            dependencies: ["TokenScope", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Benchmarks/tokenscope-bench", swiftSettings: v5),

        // Shared by the test targets: scratch folders removed when the tests end.
        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: v5),
        .testTarget(name: "JSONTests", dependencies: ["JSON"], swiftSettings: v5),
        .testTarget(name: "TokenScopeCoreTests", dependencies: ["TokenScopeCore"], swiftSettings: v5),
        .testTarget(name: "TensorFormatsTests", dependencies: ["TensorFormats", "TestSupport"], resources: [.copy("Fixtures")], swiftSettings: v5),
        .testTarget(name: "GeometryTests", dependencies: ["Geometry", "TokenScopeCore", "TensorFormats"], swiftSettings: v5),
        .testTarget(name: "TokenizersTests", dependencies: ["Tokenizers", "TokenScopeCore"], resources: [.copy("Fixtures")], swiftSettings: v5),
        .testTarget(name: "ReachabilityTests", dependencies: ["Reachability", "Tokenizers", "TokenScopeCore"], swiftSettings: v5),
        .testTarget(name: "ReportTests", dependencies: ["Report", "TokenScopeCore"], swiftSettings: v5),
        .testTarget(name: "TokenScopeTests", dependencies: ["TokenScope", "TestSupport"], resources: [.copy("Fixtures")], swiftSettings: v5),
        .testTarget(
            name: "InspectorTests",
            dependencies: ["Inspector", "TestSupport", .product(name: "Hummingbird", package: "hummingbird")],
            swiftSettings: v5),
        .testTarget(name: "CLITests", dependencies: ["tokenscope", "TestSupport"], swiftSettings: v5),
    ]
)
