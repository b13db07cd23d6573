import Synchronization

/// A coalescing wake-up from many producers to one consumer, without a lock: how a change
/// reaches a parked event consumer (webhook delivery, mail, live pages) from
/// `NotificationJournal`, through `ChangeBroadcast`.
///
/// One word holds the whole state: idle, pending (signalled since the consumer last looked),
/// finished, or the address of the parked consumer's continuation. `signal` is one load when a
/// signal is already pending (the common case under load) and otherwise one compare-and-exchange;
/// the consumer parks with a compare-and-exchange from idle. Whoever moves the word off a parked
/// address owns that continuation and resumes it, so it is resumed exactly once.
///
/// Invariants: a signal after the consumer's last wake-up always causes another wake-up (never
/// lost, possibly merged with others); once finished, the consumer's `next` returns nil and
/// signals are ignored.
final class ChangeSignal: Sendable {
    /// A parked consumer's continuation; resumed with true for a signal, false when finished.
    final class Parked: Sendable {
        fileprivate let continuation: CheckedContinuation<Bool, Never>
        fileprivate init(_ continuation: CheckedContinuation<Bool, Never>) { self.continuation = continuation }

        /// Wakes the consumer for a signal; call it outside any lock.
        func resume() { continuation.resume(returning: true) }
    }

    private static let idle: UInt = 0
    private static let pending: UInt = 1
    private static let finished: UInt = 2
    /// `idle`, `pending`, `finished`, or the bits of a retained `Parked` (aligned, so never 0–2).
    private let state = Atomic<UInt>(ChangeSignal.idle)

    init() {}

    /// Records a change. Returns the parked consumer for the caller to resume (outside its lock),
    /// or nil if the consumer is busy and will find the signal pending.
    func signal() -> Parked? {
        var current = state.load(ordering: .acquiring)
        while true {
            if current == Self.pending || current == Self.finished { return nil }
            // A parked consumer is woken directly, so nothing stays pending for it.
            let desired = current == Self.idle ? Self.pending : Self.idle
            let (exchanged, actual) = state.compareExchange(
                expected: current, desired: desired, ordering: .acquiringAndReleasing)
            if exchanged { return Self.parked(current) }
            current = actual
        }
    }

    /// Ends the consumer's iteration: wakes it if parked; later signals are ignored.
    func finish() {
        let previous = state.exchange(Self.finished, ordering: .acquiringAndReleasing)
        Self.parked(previous)?.continuation.resume(returning: false)
    }

    /// Returns true once a signal arrived since the previous call, false once finished (or the
    /// calling task is cancelled). One consumer only.
    func wait() async -> Bool {
        var current = state.load(ordering: .acquiring)
        if let outcome = settle(&current) { return outcome }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let box = Unmanaged.passRetained(Parked(continuation))
                let bits = UInt(bitPattern: box.toOpaque())
                while true {
                    let (exchanged, actual) = state.compareExchange(
                        expected: Self.idle, desired: bits, ordering: .acquiringAndReleasing)
                    if exchanged { return }
                    // A signal or the end came in meanwhile: take it instead of parking.
                    var current = actual
                    if let outcome = settle(&current) {
                        box.release()
                        continuation.resume(returning: outcome)
                        return
                    }
                }
            }
        } onCancel: {
            finish()
        }
    }

    /// From the word `current`, takes a pending signal (true) or finds the end (false); nil once
    /// the word is idle, so the consumer must park. Never meets a parked address: there is one
    /// consumer.
    private func settle(_ current: inout UInt) -> Bool? {
        while true {
            switch current {
            case Self.idle:
                return nil
            case Self.pending:
                let (exchanged, actual) = state.compareExchange(
                    expected: Self.pending, desired: Self.idle, ordering: .acquiringAndReleasing)
                if exchanged { return true }
                current = actual
            default:
                return false
            }
        }
    }

    /// Whether the consumer is parked, waiting for a signal.
    var hasParkedConsumer: Bool { state.load(ordering: .acquiring) > Self.finished }

    /// The parked consumer whose bits `word` holds, now owned by the caller.
    private static func parked(_ word: UInt) -> Parked? {
        guard word > finished, let pointer = UnsafeRawPointer(bitPattern: word) else { return nil }
        return Unmanaged<Parked>.fromOpaque(pointer).takeRetainedValue()
    }
}
