import BookingCore
import Synchronization

/// The isolation domain of the notification state (events, webhook endpoints, delivery
/// outcomes): a thin shell that owns a `NotificationState` and puts every notification change
/// into the log.
///
/// Why this is safe: the state is only touched behind `shared`'s mutex, and every record that
/// holds a notification change is appended to the journal inside that same critical section,
/// after the change is decided and applied. So event sequences follow LSN order, the state
/// reflects exactly the notification records up to the journal's newest LSN read under the
/// lock (`capture`), and an event exists in memory only once its record is queued in the log.
/// Readers copy out what they need under the lock; the ring itself is never shared, so appends
/// do not copy it.
public final class NotificationJournal: Sendable {
    private let journal: any ChangeJournal
    private let clock: @Sendable () -> Instant
    private let shared: Mutex<Shared>

    private struct Shared {
        var state = NotificationState()
        /// The LSN of the newest record that holds an event; consumers wait for it to be durable
        /// before they show events (a change is never reported before it is acknowledged).
        var lastEventLSN: LSN = 0
        var subscribers: [Int: ChangeSignal] = [:]
        var nextSubscriber = 0
        /// When each recent event was recorded by this process (for the delivery lag metric):
        /// the entry of event `recordedFrom + i` is `recordedAt[i]`.
        var recordedAt: [ContinuousClock.Instant] = []
        var recordedFrom: EventSequence = 1

        /// Signals every consumer; returns those that were parked, to resume after the lock.
        func signalSubscribers() -> [ChangeSignal.Parked] { subscribers.values.compactMap { $0.signal() } }
    }

    /// How many recording times are kept for the delivery lag metric (16 bytes each; a delivery
    /// of an older event measures its lag from the event's whole-second `createdAt`).
    static let recordedTimes = 100_000

    public init(journal: any ChangeJournal, clock: @escaping @Sendable () -> Instant) {
        self.journal = journal
        self.clock = clock
        self.shared = Mutex(Shared())
    }

    /// Appends `changes` with the events they produce as one record: numbers the drafts, stamps
    /// them with the clock, applies them and queues the record, in one critical section.
    public func append(_ changes: [ShopChange], events: [EventDraft]) -> LSN {
        if events.isEmpty { return journal.append(changes) }
        let now = clock()
        let monotonic = ContinuousClock.now
        let (lsn, waiting) = shared.withLock { shared in
            if shared.recordedAt.isEmpty { shared.recordedFrom = shared.state.lastSequence + 1 }
            if shared.recordedAt.count >= Self.recordedTimes {
                shared.recordedAt.removeFirst(Self.recordedTimes / 2)
                shared.recordedFrom += EventSequence(Self.recordedTimes / 2)
            }
            var record = changes
            for draft in events {
                let event = Event(
                    sequence: shared.state.lastSequence + 1, type: draft.type, createdAt: now, payload: draft.payload)
                shared.state.apply(.eventRecorded(event))
                shared.recordedAt.append(monotonic)
                record.append(.notification(.eventRecorded(event)))
            }
            let lsn = journal.append(record)
            shared.lastEventLSN = lsn
            return (lsn, shared.signalSubscribers())
        }
        for consumer in waiting { consumer.resume() }
        return lsn
    }

    /// Decides notification changes against the current state and, if allowed, applies and
    /// journals them as one record, in one critical section. Returns `decide`'s value and the
    /// LSN to await.
    public func commit<Value: Sendable>(
        _ decide: (NotificationState) -> Result<([NotificationChange], Value), BookingError>
    ) -> Result<(Value, LSN), BookingError> {
        let result = shared.withLock { shared -> Result<(Value, LSN, [ChangeSignal.Parked]), BookingError> in
            decide(shared.state).map { changes, value in
                for change in changes { shared.state.apply(change) }
                let lsn = changes.isEmpty ? journal.lastLSN : journal.append(changes.map { .notification($0) })
                return (value, lsn, shared.signalSubscribers())
            }
        }
        return result.map { value, lsn, waiting in
            for consumer in waiting { consumer.resume() }
            return (value, lsn)
        }
    }

    /// Runs a read-only query against the state, under the lock; `query` must copy out only
    /// what it needs.
    public func read<T>(_ query: (NotificationState) -> T) -> T { shared.withLock { query($0.state) } }

    /// Like `read`, with the LSN to wait for (`waitUntilDurable`) before showing any event it read.
    public func readForShowing<T>(_ query: (NotificationState) -> T) -> (value: T, lsn: LSN) {
        shared.withLock { (query($0.state), $0.lastEventLSN) }
    }

    /// Like `read`, but returns once every record the state reflected when `query` ran is
    /// durable: what it returns survives a crash.
    public func readDurable<T: Sendable>(_ query: (NotificationState) -> T) async -> T {
        let (value, lsn) = shared.withLock { (query($0.state), journal.lastLSN) }
        await waitUntilDurable(lsn)
        return value
    }

    /// When this process recorded event `sequence`, if it did so recently.
    public func recordedAt(_ sequence: EventSequence) -> ContinuousClock.Instant? {
        shared.withLock { shared in
            let index = Int(sequence - shared.recordedFrom)
            return shared.recordedAt.indices.contains(index) ? shared.recordedAt[index] : nil
        }
    }

    /// Wakes (coalesced) whenever the state changed; ends when the consumer stops iterating or
    /// its task is cancelled.
    public func changes() -> NotificationChanges {
        let signal = ChangeSignal()
        let id = shared.withLock { shared in
            let id = shared.nextSubscriber
            shared.nextSubscriber += 1
            shared.subscribers[id] = signal
            return id
        }
        let subscription = NotificationChanges.Subscription(signal: signal) { [weak self] in
            _ = self?.shared.withLock { $0.subscribers.removeValue(forKey: id) }
        }
        return NotificationChanges(subscription: subscription)
    }

    /// How many consumers iterate `changes()` now.
    var subscriberCount: Int { shared.withLock { $0.subscribers.count } }

    /// The LSN of the newest record appended to the journal (by anyone).
    public var lastLSN: LSN { journal.lastLSN }

    /// Returns once the record at `lsn` is as durable as the journal promises.
    public func waitUntilDurable(_ lsn: LSN) async {
        if lsn > 0 { await journal.waitUntilDurable(lsn) }
    }

    /// The state and the journal's newest LSN, read under the lock (see `StateImage`).
    public func capture() -> (NotificationState, LSN) { shared.withLock { ($0.state, journal.lastLSN) } }

    /// Replaces the state by a recovered one, before the server serves.
    func restore(_ recovered: NotificationState) {
        shared.withLock { $0.state = recovered }
    }
}
