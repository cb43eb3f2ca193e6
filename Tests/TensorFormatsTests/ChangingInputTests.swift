import Foundation
import Testing
import TestSupport
@testable import TensorFormats

#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#endif

/// Inputs that are not what they were when opened (issue 12): a file that shrinks while it is
/// mapped, a FIFO, and the clean-up table read by signal handlers.
@Suite struct ChangingInputTests {
    @Test func aFIFOIsRefusedWithoutWaitingForAWriter() throws {
        let fifo = ScratchDirectory.make("fifo") + "/input.safetensors"
        #expect(mkfifo(fifo, 0o600) == 0)
        // Opening a FIFO for reading blocks until a writer comes: a hang if it were not refused.
        let refused = TensorFormatError(path: fifo, problem: .notARegularFile)
        #expect(throws: refused) { try MappedFile(path: fifo) }
        #expect(throws: refused) { try ModelLoader.load(path: fifo) }
        #expect(throws: refused) { try MappedFile.requireRegularFileOrDirectory(fifo) }
        try MappedFile.requireRegularFileOrDirectory(ScratchDirectory.make("fifo"))
    }

    // The SIGBUS guard and the global "changed" state are per process: these run in a child
    // process each, so that no other test sees a changed mapping or a removed temporary file.
    @Test func aFileTruncatedByAnotherThreadWhileMappedIsReportedNotFatal() async {
        await #expect(processExitsWith: .success) {
            let directory = ScratchDirectory.make("truncated")
            let path = directory + "/input.bin"
            let size = 1 << 20
            guard FileManager.default.createFile(atPath: path, contents: Data(repeating: 7, count: size)) else { exit(3) }
            let mapped = try MappedFile(path: path)
            guard MappedFile.firstChangedMapping() == nil else { exit(2) }
            // Another thread truncates the file; the read after it touches pages that are gone.
            let truncated = DispatchSemaphore(value: 0)
            Thread { _ = truncate(path, 4096); truncated.signal() }.start()
            truncated.wait()
            var sum = 0
            for byte in mapped.bytes { sum += Int(byte) }
            // The first page is still the file's; the rest reads as zeros instead of SIGBUS.
            guard sum < 7 * size, sum >= 7 * 4096 else { exit(3) }
            do {
                try mapped.checkUnchanged()
                exit(4)
            } catch let error as TensorFormatError {
                guard error.problem == .changedWhileReading else { exit(5) }
            }
            guard MappedFile.firstChangedMapping() == path else { exit(6) }
            // Nothing computed meanwhile takes a final name.
            let writer = try AtomicFileWriter(destination: directory + "/out.bin")
            try writer.write([1, 2, 3])
            do {
                try writer.commit()
                exit(7)
            } catch {}
            guard try FileManager.default.contentsOfDirectory(atPath: directory) == ["input.bin"] else { exit(8) }
        }
    }

    @Test func aChangeOutlivesTheMappingThatSawIt() async {
        await #expect(processExitsWith: .success) {
            let path = ScratchDirectory.make("released") + "/input.bin"
            guard FileManager.default.createFile(atPath: path, contents: Data(repeating: 7, count: 1 << 16)) else { exit(3) }
            do {
                let mapped = try MappedFile(path: path)
                _ = truncate(path, 0)
                var sum = 0
                for byte in mapped.bytes { sum += Int(byte) }
                guard sum == 0 else { exit(2) }
            }
            // Released, the mapping no longer exists; the change it saw is still known.
            guard MappedFile.firstChangedMapping() == path else { exit(3) }
        }
    }

    @Test func aFileRewrittenInPlaceIsReportedAsChanged() async {
        await #expect(processExitsWith: .success) {
            let path = ScratchDirectory.make("rewritten") + "/input.bin"
            guard FileManager.default.createFile(atPath: path, contents: Data(repeating: 1, count: 8192)) else { exit(3) }
            let mapped = try MappedFile(path: path)
            guard (try? mapped.checkUnchanged()) != nil else { exit(2) }
            // Same size, new bytes, a later modification time: no fault, but not the same file.
            usleep(20_000)
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            try handle.write(contentsOf: Data(repeating: 2, count: 8192))
            try handle.close()
            guard (try? mapped.checkUnchanged()) == nil else { exit(3) }
        }
    }

    @Test func theSignalHandlersTableRemovesEveryFileInFlight() async {
        await #expect(processExitsWith: .success) {
            let directory = ScratchDirectory.make("partial")
            let writers = try (0..<3).map { try AtomicFileWriter(destination: directory + "/file\($0)") }
            for writer in writers { try writer.write([1]) }
            try writers[0].commit()
            // What a signal handler does: only files still being written go.
            TemporaryFiles.shared.removeAllFromSignalHandler()
            guard try FileManager.default.contentsOfDirectory(atPath: directory) == ["file0"] else { exit(2) }
            withExtendedLifetime(writers) {}
        }
    }
}
