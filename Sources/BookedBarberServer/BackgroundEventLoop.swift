#if canImport(Glibc)
import Glibc
#endif
import Logging
import NIOCore
import NIOPosix

/// One event loop thread at a lower CPU priority than the request path (its nice value
/// `increment` above the process's), for the webhook HTTP client's connections: the HTTP
/// encoding, parsing and socket calls of every delivery (about half of a delivery's CPU) run
/// here, so when bookings keep the cores busy the kernel gives them first call and deliveries
/// take the CPU left over.
///
/// Only the client's I/O runs here, never code that takes the engine's locks (the notification
/// journal's, the log's): a low-priority thread preempted while holding a lock that every
/// booking needs would make the bookings wait for it (priority inversion; measured: booking
/// throughput with a webhook subscribed fell to 0.67x when the whole delivery service ran on
/// this thread, BENCHMARKS.md).
///
/// Why this is safe: a `MultiThreadedEventLoopGroup` of one thread; the class holds only constants.
public final class BackgroundEventLoop: Sendable {
    public static let increment: Int32 = 10

    public let group: MultiThreadedEventLoopGroup

    public init(logger: Logger) {
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        // The loop's first job: nothing else runs on its thread before the priority is lowered.
        group.next().execute {
            if let failure = Self.lowerThisThreadsPriority() {
                logger.warning("webhook connections run at normal priority", metadata: ["error": "\(failure)"])
            }
        }
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

    /// After the HTTP client on it has shut down.
    public func shutdown() async throws { try await group.shutdownGracefully() }
}
