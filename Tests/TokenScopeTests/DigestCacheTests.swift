import Foundation
import Testing
@testable import TensorFormats
@testable import TokenScope

/// Issue 9, item 4: each input hashed once across commands, and the whole file's SHA-256 recorded.
@Suite(.serialized) struct DigestCacheTests {
    func writeModel(_ path: String, values: [Float]) throws {
        var writer = SafeTensorsWriter(metadata: ["format": "pt"])
        writer.add("W", matrix: Matrix(rows: 4, columns: 3, format: .f32, values: values))
        try writer.write(to: path)
    }

    @Test func digestsComeFromTheCacheUntilTheFileChanges() throws {
        let directory = temporaryDirectory()
        let file = directory + "/model.safetensors"
        try writeModel(file, values: (0..<12).map { Float($0) * 0.25 })
        let cache = DigestCache(directory: directory + "/cache")
        MatrixDigest.persistentCache = cache
        defer { MatrixDigest.persistentCache = nil }

        let loaded = try ModelLoader.load(path: file)
        MatrixDigest.register(loaded)
        let digest = MatrixDigest.sha256(loaded.matrix)
        #expect(digest == SHA256.hex(loaded.matrix.bytes))
        let wholeFile = try #require(FileManager.default.contents(atPath: file))
        #expect(MatrixDigest.fileSHA256(loaded.matrix) == SHA256.hex(Array(wholeFile)))
        let provenance = Provenance(step: "1.3a", parameters: [:], input: file, inputSHA256: digest).metadata
        #expect(provenance["input_file_sha256"] == SHA256.hex(Array(wholeFile)))

        // A later command (memory forgotten) reads the digests from the cache without hashing:
        // a planted entry shows where they came from.
        let identity = try #require(FileIdentity(path: file))
        var entry = try #require(cache.entry(for: identity))
        #expect(entry.fileSHA256 == SHA256.hex(Array(wholeFile)) && entry.tensors.values.contains(digest))
        let tensor = try #require(entry.tensors.first { $0.value == digest }?.key)
        entry.tensors[tensor] = String(repeating: "ab", count: 32)
        cache.store(entry, for: identity)
        MatrixDigest.forgetInMemory()
        let again = try ModelLoader.load(path: file)
        MatrixDigest.register(again)
        #expect(MatrixDigest.sha256(again.matrix) == String(repeating: "ab", count: 32))

        // Rewritten (new size or modification time or inode): a miss, so the true digest again.
        try writeModel(file, values: (0..<12).map { Float($0) * 0.5 })
        MatrixDigest.forgetInMemory()
        let changed = try ModelLoader.load(path: file)
        MatrixDigest.register(changed)
        #expect(MatrixDigest.sha256(changed.matrix) == SHA256.hex(changed.matrix.bytes))
        #expect(MatrixDigest.sha256(changed.matrix) != digest)
    }

    /// extract writes its header before the digests are known: with placeholders of the wrong
    /// length the completed header would not fit and the whole of W would be written twice.
    @Test func extractWritesWOnceWithBothDigests() throws {
        let directory = temporaryDirectory()
        let file = directory + "/model.safetensors"
        try writeModel(file, values: (0..<12).map { Float($0) * 0.75 })
        let loaded = try ModelLoader.load(path: file)
        MatrixDigest.register(loaded)
        let rewritesBefore = SafeTensorsWriter.wholeFileRewrites
        let result = try ExtractStage.run(loaded, outputDirectory: directory + "/out")
        #expect(SafeTensorsWriter.wholeFileRewrites == rewritesBefore)
        let written = try SafeTensorsFile(path: try #require(result.path))
        let wholeFile = try #require(FileManager.default.contents(atPath: file))
        #expect(written.metadata["input_file_sha256"] == SHA256.hex(Array(wholeFile)))
        #expect(written.metadata["input_sha256"] == SHA256.hex(loaded.matrix.bytes))
    }

    @Test func theStandardLocationFollowsTheEnvironment() {
        #expect(DigestCache.standard(environment: ["XDG_CACHE_HOME": "/x", "HOME": "/h"])?.directory == "/x/tokenscope")
        #expect(DigestCache.standard(environment: ["HOME": "/h"])?.directory == "/h/.cache/tokenscope")
        #expect(DigestCache.standard(environment: ["TOKENSCOPE_CACHE_DIR": "/c", "HOME": "/h"])?.directory == "/c")
        #expect(DigestCache.standard(environment: ["TOKENSCOPE_NO_CACHE": "1", "HOME": "/h"]) == nil)
    }

    @Test func aMalformedEntryIsAMiss() throws {
        let directory = temporaryDirectory()
        let file = directory + "/model.safetensors"
        try writeModel(file, values: [Float](repeating: 1, count: 12))
        let cache = DigestCache(directory: directory + "/cache")
        let identity = try #require(FileIdentity(path: file))
        try FileManager.default.createDirectory(atPath: directory + "/cache/digests", withIntermediateDirectories: true)
        try Data("{not json".utf8).write(to: URL(fileURLWithPath: cache.path(for: identity)))
        #expect(cache.entry(for: identity) == nil)
    }
}
