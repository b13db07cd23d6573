import BookingEngine
import Glibc
import Histogram

/// The last minute of request latencies per route and of fsync latencies, in HDR histograms:
/// what the performance dashboard reports.
///
/// The minute is a ring of `slotCount` slots of `slotSeconds` each; a sample goes into the slot of
/// the current time, which is cleared when the ring comes round to it again. A summary merges
/// the slots younger than the window, so it covers between `(slotCount - 1) * slotSeconds` and
/// `slotCount * slotSeconds` seconds. Recording takes one short lock, of the calling thread's
/// shard (the rings are kept `shardCount` times over, so the event-loop threads answering
/// requests do not contend), and allocates only the first time a route is seen in a slot; a
/// summary merges every shard. Latencies are kept in microseconds with two significant digits
/// (1% precision) up to one minute; longer values count as one minute.
final class PerformanceWindow: Sendable {
    static let slotSeconds: Int64 = 10
    static let slotCount = 7
    static let highestMicroseconds: UInt64 = 60_000_000

    struct Summary: Sendable, Equatable {
        struct Latency: Sendable, Equatable {
            var count: UInt64
            var p50: UInt64
            var p95: UInt64
            var p99: UInt64
            var max: UInt64
        }

        /// Seconds the summary covers (at most a minute; less just after the start).
        var seconds: Double
        var requests: UInt64
        /// Answers with a 5xx status.
        var serverErrors: UInt64
        /// Answers with a 4xx status.
        var clientErrors: UInt64
        /// Latency in microseconds by route pattern ("METHOD /path/{id}").
        var routes: [String: Latency]
        /// fsync latency in microseconds.
        var fsync: Latency?
    }

    private struct Slot {
        var epoch: Int64 = -1
        var routes: [String: Histogram<UInt64>] = [:]
        var fsync: Histogram<UInt64>?
        var serverErrors: UInt64 = 0
        var clientErrors: UInt64 = 0

        mutating func enter(_ epoch: Int64) {
            if self.epoch != epoch { self = Slot(epoch: epoch) }
        }
    }

    static let shardCount = 8

    private let shards: Sharded<[Slot]>
    private let origin: ContinuousClock.Instant
    private let now: @Sendable () -> ContinuousClock.Instant

    /// - Parameter now: the clock (tests drive their own).
    init(now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }) {
        self.now = now
        self.origin = now()
        self.shards = Sharded(count: Self.shardCount) { Array(repeating: Slot(), count: Self.slotCount) }
    }

    /// Records one answered request of `route` that took `microseconds` and ended with `status`.
    func recordRequest(route: String, status: Int, microseconds: UInt64) {
        let epoch = currentEpoch()
        shards.withLock(key: Self.threadKey) { slots in
            let index = Int(epoch % Int64(Self.slotCount))
            slots[index].enter(epoch)
            slots[index].routes[route, default: Self.makeHistogram()].recordClamped(microseconds)
            if status >= 500 {
                slots[index].serverErrors += 1
            } else if status >= 400 {
                slots[index].clientErrors += 1
            }
        }
    }

    /// Records one fsync of the log that took `microseconds`.
    func recordFsync(microseconds: UInt64) {
        let epoch = currentEpoch()
        shards.withLock(key: Self.threadKey) { slots in
            let index = Int(epoch % Int64(Self.slotCount))
            slots[index].enter(epoch)
            if slots[index].fsync == nil { slots[index].fsync = Self.makeHistogram() }
            slots[index].fsync?.recordClamped(microseconds)
        }
    }

    /// The last minute, merged. The work of merging is done outside the lock on copies.
    func summary() -> Summary {
        let epoch = currentEpoch()
        let oldest = epoch - Int64(Self.slotCount - 1)
        let recent = (0..<shards.count).flatMap { shard in
            shards.withLock(key: shard) { slots in slots.filter { $0.epoch >= oldest && $0.epoch <= epoch } }
        }
        var routes: [String: Histogram<UInt64>] = [:]
        var fsync: Histogram<UInt64>?
        var summary = Summary(seconds: 0, requests: 0, serverErrors: 0, clientErrors: 0, routes: [:], fsync: nil)
        for slot in recent {
            for (route, histogram) in slot.routes { routes[route, default: Self.makeHistogram()].add(histogram) }
            if let slotFsync = slot.fsync {
                if fsync == nil { fsync = Self.makeHistogram() }
                fsync?.add(slotFsync)
            }
            summary.serverErrors += slot.serverErrors
            summary.clientErrors += slot.clientErrors
        }
        summary.routes = routes.mapValues(Self.latency)
        summary.requests = summary.routes.values.reduce(0) { $0 + $1.count }
        summary.fsync = fsync.map(Self.latency)
        // The current slot is partly filled: the summary covers the older slots whole, and the
        // current one up to now (never more than the time since the start).
        let elapsed = origin.duration(to: now())
        let intoSlot = elapsed - .seconds(epoch * Self.slotSeconds)
        let covered = Duration.seconds(Int64(Self.slotCount - 1) * Self.slotSeconds) + intoSlot
        summary.seconds = min(covered, elapsed).secondsValue
        return summary
    }

    /// The calling thread's shard key: its id hashed, since thread ids share their low bits.
    private static var threadKey: Int { Int(bitPattern: pthread_self()).hashValue }

    private func currentEpoch() -> Int64 {
        origin.duration(to: now()).components.seconds / Self.slotSeconds
    }

    private static func makeHistogram() -> Histogram<UInt64> {
        Histogram(lowestDiscernibleValue: 1, highestTrackableValue: highestMicroseconds, numberOfSignificantValueDigits: .two)
    }

    private static func latency(_ histogram: Histogram<UInt64>) -> Summary.Latency {
        Summary.Latency(
            count: histogram.totalCount, p50: histogram.valueAtPercentile(50), p95: histogram.valueAtPercentile(95),
            p99: histogram.valueAtPercentile(99), max: histogram.max)
    }
}

extension Histogram<UInt64> {
    /// Records `value`, counting values beyond the trackable range as the highest one.
    fileprivate mutating func recordClamped(_ value: UInt64) {
        _ = record(Swift.min(Swift.max(value, 1), highestTrackableValue))
    }
}
