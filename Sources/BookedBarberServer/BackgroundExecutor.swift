#if canImport(Glibc)
import Glibc
#endif
import Logging
import NIOCore
import NIOPosix

/// One thread, at a lower CPU priority than the request path (its nice value `increment` above
/// the process's), for the work
/// that follows a booking and must never slow bookings down: webhook deliveries and mail. The
/// delivery services run with this as their task executor preference (their actors and every
/// attempt run here), and the webhook HTTP client's connections live on its event loop.
///
/// Why: with one webhook endpoint subscribed, the deliveries (an HTTP client request per event)
/// took a fifth of the CPU while bookings saturated the machine, and booking throughput fell to
/// 0.83-0.88x of the build without events (BENCHMARKS.md). Ten nice steps down, the kernel gives the
/// request path ~9x the share of this thread when both want the CPU, and this thread all the
/// CPU left over: under a saturating load deliveries fall behind and catch up afterwards (the
/// lag grows, bookings do not slow); below saturation nothing waits.
///
/// Why this is safe: `enqueue` hands each job to the event loop, which runs jobs one at a time
/// on its one thread, in order; the class holds only constants of `Sendable` types.
public final class BackgroundExecutor: TaskExecutor {
    public static let increment: Int32 = 10

    /// For an HTTP client whose connections should run here too.
    public let group: MultiThreadedEventLoopGroup
    private let loop: any EventLoop

    public init(logger: Logger) {
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        loop = group.next()
        // The loop's first job: nothing else runs on its thread before the priority is lowered.
        loop.execute {
            if let failure = Self.lowerThisThreadsPriority() {
                logger.warning("background work runs at normal priority", metadata: ["error": "\(failure)"])
            }
        }
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }

    /// The calling thread's nice value: this executor's thread's when called from its work.
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

    /// After every task that prefers this executor has ended.
    public func shutdown() async throws { try await group.shutdownGracefully() }
}
