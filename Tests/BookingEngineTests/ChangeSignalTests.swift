import BookingCore
import Dispatch
import Foundation
import Synchronization
import TestSupport
import Testing

@testable import BookingEngine

/// The lock-free wake-up of the event consumers: signals coalesce, none is lost however they
/// race with the consumer, and finishing or cancelling ends the consumer's wait.
struct ChangeSignalTests {
    @Test func signalsBeforeAWaitCoalesceIntoOneWakeUpAndFinishingEndsIt() async {
        let signal = ChangeSignal()
        // Nobody is parked: every signal returns nothing to resume.
        #expect(signal.signal() == nil && signal.signal() == nil && signal.signal() == nil)
        #expect(await signal.wait())
        // The three were one: the next wait parks, and the next signal hands it over to resume.
        let consumer = Task { await signal.wait() }
        #expect(await eventually { signal.hasParkedConsumer })
        let parked = signal.signal()
        #expect(parked != nil && !signal.hasParkedConsumer)
        parked?.resume()
        #expect(await consumer.value)
        signal.finish()
        #expect(signal.signal() == nil)
        #expect(await signal.wait() == false)
    }

    /// Producers on four threads each count a change, then signal it; the consumer waits until
    /// it has seen every change counted. A lost wake-up would leave it waiting for ever.
    @Test func noSignalIsLostWhileProducersRaceWithTheConsumer() async {
        let signal = ChangeSignal()
        let counted = Counter()
        let producing = Task { await counted.countOnThreads { signal.signal()?.resume() } }
        var wakeUps = 0
        while counted.value < Counter.changes {
            #expect(await signal.wait())
            wakeUps += 1
        }
        await producing.value
        #expect(wakeUps >= 1 && wakeUps <= Counter.changes)
        signal.finish()
        #expect(await signal.wait() == false)
    }

    @Test func cancellingTheConsumersTaskEndsItsWait() async {
        let signal = ChangeSignal()
        let consumer = Task { await signal.wait() }
        consumer.cancel()
        #expect(await consumer.value == false)
        #expect(signal.signal() == nil)
    }
}

/// A counter many threads add to.
final class Counter: Sendable {
    private let count = Atomic(0)
    func increment() { count.add(1, ordering: .sequentiallyConsistent) }
    var value: Int { count.load(ordering: .sequentiallyConsistent) }

    /// How many changes `countOnThreads` counts: 5,000 on each of 4 threads.
    static let changes = 4 * 5_000

    /// Producers on four threads of the dispatch pool, each counting a change and then
    /// announcing it with `announce`, `changes` times in all; returns once all are done.
    func countOnThreads(announce: @escaping @Sendable () -> Void) async {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                DispatchQueue.concurrentPerform(iterations: 4) { _ in
                    for _ in 0..<Self.changes / 4 {
                        self.increment()
                        announce()
                    }
                }
                continuation.resume()
            }
        }
    }
}
