// swift-tools-version:6.0
import Foundation
import PackageDescription

// libFuzzer targets for the readers of untrusted files. Separate from the main package so that its
// `swift build` and `swift test` never see them; build and run with `scripts/fuzz.sh`.
//
// The main package is a path dependency; its identity is the name of its directory, which differs
// between checkouts, so it is read from this file's location.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
let mainPackage = root.lastPathComponent.lowercased()
let tokenScope: Target.Dependency = .product(name: "TokenScope", package: mainPackage)

let package = Package(
    name: "TokenScopeFuzz",
    platforms: [.macOS(.v13)],
    dependencies: [.package(path: "..")],
    targets: [
        .executableTarget(name: "FuzzSafeTensors", dependencies: [tokenScope], swiftSettings: [.swiftLanguageMode(.v5)]),
        .executableTarget(name: "FuzzGGUF", dependencies: [tokenScope], swiftSettings: [.swiftLanguageMode(.v5)]),
        .executableTarget(name: "FuzzJSON", dependencies: [tokenScope], swiftSettings: [.swiftLanguageMode(.v5)]),
        .executableTarget(name: "FuzzTokenizer", dependencies: [tokenScope], swiftSettings: [.swiftLanguageMode(.v5)]),
    ]
)
