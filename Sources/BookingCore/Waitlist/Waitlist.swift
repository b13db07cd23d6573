/// Every waitlist entry, as a value: the pure core of `WaitlistActor`.
///
/// Invariants: an entry is `offered` exactly when its barber's calendar holds a `Hold` for it
/// (both are changed by one record, `WaitlistOffers`); an entry has at most one offer at a time;
/// entries are never removed, only moved on from `waiting`/`offered` to a final status. The
/// oldest entry is the one with the smallest id (ids are handed out in the order entries are made).
public struct Waitlist: Hashable, Sendable {
    public private(set) var entries: [WaitlistEntryID: WaitlistEntry] = [:]

    public init() {}

    /// A waitlist read back from a snapshot; throws on what `apply` would refuse: an id twice, an
    /// entry whose status and offer disagree.
    public init(restoring list: [WaitlistEntry]) throws(StateInconsistency) {
        for entry in list {
            guard entries.updateValue(entry, forKey: entry.id) == nil else {
                throw StateInconsistency("waitlist entry \(entry.id) appears twice")
            }
            if entry.status == .offered, entry.offer?.entryID != entry.id {
                throw StateInconsistency("waitlist entry \(entry.id) is offered without its hold")
            }
            if let problem = entry.validate() { throw StateInconsistency("waitlist entry \(entry.id): \(problem.message)") }
        }
    }

    public var isEmpty: Bool { entries.isEmpty }

    /// Entries by id (oldest first).
    public var ordered: [WaitlistEntry] { entries.values.sorted { $0.id < $1.id } }

    /// The entries still waiting for an offer, oldest first.
    public var waiting: [WaitlistEntry] { ordered.filter { $0.status == .waiting } }

    /// The entries holding an offer, oldest first.
    public var offered: [WaitlistEntry] { ordered.filter { $0.status == .offered } }

    /// What `requester` may see: a client their own entries, staff every entry; by id.
    public func entries(for requester: Requester) -> [WaitlistEntry] {
        requester.role == .client ? ordered.filter { $0.clientID == requester.userID } : ordered
    }

    /// The entry `id` if `requester` may act on it: 404 when unknown, 403 when another client's.
    public func entry(_ id: WaitlistEntryID, for requester: Requester) -> Result<WaitlistEntry, BookingError> {
        guard let entry = entries[id] else { return .failure(.notFound("waitlist entry \(id) not found")) }
        if requester.role == .client, entry.clientID != requester.userID {
            return .failure(.forbidden("waitlist entry \(id) belongs to someone else"))
        }
        return .success(entry)
    }

    /// A new entry, if its fields keep the entry's rules.
    public func decideJoin(_ entry: WaitlistEntry) -> Result<WaitlistChange, BookingError> {
        if let problem = entry.validate() { return .failure(problem) }
        precondition(entries[entry.id] == nil, "waitlist entry id \(entry.id) reused")
        return .success(.entryAdded(entry))
    }

    /// Carries out a change (live or from the log). Preconditions: the change was valid against
    /// the current entries; anything else is a bug or a corrupt log and stops the process.
    /// Returns the entry as the change leaves it.
    @discardableResult
    public mutating func apply(_ change: WaitlistChange) -> WaitlistEntry {
        switch change {
        case .entryAdded(let entry):
            precondition(entries[entry.id] == nil && entry.status == .waiting, "waitlist entry \(entry.id) added twice")
            entries[entry.id] = entry
            return entry
        case .offered(let hold):
            return update(hold.entryID, from: [.waiting]) {
                $0.status = .offered
                $0.offer = hold
            }
        case .expired(let id):
            return update(id, from: [.offered]) { $0.status = .expired }
        case .booked(let id, let appointmentID):
            return update(id, from: [.offered]) {
                $0.status = .booked
                $0.appointmentID = appointmentID
            }
        case .cancelled(let id):
            return update(id, from: [.waiting, .offered]) {
                $0.status = .cancelled
                $0.offer = nil
            }
        }
    }

    private mutating func update(
        _ id: WaitlistEntryID, from allowed: Set<WaitlistStatus>, _ body: (inout WaitlistEntry) -> Void
    ) -> WaitlistEntry {
        guard var entry = entries[id] else { preconditionFailure("waitlist entry \(id) missing") }
        precondition(allowed.contains(entry.status), "waitlist entry \(id) cannot change from \(entry.status)")
        body(&entry)
        entries[id] = entry
        return entry
    }
}

extension Waitlist: Codable {
    public init(from decoder: any Decoder) throws {
        do {
            try self.init(restoring: try decoder.singleValueContainer().decode([WaitlistEntry].self))
        } catch let inconsistency as StateInconsistency {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: inconsistency.reason))
        }
    }

    /// Entries by id: the canonical form.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(ordered)
    }
}
