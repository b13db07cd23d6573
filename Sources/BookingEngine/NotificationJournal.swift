import BookingCore
import Glibc
import Synchronization

/// The isolation domain of the notification state (events, webhook endpoints, delivery
/// outcomes): a thin shell that owns a `NotificationState` and puts every notification change
/// into the log.
///
/// Recording events takes no lock (it is on the path of every booking): the journal's counter
/// numbers the record and its events in one step (`JournalCounter`), the appender builds the
/// events into the record, hands it to the log and stages it on a lock-free stack. Whoever takes the
/// lock next (a reader, a commit, a capture) applies the staged events to the state in number
/// order; the server always has such a reader (the webhook delivery looks after every change,
/// and the snapshotter captures), and an engine without one keeps its staged events, a node
/// each, until its next read or capture.
///
/// Why this is safe: the state is only touched behind `shared`'s mutex. Events are applied in
/// number order, which is LSN order (the counter's invariant), and one is applied only once it
/// is staged, that is once its record is queued in the log. Decided changes (`commit`) are
/// decided against every event numbered so far and get their LSN only if no event was numbered
/// since (`JournalCounter.next(ifLastEventIs:)`), inside the lock, so they too apply in LSN
/// order. `capture` reads the counter inside the lock and applies exactly the events up to its
/// number, so the state it returns reflects exactly the notification records up to its LSN.
/// Readers copy out what they need under the lock; the ring itself is never shared, so appends
/// do not copy it.
public final class NotificationJournal: Sendable {
    private let journal: any ChangeJournal
    private let clock: @Sendable () -> Instant
    private let shared: Mutex<Shared>
    /// Events numbered and queued in the log, not yet applied to the state.
    private let staged = HandoffStack<Staged>()
    private let broadcast = ChangeBroadcast()

    /// A record that holds events (numbered consecutively from `firstEvent`), as queued in the log.
    private struct Staged: Sendable {
        var lsn: LSN
        var firstEvent: EventSequence
        var record: [ShopChange]
        var recordedAt: ContinuousClock.Instant
    }

    private struct Shared {
        var state = NotificationState()
        /// The LSN of the newest record that holds an applied event; consumers wait for it to
        /// be durable before they show events (a change is never reported before it is
        /// acknowledged).
        var lastEventLSN: LSN = 0
        /// Staged records taken off the stack whose events do not follow the state's yet (an
        /// earlier number is still on its way), by the number of their first event.
        var ahead: [EventSequence: Staged] = [:]
        /// When each recent event was recorded by this process (for the delivery lag metric):
        /// the entry of event `recordedFrom + i` is `recordedAt[i]`.
        var recordedAt: [ContinuousClock.Instant] = []
        var recordedFrom: EventSequence = 1

        /// Applies staged events in number order, up to `last` at most: all that follow the
        /// state, or, if `wait`, every one through `last` (each is numbered already, so its
        /// appender is about to stage it: the wait is spent yielding the core to it).
        mutating func catchUp(_ staged: HandoffStack<Staged>, through last: EventSequence = .max, wait: Bool = false) {
            while true {
                for record in staged.takeAll() { ahead[record.firstEvent] = record }
                while state.lastSequence < last, let record = ahead.removeValue(forKey: state.lastSequence + 1) {
                    apply(record)
                }
                if !wait || state.lastSequence >= last { return }
                sched_yield()
            }
        }

        private mutating func apply(_ record: Staged) {
            if recordedAt.isEmpty { recordedFrom = state.lastSequence + 1 }
            if recordedAt.count >= NotificationJournal.recordedTimes {
                recordedAt.removeFirst(NotificationJournal.recordedTimes / 2)
                recordedFrom += EventSequence(NotificationJournal.recordedTimes / 2)
            }
            for case .notification(.eventRecorded(let event)) in record.record {
                state.apply(.eventRecorded(event))
                recordedAt.append(record.recordedAt)
            }
            lastEventLSN = max(lastEventLSN, record.lsn)
        }
    }

    /// How many recording times are kept for the delivery lag metric (16 bytes each; a delivery
    /// of an older event measures its lag from the event's whole-second `createdAt`).
    static let recordedTimes = 100_000

    public init(journal: any ChangeJournal, clock: @escaping @Sendable () -> Instant) {
        self.journal = journal
        self.clock = clock
        self.shared = Mutex(Shared())
    }

