#if canImport(Glibc)
import Glibc
#endif
import Logging
import NIOCore
import NIOPosix

/// One event loop thread at a lower CPU priority than the request path (its nice value
/// `increment` above the process's), for the webhook deliveries' own work: the HTTP client's
/// connections live on its event loop (the HTTP encoding, parsing and socket calls), and each
/// POST (the event's JSON, its signature, the client's request) runs with it as task executor.
/// When bookings keep the cores busy the kernel gives them first call and deliveries take the
/// CPU left over.
///
/// Only work that takes none of the engine's locks may run here (the notification journal's,
/// the log's): a low-priority thread preempted while holding a lock that every booking needs
/// would make the bookings wait for it (priority inversion; measured: booking throughput with a
/// webhook subscribed fell to 0.67x when the whole delivery service ran on this thread,
/// BENCHMARKS.md). The delivery service's bookkeeping (what is owed, outcomes into the log)
/// stays on the shared pool.
///
/// Why this is safe: `enqueue` hands each job to the event loop, which runs jobs one at a time
/// on its one thread, in order; the class holds only constants of `Sendable` types.
public final class BackgroundEventLoop: TaskExecutor {
    public static let increment: Int32 = 10

    public let group: MultiThreadedEventLoopGroup
    private let loop: any EventLoop

    public init(logger: Logger) {
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        loop = group.next()
        // The loop's first job: nothing else runs on its thread before the priority is lowered.
        loop.execute {
            if let failure = Self.lowerThisThreadsPriority() {
                logger.warning("webhook connections run at normal priority", metadata: ["error": "\(failure)"])
            }
        }
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }

    /// The calling thread's nice value (on Linux a per-thread value).
    public static func currentThreadNiceness() -> Int32 {
        errno = 0
        return getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
    }

    /// Lowers the calling thread's priority (on Linux the nice value is per thread, and `who` 0
    /// names the calling thread); a description of the failure, or nil.
    private static func lowerThisThreadsPriority() -> String? {
        let lowered = min(19, currentThreadNiceness() + increment)
        guard setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, lowered) == 0 else {
            return String(cString: strerror(errno))
        }
        return nil
    }

    /// After the HTTP client on it has shut down and every task that prefers it has ended.
    public func shutdown() async throws { try await group.shutdownGracefully() }
}
