/// The walk-in board at one instant: the line in order, each waiting walk-in with its position
/// and the estimate's placement, then who is being served. It is what `GET /api/v2/queue` shows
/// and what a `queue.updated` event carries (`data: {"entries": [QueueEntry]}`), computed by
/// this one initializer for both.
public struct QueueBoard: Hashable, Sendable, Codable {
    public struct Entry: Hashable, Sendable, Codable {
        public var walkIn: WalkIn
        /// 1-based among the waiting; nil for anyone not waiting.
        public var position: Int?
        /// Where and when `WalkInEstimates` places a waiting walk-in; nil for anyone not waiting,
        /// and for a walk-in that fits nowhere within the estimate's week.
        public var placement: WalkInEstimates.Placement?

        public init(walkIn: WalkIn, position: Int?, placement: WalkInEstimates.Placement?) {
            self.walkIn = walkIn
            self.position = position
            self.placement = placement
        }
    }

    /// The line (position 1, 2, …), then the walk-ins being served, by id.
    public var entries: [Entry]

    public init(entries: [Entry]) { self.entries = entries }

    /// The board of `queue` against `calendars` at `policy.now`.
    public init(queue: WalkInQueue, calendars: [BarberCalendar], services: [ServiceID: Service], policy: BookingPolicy) {
        let line = queue.line
        let placements = line.isEmpty ? [:] : WalkInEstimates.place(line, calendars: calendars, services: services, policy: policy)
        var position = 0
        entries = queue.board.map { walkIn in
            guard walkIn.status == .waiting else { return Entry(walkIn: walkIn, position: nil, placement: nil) }
            position += 1
            return Entry(walkIn: walkIn, position: position, placement: placements[walkIn.id])
        }
    }

    public var isEmpty: Bool { entries.isEmpty }

    /// Whether anyone is waiting (so a change to a calendar may move an estimate).
    public var hasLine: Bool { entries.contains { $0.walkIn.status == .waiting } }

    /// Walk-in `walkIn` as the board shows it: its entry while on the board, else without a
    /// position or an estimate (done, left).
    public func entry(for walkIn: WalkIn) -> Entry {
        entries.first { $0.walkIn.id == walkIn.id } ?? Entry(walkIn: walkIn, position: nil, placement: nil)
    }
}
