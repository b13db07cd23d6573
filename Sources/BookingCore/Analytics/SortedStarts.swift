/// The starts of some appointments, kept sorted by (start, id): a client's live, confirmed or
/// completed appointments at one barber.
///
/// Stored as a list of sorted chunks of at most `chunkLimit` entries, each chunk's entries all
/// before the next chunk's. Lookups (`first`, `last`, `firstStart(after:)`) are two binary
/// searches, O(log k) for k entries; an insertion or removal shifts at most one chunk and the
/// chunk list (k / 512 entries), so even a client with hundreds of thousands of appointments
/// (a shop's "walk-in" account) costs microseconds per change, never a shift of everything.
public struct SortedStarts: Sendable, Equatable {
    public struct Entry: Sendable, Equatable, Comparable {
        public var start: Int64
        public var id: AppointmentID

        public init(start: Int64, id: AppointmentID) {
            self.start = start
            self.id = id
        }

        public static func < (lhs: Entry, rhs: Entry) -> Bool { (lhs.start, lhs.id) < (rhs.start, rhs.id) }
    }

    static let chunkLimit = 1024

    /// Never an empty chunk.
    private var chunks: [[Entry]] = []
    public private(set) var count = 0

    public init() {}

    public var isEmpty: Bool { count == 0 }
    public var first: Entry? { chunks.first?.first }
    public var last: Entry? { chunks.last?.last }

    /// Every entry in order.
    public var entries: [Entry] { Array(chunks.joined()) }

    /// The index of the first element of `list` not below `entry`.
    private static func lowerBound(_ entry: Entry, in list: [Entry]) -> Int {
        var low = 0
        var high = list.count
        while low < high {
            let middle = (low + high) / 2
            if list[middle] < entry { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// The chunk `entry` belongs in: the first whose last entry is not below it (or the last).
    private func chunkIndex(for entry: Entry) -> Int {
        var low = 0
        var high = chunks.count
        while low < high {
            let middle = (low + high) / 2
            if chunks[middle].last! < entry { low = middle + 1 } else { high = middle }
        }
        return low
    }

    public mutating func insert(start: Int64, id: AppointmentID) {
        let entry = Entry(start: start, id: id)
        count += 1
        guard !chunks.isEmpty else {
            chunks = [[entry]]
            return
        }
        let index = min(chunkIndex(for: entry), chunks.count - 1)
        chunks[index].insert(entry, at: Self.lowerBound(entry, in: chunks[index]))
        if chunks[index].count > Self.chunkLimit {
            let upper = Array(chunks[index][(Self.chunkLimit / 2)...])
            chunks[index].removeLast(upper.count)
            chunks.insert(upper, at: index + 1)
        }
    }

    /// Removes the entry; it must be there.
    public mutating func remove(start: Int64, id: AppointmentID) {
        let entry = Entry(start: start, id: id)
        let index = chunkIndex(for: entry)
        let position = index < chunks.count ? Self.lowerBound(entry, in: chunks[index]) : 0
        precondition(
            index < chunks.count && position < chunks[index].count && chunks[index][position] == entry,
            "appointment \(id) missing from a client's starts")
        chunks[index].remove(at: position)
        if chunks[index].isEmpty { chunks.remove(at: index) }
        count -= 1
    }

    /// The earliest start strictly after `seconds`, if any.
    public func firstStart(after seconds: Int64) -> Int64? { firstEntry(notBelow: Entry(start: seconds, id: .max))?.start }

    /// The earliest start at or after `seconds`, if any.
    public func firstStart(atOrAfter seconds: Int64) -> Int64? { firstEntry(notBelow: Entry(start: seconds, id: .min))?.start }

    private func firstEntry(notBelow entry: Entry) -> Entry? {
        let index = chunkIndex(for: entry)
        guard index < chunks.count else { return nil }
        return chunks[index][Self.lowerBound(entry, in: chunks[index])]
    }

    public static func == (lhs: SortedStarts, rhs: SortedStarts) -> Bool { lhs.count == rhs.count && lhs.entries == rhs.entries }
}
