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
    func emit(_ summary: () -> JSONValue, readable: () -> Void) {
        clearProgress()
        // Figures computed from a file that changed are not printed; `run` reports the change.
        guard MappedFile.firstChangedMapping() == nil else { return }
        if json { print(summary().serialized(pretty: true)) } else { readable() }
    }

    /// Runs a command body, turning any error into one line on stderr and exit status 1.
    func run(_ body: () throws -> Void) throws {
        do {
            try body()
            // A command that printed its result read the input all the same.
            if let changed = MappedFile.firstChangedMapping() {
                throw TensorFormatError(path: changed, problem: .changedWhileReading)
            }
        } catch let exit as ExitCode {
            throw exit
        } catch let error as ValidationError {
            throw error
        } catch {
            clearProgress()
            // Zeros read from a truncated input make any other error (a degenerate covariance, a
            // bad header) a consequence, not the cause.
            let cause = MappedFile.firstChangedMapping().map { TensorFormatError(path: $0, problem: .changedWhileReading) as Error } ?? error
            FileHandle.standardError.write("tokenscope: error: \(ErrorMessage.plain(cause))\n".data(using: .utf8)!)
            throw ExitCode.failure
        }
    }

    /// Signals that end the process remove the temporary files being written, then exit with
    /// 128 + the signal: Ctrl-C, termination, a closed terminal (SIGHUP), a closed pipe (SIGPIPE).
    /// A write past the file-size limit (SIGXFSZ) is ignored instead, so that `write` fails with
    /// EFBIG and the writer reports it and cleans up like any other write error.
    static let endingSignals = [SIGINT, SIGTERM, SIGHUP, SIGPIPE]

    private static let installOnce: Void = {
        // The table is allocated here, never in the handler.
        _ = TemporaryFiles.shared
        // A parent may start us with these signals blocked (a blocked mask is inherited across
        // exec); unblock them so that they always reach the handler.
        var unblock = sigset_t()
        sigemptyset(&unblock)
        for sig in endingSignals { sigaddset(&unblock, sig) }
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
        var action = sigaction()
        sigemptyset(&action.sa_mask)
        #if canImport(Darwin)
        action.__sigaction_u.__sa_handler = { sig in
            TemporaryFiles.shared.removeAllFromSignalHandler()
            _exit(128 + sig)
        }
        #else
        action.__sigaction_handler.sa_handler = { sig in
            TemporaryFiles.shared.removeAllFromSignalHandler()
            _exit(128 + sig)
        }
        #endif
        for sig in endingSignals { sigaction(sig, &action, nil) }
        signal(SIGXFSZ, SIG_IGN)
    }()

    static func installInterruptHandler() { _ = installOnce }
}

