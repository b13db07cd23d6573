import Dispatch
import Synchronization

/// A throwing computation started on a Dispatch worker thread, whose result the starting thread
/// collects later with `result()`: so two independent pieces of blocking work (decoding a
/// snapshot, scanning the log after it) use two cores.
///
/// Why this is safe: the result is written once by the worker, under a mutex, before it signals
/// the semaphore, and read only after `result()` has waited on it.
final class ConcurrentWork<Value: Sendable>: Sendable {
    private let outcome = Mutex<Result<Value, any Error>?>(nil)
    private let done = DispatchSemaphore(value: 0)

    init(_ work: @escaping @Sendable () throws -> Value) {
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            let result = Result { try work() }
            outcome.withLock { $0 = result }
            done.signal()
        }
    }

    /// Waits for the work to finish and returns its value or throws its error. Call it once.
    func result() throws -> Value {
        done.wait()
        return try outcome.withLock { $0! }.get()
    }
}
