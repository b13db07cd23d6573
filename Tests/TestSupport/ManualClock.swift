import BookingCore
import Synchronization

/// The one clock tests move by hand, in the shape the engine, tokens, idempotency answers and
/// snapshots take (`@Sendable () -> Instant`): pass `{ clock.now }`.
///
/// Why this is safe: the instant is only read and written under its mutex.
public final class ManualClock: Sendable {
    private let current: Mutex<Instant>

    public init(_ start: Instant) { current = Mutex(start) }

    public var now: Instant { current.withLock { $0 } }

    public func set(_ instant: Instant) { current.withLock { $0 = instant } }

    public func advance(minutes: Int) { current.withLock { $0 = $0.adding(minutes: minutes) } }

    public func advance(seconds: Int64) { current.withLock { $0 = $0.adding(seconds: seconds) } }
}
