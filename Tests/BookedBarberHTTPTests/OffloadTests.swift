import BookedBarberHTTP
import Foundation
import NIOCore
import NIOPosix
import Synchronization
import Testing

/// Offloaded work runs on threads of its own: with every thread of `Offload.compute` busy on
/// CPU-bound work (as under a burst of bcrypt hashes), Swift's shared pool still runs jobs.
/// With work on Dispatch's global queues instead (before), the busy threads were the shared
/// pool's own, and this test's continuation could not run until the work gave up (it failed so).
@Suite struct OffloadTests {
    @Test func busyComputeThreadsLeaveTheSharedPoolFree() async {
        let threads = System.coreCount
        let spinning = SpinState()
        let (started, starting) = AsyncStream.makeStream(of: Void.self)
        let spinners = (0..<threads).map { _ in
            Task {
                await offload(.compute) { () -> Bool in
                    starting.yield()
                    spinning.busy.add(1, ordering: .relaxed)
                    // Busy, as bcrypt is (a blocked thread could be replaced; a busy one is not),
                    // until released, or a minute after all are busy (other tests' work on the
                    // same pool may start them at different times).
                    var allBusySince: Date?
                    while !spinning.released.load(ordering: .acquiring) {
                        if allBusySince == nil, spinning.busy.load(ordering: .relaxed) == threads { allBusySince = Date() }
                        if let since = allBusySince, Date().timeIntervalSince(since) > 60 { return false }
                    }
                    return true
                }
            }
        }
        var running = 0
        for await _ in started {
            running += 1
            if running == threads { break }
        }
        // Every compute thread spins now, and this continuation ran on the shared pool: release them.
        spinning.released.store(true, ordering: .releasing)
        var releasedInTime = true
        for spinner in spinners { releasedInTime = await spinner.value && releasedInTime }
        #expect(releasedInTime, "the shared pool ran nothing until the offloaded work gave up")
    }
}

/// What the spinners share: how many are busy, and whether the test released them.
private final class SpinState: Sendable {
    let busy = Atomic<Int>(0)
    let released = Atomic<Bool>(false)
}
