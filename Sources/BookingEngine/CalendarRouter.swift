import BookingCore

/// Maps a barber id to the actor of that barber's calendar.
///
/// Sharded: barber `b` lives in shard `b % shardCount`, each shard a dictionary behind its own
/// mutex. A lookup holds one shard's lock for one dictionary read; there is no global lock or
/// global actor on the request path. Calendars are only ever added (barbers are deactivated,
/// never deleted).
public final class CalendarRouter: Sendable {
    private let shards: Sharded<[BarberID: CalendarActor]>

    private let shardCount: Int

    public init(shardCount: Int = 16) {
        self.shards = Sharded(count: shardCount) { [:] }
        self.shardCount = shardCount
    }

    public func calendar(_ barber: BarberID) -> CalendarActor? {
        shards.withLock(key: barber) { $0[barber] }
    }

    public func add(_ actor: CalendarActor, for barber: BarberID) {
        shards.withLock(key: barber) { calendars in
            precondition(calendars[barber] == nil, "barber \(barber) already has a calendar")
            calendars[barber] = actor
        }
    }

    /// Every barber with a calendar, sorted.
    public var barberIDs: [BarberID] {
        var all: [BarberID] = []
        for shard in 0..<shardCount { all += shards.withLock(key: shard) { Array($0.keys) } }
        return all.sorted()
    }

    /// Runs `query` on each of `barbers`' calendars concurrently; results in the order of `barbers`.
    /// Unknown barbers are skipped.
    public func fanOut<T: Sendable>(
        _ barbers: [BarberID], _ query: @escaping @Sendable (BarberCalendar) -> T
    ) async -> [T] {
        let actors = barbers.compactMap { calendar($0) }
        if actors.count == 1 { return [await actors[0].read(query)] }
        return await withTaskGroup(of: (Int, T).self) { group in
            for (position, actor) in actors.enumerated() {
                group.addTask { (position, await actor.read(query)) }
            }
            var results = [T?](repeating: nil, count: actors.count)
            for await (position, value) in group { results[position] = value }
            return results.map { $0! }
        }
    }
}
