import ArgumentParser
import Foundation
import JSON
import TensorFormats

#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#endif

/// Output conventions: results on stdout (readable or `--json`), progress and errors on stderr.
final class Terminal: @unchecked Sendable {
    let json: Bool
    let showProgress: Bool
    private let lock = NSLock()
    private var lastDraw = Date.distantPast
    private var lineVisible = false

    init(json: Bool, quiet: Bool) {
        self.json = json
        showProgress = !quiet && isatty(STDERR_FILENO) == 1
        Terminal.installInterruptHandler()
    }

    /// A progress callback for library stages: one line on stderr, redrawn at most ten times a second.
    var progress: (String, Double) -> Void {
        { [weak self] stage, fraction in self?.draw(stage, fraction) }
    }

    private func draw(_ stage: String, _ fraction: Double) {
        guard showProgress else { return }
        lock.lock(); defer { lock.unlock() }
        let now = Date()
        guard now.timeIntervalSince(lastDraw) > 0.1 || fraction == 0 else { return }
        lastDraw = now
        let percent = fraction > 0 ? String(format: " %3.0f%%", min(1, fraction) * 100) : ""
        FileHandle.standardError.write("\r\u{1B}[K\(stage)…\(percent)".data(using: .utf8)!)
        lineVisible = true
    }

    func clearProgress() {
        lock.lock(); defer { lock.unlock() }
        if lineVisible { FileHandle.standardError.write("\r\u{1B}[K".data(using: .utf8)!) }
        lineVisible = false
    }

    /// Prints the summary as JSON, or calls `readable` to print it for people.
    func emit(_ summary: JSONValue, readable: () -> Void) {
        clearProgress()
        if json { print(summary.serialized(pretty: true)) } else { readable() }
    }

    /// Runs a command body, turning any error into one line on stderr and exit status 1.
    func run(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let exit as ExitCode {
            throw exit
        } catch let error as ValidationError {
            throw error
        } catch {
            clearProgress()
            FileHandle.standardError.write("tokenscope: error: \(ErrorMessage.plain(error))\n".data(using: .utf8)!)
            throw ExitCode.failure
        }
    }

    /// Ctrl-C or a termination signal removes temporary files being written, then exits 130/143.
    private static let installOnce: Void = {
        // A parent may start us with these signals blocked (a blocked mask is inherited across
        // exec); unblock them so that Ctrl-C always reaches the handler.
        var unblock = sigset_t()
        sigemptyset(&unblock)
        sigaddset(&unblock, SIGINT)
        sigaddset(&unblock, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
        signal(SIGINT) { sig in
            TemporaryFiles.shared.removeAll()
            _exit(128 + sig)
        }
        signal(SIGTERM) { sig in
            TemporaryFiles.shared.removeAll()
            _exit(128 + sig)
        }
    }()

    static func installInterruptHandler() { _ = installOnce }
}

