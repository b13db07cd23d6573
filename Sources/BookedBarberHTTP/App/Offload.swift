import NIOCore
import NIOPosix

/// Threads of their own for work that must not hold a thread of Swift's shared pool, which runs
/// every request (about one thread per core): `offload` runs the work on one of them and
/// resumes the caller with its result.
///
/// Why not Dispatch's global queues (used here until 2026-12): on Linux their worker threads are
/// the very threads that run Swift's shared pool. A profile of the 50,000-user run showed
/// bcrypt and request jobs on the same two threads; a burst of registrations then queued every
/// request behind its hashes (BENCHMARKS.md). `OffloadTests` checks that offloaded work keeping
/// every thread of `compute` busy leaves the shared pool free to run.
///
/// Both pools are started once and never shut down (they live as long as the process), so work
/// submitted to them always runs.
public enum Offload: Sendable {
    /// CPU-bound work: bcrypt, encoding and writing a snapshot, hashing the whole state. One
    /// thread per core, so under a burst the kernel shares the cores between it and requests.
    case compute
    /// Work that waits on the system: a name lookup, a sendmail process, `statvfs`. More
    /// threads than cores, since they mostly sleep, so a slow wait never delays compute work.
    case waiting

    private static let computePool = started(NIOThreadPool(numberOfThreads: System.coreCount))
    private static let waitingPool = started(NIOThreadPool(numberOfThreads: 16))

    private static func started(_ pool: NIOThreadPool) -> NIOThreadPool {
        pool.start()
        return pool
    }

    var pool: NIOThreadPool {
        switch self {
        case .compute: Self.computePool
        case .waiting: Self.waitingPool
        }
    }
}

/// Runs `work` on a thread of `kind`'s pool and returns its result. Not cancellable: once
/// called, the work runs to its end (a snapshot started at shutdown is still written).
public func offload<T: Sendable, E: Error>(_ kind: Offload, _ work: @escaping @Sendable () throws(E) -> T) async throws(E) -> T {
    let result: Result<T, E> = await withCheckedContinuation { continuation in
        kind.pool.submit { state in
            precondition(state == .active, "the offload pools are never shut down")
            continuation.resume(returning: Result { () throws(E) in try work() })
        }
    }
    return try result.get()
}