    /// Appends `changes` with the events they produce as one record: numbers the drafts with
    /// the record's LSN, stamps them with the clock, queues the record and stages the events.
    /// Takes no lock; the events reach the state with the next reader.
    public func append(_ changes: [ShopChange], events drafts: [EventDraft]) -> LSN {
        if drafts.isEmpty { return journal.append(changes) }
        let now = clock()
        let monotonic = ContinuousClock.now
        let (lsn, first) = journal.counter.next(events: drafts.count)
        var record = changes
        for (offset, draft) in drafts.enumerated() {
            let event = Event(sequence: first + EventSequence(offset), type: draft.type, createdAt: now, payload: draft.payload)
            record.append(.notification(.eventRecorded(event)))
        }
        journal.append(record, at: lsn)
        staged.push(Staged(lsn: lsn, firstEvent: first, record: record, recordedAt: monotonic))
        broadcast.signal()
        return lsn
    }

    /// Decides notification changes against the current state (every event numbered so far
    /// included) and, if allowed, applies and journals them as one record, in one critical
    /// section. Returns `decide`'s value and the LSN to await. `decide` runs again when an event
    /// is numbered while it decides, so it must be a pure function of the state it is given.
    public func commit<Value: Sendable>(
        _ decide: (NotificationState) -> Result<([NotificationChange], Value), BookingError>
    ) -> Result<(Value, LSN), BookingError> {
        let result = shared.withLock { shared -> Result<(Value, LSN, Bool), BookingError> in
            while true {
                let position = journal.counter.current
                shared.catchUp(staged, through: position.lastEvent, wait: true)
                let changes: [NotificationChange]
                let value: Value
                switch decide(shared.state) {
                case .failure(let refusal): return .failure(refusal)
                case .success(let decided): (changes, value) = decided
                }
                if changes.isEmpty { return .success((value, position.lsn, false)) }
                // An event numbered since `position` would come before these changes in the log
                // but is not in the state they were decided against: decide again with it.
                guard let lsn = journal.counter.next(ifLastEventIs: position.lastEvent) else { continue }
                for change in changes { shared.state.apply(change) }
                journal.append(changes.map { .notification($0) }, at: lsn)
                return .success((value, lsn, true))
            }
        }
        return result.map { value, lsn, changed in
            if changed { broadcast.signal() }
            return (value, lsn)
        }
    }

    /// Runs a read-only query against the state, under the lock; `query` must copy out only
    /// what it needs.
    public func read<T>(_ query: (NotificationState) -> T) -> T { withCaughtUp { query($0.state) } }

    /// Like `read`, with the LSN to wait for (`waitUntilDurable`) before showing any event it read.
    public func readForShowing<T>(_ query: (NotificationState) -> T) -> (value: T, lsn: LSN) {
        withCaughtUp { (query($0.state), $0.lastEventLSN) }
    }

    /// Like `read`, but returns once every record the state reflected when `query` ran is
    /// durable: what it returns survives a crash.
    public func readDurable<T: Sendable>(_ query: (NotificationState) -> T) async -> T {
        let (value, lsn) = withCaughtUp { (query($0.state), journal.lastLSN) }
        await waitUntilDurable(lsn)
        return value
    }

    /// Runs `body` under the lock once the staged events that follow the state are applied.
    private func withCaughtUp<T>(_ body: (Shared) -> T) -> T {
        shared.withLock { shared in
            shared.catchUp(staged)
            return body(shared)
        }
    }

    /// When this process recorded event `sequence`, if it did so recently.
    public func recordedAt(_ sequence: EventSequence) -> ContinuousClock.Instant? {
        shared.withLock { shared in
            let index = Int(sequence - shared.recordedFrom)
            return shared.recordedAt.indices.contains(index) ? shared.recordedAt[index] : nil
        }
    }

    /// Wakes (coalesced) whenever the state changed after this call; ends when the consumer's
    /// task is cancelled.
    public func changes() -> NotificationChanges { NotificationChanges(broadcast: broadcast) }

    /// Whether some consumer of `changes()` sleeps until the next change.
    var hasParkedConsumers: Bool { broadcast.hasParkedConsumers }

    /// The LSN of the newest record appended to the journal (by anyone).
    public var lastLSN: LSN { journal.lastLSN }

    /// Returns once the record at `lsn` is as durable as the journal promises.
    public func waitUntilDurable(_ lsn: LSN) async {
        if lsn > 0 { await journal.waitUntilDurable(lsn) }
    }

    /// The state and the journal's newest LSN, read together under the lock: the state holds
    /// exactly the events numbered by then (see `StateImage`).
    public func capture() -> (NotificationState, LSN) {
        shared.withLock { shared in
            let position = journal.counter.current
            shared.catchUp(staged, through: position.lastEvent, wait: true)
            return (shared.state, position.lsn)
        }
    }

    /// Replaces the state by a recovered one, before the server serves; events are numbered on
    /// from its last.
    func restore(_ recovered: NotificationState) {
        shared.withLock { shared in
            precondition(staged.isEmpty && shared.ahead.isEmpty, "events recorded before the state was restored")
            shared.state = recovered
            journal.counter.continueEvents(after: recovered.lastSequence)
        }
    }
}
