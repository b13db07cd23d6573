/// The waitlist's and the walk-in queue's events of one log record, and what they are computed
/// from: pure, run inside the turn that journals the record, so these events travel in the same
/// record as the changes that produce them (like an appointment's, `EventDraft.of`).
///
/// - `waitlist.offered`, `waitlist.expired`, `waitlist.booked`: one per such waitlist change of
///   the record, in order, each with the entry as the record leaves it (`data: {"entry"}`).
/// - `queue.updated`: at most one per record, after the others, when the record changed the
///   board: the board after the record differs from the board before it, both computed at
///   `policy.now` against the same calendars, so the difference is the record's own doing (a
///   check-in, start, done or leave; a booking, cancellation, move, hold or time-off change that
///   moved an estimate). It carries the whole board after the record (`data: {"entries"}`), so
///   the log grows by one board per record that changes it, never by the passing of time.
public struct RecordEvents: Sendable {
    /// The waitlist as it stood before the record.
    public var waitlist: Waitlist
    /// The inputs of the board before the record; nil when nobody is waiting and the record
    /// changes no walk-in (then no estimate can move and no `queue.updated` is due).
    public var board: BoardInputs?

    public struct BoardInputs: Sendable {
        /// The queue before the record.
        public var queue: WalkInQueue
        /// Every barber's calendar before the record but the one whose turn journals it, which
        /// that turn gives (`boardBefore(turn:)`), so the inputs never hold a copy of a calendar
        /// while its actor changes it.
        public var calendars: [BarberID: BarberCalendar]
        public var services: [ServiceID: Service]
        public var policy: BookingPolicy

        public init(queue: WalkInQueue, calendars: [BarberCalendar], services: [ServiceID: Service], policy: BookingPolicy) {
            self.queue = queue
            self.calendars = Dictionary(uniqueKeysWithValues: calendars.map { ($0.barber.id, $0) })
            self.services = services
            self.policy = policy
        }
    }

    public init(waitlist: Waitlist, board: BoardInputs?) {
        self.waitlist = waitlist
        self.board = board
    }

    /// The drafts of `changes`, one record's. `before` and `after` are the calendar of the turn
    /// that journals the record as it was before the record and is after it (nil for a record
    /// of the waitlist's own turn); see `drafts(of:boardBefore:after:)`.
    public func drafts(of changes: [ShopChange], before: BarberCalendar? = nil, after: BarberCalendar? = nil) -> [EventDraft] {
        drafts(of: changes, boardBefore: boardBefore(turn: before), after: after)
    }

    /// The board before the record, with `turn` (the calendar of the turn that journals it, as
    /// it is before the record) in place of the inputs' copy; nil without board inputs. A turn
    /// computes it before it applies the record, so it never holds its calendar's old value
    /// while changing it (which would copy the calendar).
    public func boardBefore(turn: BarberCalendar?) -> QueueBoard? {
        guard let board else { return nil }
        var calendars = board.calendars
        if let turn { calendars[turn.barber.id] = turn }
        return QueueBoard(queue: board.queue, calendars: Array(calendars.values), services: board.services, policy: board.policy)
    }

    /// The drafts of `changes`, one record's, given the board before it (`boardBefore(turn:)`)
    /// and `after`, the turn's calendar after the record. Every calendar change of the record on
    /// another barber (the target half of a move) is applied to the inputs' copy of its calendar.
    public func drafts(of changes: [ShopChange], boardBefore old: QueueBoard?, after: BarberCalendar?) -> [EventDraft] {
        var drafts = waitlistDrafts(of: changes)
        if let board, let old, let updated = board.updated(by: changes, from: old, after: after) {
            drafts.append(EventDraft(type: .queueUpdated, payload: .queue(updated)))
        }
        return drafts
    }

    private func waitlistDrafts(of changes: [ShopChange]) -> [EventDraft] {
        var waitlist = waitlist
        var reported: [(EventType, WaitlistEntryID)] = []
        for case .waitlist(let change) in changes {
            waitlist.apply(change)
            switch change {
            case .offered: reported.append((.waitlistOffered, change.entryID))
            case .expired: reported.append((.waitlistExpired, change.entryID))
            case .booked: reported.append((.waitlistBooked, change.entryID))
            case .entryAdded, .cancelled: break
            }
        }
        return reported.map { type, id in EventDraft(type: type, payload: .waitlistEntry(waitlist.entries[id]!)) }
    }
}

extension RecordEvents.BoardInputs {
    /// The board after `changes` if it differs from `old`, the board before them; nil otherwise.
    func updated(by changes: [ShopChange], from old: QueueBoard, after: BarberCalendar?) -> QueueBoard? {
        var calendarsAfter = calendars
        var queueAfter = queue
        var touched = false
        for change in changes {
            switch change {
            case .queue(let change):
                queueAfter.apply(change)
                touched = true
            case .calendar(let change) where change.barberID != after?.barber.id:
                calendarsAfter[change.barberID]?.apply(change)
                touched = true
            case .calendar:
                touched = true
            case .registry, .waitlist, .clientRecord, .notification:
                break
            }
        }
        guard touched else { return nil }
        if let after { calendarsAfter[after.barber.id] = after }
        let new = QueueBoard(queue: queueAfter, calendars: Array(calendarsAfter.values), services: services, policy: policy)
        return new == old ? nil : new
    }
}
