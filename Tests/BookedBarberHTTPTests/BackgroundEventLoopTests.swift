import BookedBarberServer
import Logging
import NIOCore
import NIOPosix
import Testing

/// The webhook client's event loop, and the work that prefers it as task executor, run at the
/// lowered priority; the rest of the process keeps its own (the test runs under whatever nice
/// value it was started with).
@Suite struct BackgroundEventLoopTests {
    @Test func itsLoopRunsAtTheLoweredPriority() async throws {
        let background = BackgroundEventLoop(logger: Logger(label: "background"))
        let outside = BackgroundEventLoop.currentThreadNiceness()
        let inside = try await background.group.next().submit { BackgroundEventLoop.currentThreadNiceness() }.get()
        let preferring = await withTaskExecutorPreference(background) { BackgroundEventLoop.currentThreadNiceness() }
        #expect(inside == min(19, outside + BackgroundEventLoop.increment))
        #expect(inside > outside || outside == 19)
        #expect(preferring == inside)
        try await background.shutdown()
    }
}
