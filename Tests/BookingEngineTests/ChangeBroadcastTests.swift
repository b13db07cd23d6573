import BookingCore
import TestSupport
import Testing

@testable import BookingEngine

/// The wake-up of every event consumer without a list of them: a change after a consumer's
/// last look always wakes it, however the two race; changes while it is busy coalesce.
struct ChangeBroadcastTests {
    @Test func aChangeWakesEveryParkedConsumerAndChangesWhileBusyCoalesce() async {
        let broadcast = ChangeBroadcast()
        let changes = NotificationChanges(broadcast: broadcast)
        // Changes before the sequence was made are not reported.
        broadcast.signal()
        let first = NotificationChanges(broadcast: broadcast)
        let consumers = [changes, first].map { changes in
            Task {
                var iterator = changes.makeAsyncIterator()
                return await iterator.next() != nil
            }
        }
        #expect(await eventually { broadcast.hasParkedConsumers })
        // Both consumers park (one may have returned at once: its sequence predates a change).
        broadcast.signal()
        for consumer in consumers { #expect(await consumer.value) }
        #expect(!broadcast.hasParkedConsumers)

        // Three changes while the consumer is busy make one wake-up; the next wait parks.
        var iterator = NotificationChanges(broadcast: broadcast).makeAsyncIterator()
        broadcast.signal()
        broadcast.signal()
        broadcast.signal()
        #expect(await iterator.next() != nil)
        let parked = Task { [iterator] in
            var iterator = iterator
            return await iterator.next() != nil
        }
        #expect(await eventually { broadcast.hasParkedConsumers })
        broadcast.signal()
        #expect(await parked.value)
    }

    /// Producers on four threads each count a change, then signal it; the consumer waits until
    /// it has seen every change counted. A lost wake-up would leave it waiting for ever.
    @Test func noChangeIsLostWhileProducersRaceWithTheConsumer() async {
        let broadcast = ChangeBroadcast()
        let counted = Counter()
        var iterator = NotificationChanges(broadcast: broadcast).makeAsyncIterator()
        let producing = Task { await counted.countOnThreads { broadcast.signal() } }
        var wakeUps = 0
        while counted.value < Counter.changes {
            #expect(await iterator.next() != nil)
            wakeUps += 1
        }
        await producing.value
        #expect(wakeUps >= 1 && wakeUps <= Counter.changes)
    }

    @Test func cancellingTheConsumersTaskEndsItsIteration() async {
        let broadcast = ChangeBroadcast()
        let changes = NotificationChanges(broadcast: broadcast)
        let consumer = Task {
            var wakeUps = 0
            for await _ in changes { wakeUps += 1 }
            return wakeUps
        }
        #expect(await eventually { broadcast.hasParkedConsumers })
        consumer.cancel()
        #expect(await consumer.value == 0)
        // A change after the end wakes nobody and leaves nothing parked.
        broadcast.signal()
        #expect(!broadcast.hasParkedConsumers)
    }
}
