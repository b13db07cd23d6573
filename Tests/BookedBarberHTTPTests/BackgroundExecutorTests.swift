import BookedBarberServer
import Logging
import Testing

/// The delivery services' executor: work that prefers it runs at the lowered priority, actors
/// called from that work too, and the rest of the process keeps its own (the
/// test runs under whatever nice value it was started with).
@Suite struct BackgroundExecutorTests {
    actor Probe {
        func niceness() -> Int32 { BackgroundExecutor.currentThreadNiceness() }
    }

    @Test func workThatPrefersItRunsAtTheLoweredPriority() async throws {
        let background = BackgroundExecutor(logger: Logger(label: "background"))
        let outside = await Task.detached { BackgroundExecutor.currentThreadNiceness() }.value
        let (inside, inActor) = await withTaskExecutorPreference(background) {
            (BackgroundExecutor.currentThreadNiceness(), await Probe().niceness())
        }
        #expect(inside == min(19, outside + BackgroundExecutor.increment))
        #expect(inActor == inside)
        #expect(inside > outside || outside == 19)
        try await background.shutdown()
    }
}
