import Synchronization

/// Wakes every consumer of the notification changes, without a lock and without a list of
/// consumers: a change bumps the epoch, and consumers that sleep leave their `ChangeSignal`
/// on a stack for the next change to take.
///
/// `signal` is one atomic add and one load when nobody sleeps (the common case under load: a
/// consumer busy with the previous change looks at the epoch before it sleeps again). A consumer
/// that found nothing new pushes its signal, then reads the epoch again; the change bumps the
/// epoch, then looks at the stack. Both are sequentially consistent, so one of the two sees the
/// other: a change after a consumer's last look always wakes it (possibly with others, and
/// possibly once more than needed: a signal pushed by a consumer that then saw the epoch move
/// stays on the stack, and its next wait may return at once; consumers look again on wake-up).
final class ChangeBroadcast: Sendable {
    private let epoch = Atomic<UInt>(0)
    private let parked = HandoffStack<ChangeSignal>()

    init() {}

    /// The number of changes so far (wrapping), for a consumer to remember what it has seen.
    var current: UInt { epoch.load(ordering: .sequentiallyConsistent) }

    /// Records a change and wakes every consumer that sleeps.
    func signal() {
        epoch.wrappingAdd(1, ordering: .sequentiallyConsistent)
        if parked.isEmpty { return }
        for consumer in parked.takeAll() { consumer.signal()?.resume() }
    }

    /// Returns once the epoch differs from `seen` (true), or false if the calling task was
    /// cancelled; `signal` is the consumer's own.
    func wait(changedFrom seen: UInt, signal: ChangeSignal) async -> Bool {
        if current != seen { return true }
        parked.push(signal)
        if current != seen { return true }
        return await signal.wait()
    }

    /// Whether some consumer sleeps until the next change.
    var hasParkedConsumers: Bool { !parked.isEmpty }
}

/// The changes of `NotificationJournal` as an async sequence of wake-ups (coalesced), for one
/// consumer; it ends when its task is cancelled. Dropping it needs nothing: the journal keeps
/// no list of consumers.
public struct NotificationChanges: AsyncSequence, Sendable {
    public typealias Element = Void

    let broadcast: ChangeBroadcast
    /// The epoch when the sequence was made: the first wake-up comes with the first change after.
    let start: UInt

    init(broadcast: ChangeBroadcast) {
        self.broadcast = broadcast
        self.start = broadcast.current
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let broadcast: ChangeBroadcast
        let signal = ChangeSignal()
        /// The epoch this consumer has looked at.
        var seen: UInt

        public mutating func next() async -> Void? {
            if Task.isCancelled { return nil }
            guard await broadcast.wait(changedFrom: seen, signal: signal) else { return nil }
            seen = broadcast.current
            return ()
        }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(broadcast: broadcast, seen: start) }
}
