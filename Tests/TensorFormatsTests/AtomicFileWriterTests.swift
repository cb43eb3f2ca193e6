import CKernels
import Foundation
import Testing
import TestSupport
@testable import TensorFormats

#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#endif

/// The reservation of disk space and the early writeback of `AtomicFileWriter`.
@Suite struct AtomicFileWriterTests {
    @Test func aReservationLargerThanTheWriteLeavesNothingPastTheEnd() throws {
        let path = ScratchDirectory.make("reserve") + "/out.bin"
        // More than one writeback piece, so early writeback runs too.
        let bytes = (0..<(65 << 20) + 13).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let writer = try AtomicFileWriter(destination: path, expectedSize: bytes.count + (8 << 20))
        try writer.write(bytes)
        try writer.commit()
        let stored = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(stored.count == bytes.count)
        #expect(stored.elementsEqual(bytes))
    }

    /// A large write goes to the disk directly (O_DIRECT) where it can, in whole aligned blocks
    /// from any source alignment, after a head that shares its block with earlier bytes and before
    /// a tail under one block; an overwrite of the head afterwards lands too. The file is the bytes.
    @Test func aLargeWriteFromAnUnalignedSourceIsStoredExactly() throws {
        let path = ScratchDirectory.make("direct") + "/out.bin"
        let head: [UInt8] = Array("header of 13!".utf8)
        let large = (0..<AtomicFileWriter.directMinimum + 3 * 4096 + 777).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) }
        let writer = try AtomicFileWriter(destination: path, expectedSize: head.count + large.count - 1)
        try writer.write(head)
        // One byte in: a source address no direct write could use as it is.
        try large.withUnsafeBytes { try writer.write(UnsafeRawBufferPointer(rebasing: $0[1...])) }
        try writer.write(Array("HEADER".utf8), at: 0)
        try writer.commit()
        let stored = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(stored.elementsEqual(Array("HEADER".utf8) + head.dropFirst(6) + large.dropFirst()))
    }

    @Test func aFullDiskIsReportedBeforeWriting() throws {
        let directory = ScratchDirectory.make("full")
        let probe = open(directory + "/probe", O_WRONLY | O_CREAT, 0o644)
        defer { close(probe) }
        // Only where the file system can reserve space at all.
        guard ts_preallocate(probe, 4096) == 0 else { return }
        var stats = statvfs()
        #expect(statvfs(directory, &stats) == 0)
        let free = Int(stats.f_bavail) * Int(stats.f_frsize)
        let error = #expect(throws: TensorFormatError.self) {
            try AtomicFileWriter(destination: directory + "/out.bin", expectedSize: free + (1 << 30))
        }
        #expect(error?.problem == .insufficientSpace(bytes: free + (1 << 30)))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["probe"])
    }
}
