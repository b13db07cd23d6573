/// The intervals of one barber's live appointments, sorted by start, for O(log n) conflict checks.
///
/// Invariant: intervals never overlap, so both starts and ends are strictly increasing along the
/// array; `insert` asserts it. Buffers are not stored: they are a rule of the check, so a change of
/// the barber's buffer applies to every later check without rebuilding anything.
public struct LiveIntervals: Hashable, Sendable {
    public struct Entry: Hashable, Sendable {
        public var start: Int64
        public var end: Int64
        public var id: AppointmentID

        public init(start: Int64, end: Int64, id: AppointmentID) {
            self.start = start
            self.end = end
            self.id = id
        }
    }

    public private(set) var entries: [Entry] = []

    public init() {}

    /// The intervals of `entries` in any order, sorted in bulk (O(n log n) rather than one
    /// insertion each); throws if one is empty or two overlap.
    public init(restoring entries: [Entry]) throws(StateInconsistency) {
        var sorted = entries
        // A snapshot lists appointments by id, which mostly follows start: sort only if needed.
        if !zip(sorted, sorted.dropFirst()).allSatisfy({ $0.start <= $1.start }) { sorted.sort { $0.start < $1.start } }
        for (index, entry) in sorted.enumerated() {
            guard entry.start < entry.end else { throw StateInconsistency("appointment \(entry.id) has an empty interval") }
            if index > 0, sorted[index - 1].end > entry.start {
                throw StateInconsistency("appointments \(sorted[index - 1].id) and \(entry.id) overlap")
            }
        }
        self.entries = sorted
    }

    public var count: Int { entries.count }

    /// The first index whose entry ends after `time` (ends are increasing, so this is a binary search).
    private func firstIndex(endingAfter time: Int64) -> Int {
        var low = 0
        var high = entries.count
        while low < high {
            let mid = (low + high) / 2
            if entries[mid].end > time { high = mid } else { low = mid + 1 }
        }
        return low
    }

    /// The intervals that end at or after `time` and start before `limit`, by start (a binary
    /// search, then only those).
    public func entries(endingFrom time: Int64, startingBefore limit: Int64) -> ArraySlice<Entry> {
        let first = firstIndex(endingAfter: time - 1)
        var last = first
        while last < entries.count, entries[last].start < limit { last += 1 }
        return entries[first..<last]
    }

    /// The first live appointment that conflicts with `[start, end)` when the barber keeps `buffer`
    /// seconds free after each appointment, ignoring `ignoring` (the appointment being moved).
    ///
    /// `a` conflicts when `start < a.end + buffer` and `a.start < end + buffer`: the new interval
    /// may start no sooner than `a.end + buffer`, and `a` no sooner than the new end + buffer.
    public func conflict(start: Int64, end: Int64, buffer: Int64, ignoring: AppointmentID? = nil) -> AppointmentID? {
        var index = firstIndex(endingAfter: start - buffer)
        while index < entries.count, entries[index].start < end + buffer {
            if entries[index].id != ignoring { return entries[index].id }
            index += 1
        }
        return nil
    }

    public mutating func insert(start: Int64, end: Int64, id: AppointmentID) {
        precondition(start < end, "an appointment interval must not be empty")
        // Bookings mostly come in time order: after the last interval, append without a search.
        if entries.last.map({ $0.end <= start }) ?? true {
            entries.append(Entry(start: start, end: end, id: id))
            return
        }
        let index = firstIndex(endingAfter: start)
        precondition(index == entries.count || entries[index].start >= end, "overlap inside a barber's calendar")
        entries.insert(Entry(start: start, end: end, id: id), at: index)
    }

    public mutating func remove(start: Int64, id: AppointmentID) {
        let index = firstIndex(endingAfter: start)
        precondition(index < entries.count && entries[index].id == id, "removing an interval that is not live")
        entries.remove(at: index)
    }
}
