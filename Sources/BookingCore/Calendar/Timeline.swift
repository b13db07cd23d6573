/// Every appointment of one barber (any status) ordered by (start, id), for range listings.
///
/// A range query `[from, to)` binary-searches the first start at or after `from - longest`, where
/// `longest` is the longest appointment ever stored, and walks forward while `start < to`: the
/// cost is O(log n + k + the appointments that start within `longest` before `from`).
public struct Timeline: Hashable, Sendable {
    public struct Key: Hashable, Comparable, Sendable {
        public var start: Int64
        public var id: AppointmentID

        public init(start: Int64, id: AppointmentID) {
            self.start = start
            self.id = id
        }

        public static func < (a: Key, b: Key) -> Bool { (a.start, a.id) < (b.start, b.id) }
    }

    public private(set) var keys: [Key] = []
    private var longest: Int64 = 0

    public init() {}

    /// The timeline of `keys` in any order, the longest appointment lasting `longest` seconds;
    /// sorted in bulk (and only if needed).
    init(restoring keys: [Key], longest: Int64) {
        self.keys = keys
        if !zip(keys, keys.dropFirst()).allSatisfy({ $0 < $1 }) { self.keys.sort() }
        self.longest = longest
    }

    private func firstIndex(notBefore key: Key) -> Int {
        var low = 0
        var high = keys.count
        while low < high {
            let mid = (low + high) / 2
            if keys[mid] < key { low = mid + 1 } else { high = mid }
        }
        return low
    }

    public mutating func insert(start: Int64, end: Int64, id: AppointmentID) {
        let key = Key(start: start, id: id)
        // Bookings mostly come in time order: after the last key, append without a search.
        if keys.last.map({ $0 < key }) ?? true {
            keys.append(key)
        } else {
            keys.insert(key, at: firstIndex(notBefore: key))
        }
        longest = max(longest, end - start)
    }

    public mutating func remove(start: Int64, id: AppointmentID) {
        let key = Key(start: start, id: id)
        let index = firstIndex(notBefore: key)
        precondition(index < keys.count && keys[index] == key, "removing an appointment the timeline lacks")
        keys.remove(at: index)
    }

    /// Ids whose start lies in `[from - longest, to)`, in (start, id) order; callers filter by end.
    public func candidates(from: Int64, to: Int64) -> ArraySlice<Key> {
        let low = firstIndex(notBefore: Key(start: from == Int64.min ? from : from - longest, id: Int.min))
        let high = firstIndex(notBefore: Key(start: to, id: Int.min))
        return low < high ? keys[low..<high] : []
    }
}
