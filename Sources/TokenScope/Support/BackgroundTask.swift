import Dispatch
import Foundation

/// Work on a thread of its own, waited for later: for a stage bound by the disk rather than the CPU.
final class BackgroundTask<Value: Sendable>: @unchecked Sendable {
    private let finished = DispatchSemaphore(value: 0)
    // Written by the task before it signals, read only by the waiting thread after it has waited.
    private var outcome: Result<Value, any Error>?
    private var elapsed = 0.0
    private var waited = false

    init(_ body: @escaping @Sendable () throws -> Value) {
        DispatchQueue.global().async { [self] in
            let start = Date()
            outcome = Result { try body() }
            elapsed = Date().timeIntervalSince(start)
            finished.signal()
        }
    }

    /// The task's outcome and wall seconds, once it has finished; later calls return at once.
    func wait() -> (outcome: Result<Value, any Error>, seconds: Double) {
        if !waited {
            finished.wait()
            waited = true
        }
        return (outcome!, elapsed)
    }
}
