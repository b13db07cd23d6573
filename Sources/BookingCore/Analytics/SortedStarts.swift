/// The starts of some appointments, kept sorted by (start, id): a client's live or confirmed
/// appointments at one barber.
///
/// Lookups (`first`, `last`, `firstStart(after:)`) are binary searches, O(log k) for a client
/// with k entries; an insertion or removal is a binary search plus a shift of the entries after
/// it. A client's appointments at one barber are few, so a flat array beats a tree here.
public struct SortedStarts: Sendable, Equatable {
    public struct Entry: Sendable, Equatable, Comparable {
        public var start: Int64
        public var id: AppointmentID

        public static func < (lhs: Entry, rhs: Entry) -> Bool { (lhs.start, lhs.id) < (rhs.start, rhs.id) }
    }

    public private(set) var entries: [Entry] = []

    public init() {}

    public var isEmpty: Bool { entries.isEmpty }
    public var count: Int { entries.count }
    public var first: Entry? { entries.first }
    public var last: Entry? { entries.last }

    /// The index of the first entry not below `entry`.
    private func lowerBound(_ entry: Entry) -> Int {
        var low = 0
        var high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if entries[middle] < entry { low = middle + 1 } else { high = middle }
        }
        return low
    }

    public mutating func insert(start: Int64, id: AppointmentID) {
        let entry = Entry(start: start, id: id)
        entries.insert(entry, at: lowerBound(entry))
    }

    /// Removes the entry; it must be there.
    public mutating func remove(start: Int64, id: AppointmentID) {
        let entry = Entry(start: start, id: id)
        let index = lowerBound(entry)
        precondition(index < entries.count && entries[index] == entry, "appointment \(id) missing from a client's starts")
        entries.remove(at: index)
    }

    /// The earliest start strictly after `seconds`, if any.
    public func firstStart(after seconds: Int64) -> Int64? {
        let index = lowerBound(Entry(start: seconds, id: .max))
        return index < entries.count ? entries[index].start : nil
    }

    /// The earliest start at or after `seconds`, if any.
    public func firstStart(atOrAfter seconds: Int64) -> Int64? {
        let index = lowerBound(Entry(start: seconds, id: .min))
        return index < entries.count ? entries[index].start : nil
    }
}
