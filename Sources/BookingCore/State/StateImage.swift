/// A state captured from the live server without stopping it, with the LSN each part reflects.
///
/// The directory, each calendar and the notification part are captured in turns of their own,
/// so each part has its own watermark: the journal's newest LSN read in the same turn.
/// Invariant: a part reflects every record of its own with an LSN at or below its watermark and
/// none above it. Replaying the log onto an image therefore applies each change of a record only
/// to the parts whose watermark is below that record's LSN (`replay`), which makes image + log
/// tail equal to the full log.
///
/// The notification part (events, webhooks, delivery outcomes) lives in `NotificationJournal`,
/// not in the directory, so it has a watermark of its own, `notificationLSN`. It is captured
/// after every other part, so its watermark is at or above theirs; an image whose notification
/// part is empty stores no notification section and, read back, takes the smallest other
/// watermark as its own (no notification record can lie at or below it: the part was still
/// empty at a later LSN).
///
/// The waitlist and the walk-in queue live in an actor of their own (`WaitlistActor`) and share a
/// watermark of their own, `waitlistLSN`, read in the turn that captured them. Every waitlist
/// and queue record, and every calendar
/// record that places or releases a hold, is committed under the engine's gate (`MoveGate`),
/// which a capture also holds; so no such record is appended while a capture runs, and the
/// waitlist and the holds in the calendars always agree in an image. `waitlistLSN` is nil when
/// the waitlist and the queue were empty at capture: no record of theirs existed then, so every
/// one in the log comes after the image, is replayed, and the part needs no older segment.
public struct StateImage: Sendable, Codable {
    public private(set) var state: ShopState
    public private(set) var directoryLSN: LSN
    public private(set) var calendarLSNs: [BarberID: LSN]
    public private(set) var waitlistLSN: LSN?
    public private(set) var notificationLSN: LSN
    /// The LSN of the last record replayed onto this image (or the watermark it was captured at).
    public private(set) var lastLSN: LSN

    public init(
        state: ShopState = ShopState(), directoryLSN: LSN = 0, calendarLSNs: [BarberID: LSN] = [:], waitlistLSN: LSN? = nil,
        notificationLSN: LSN? = nil
    ) {
        self.state = state
        self.directoryLSN = directoryLSN
        self.calendarLSNs = calendarLSNs
        self.waitlistLSN = state.waitlist.isEmpty && state.walkIns.isEmpty ? nil : waitlistLSN
        self.notificationLSN = notificationLSN ?? min(directoryLSN, calendarLSNs.values.min() ?? directoryLSN)
        self.lastLSN = max(directoryLSN, calendarLSNs.values.max() ?? 0, self.waitlistLSN ?? 0, self.notificationLSN)
    }

    /// An image read back from a snapshot, with the LSN of the last record replayed onto it.
    /// Without a `notificationLSN` (no notification section), see the type's comment.
    public init(state: ShopState, directoryLSN: LSN, calendarLSNs: [BarberID: LSN], notificationLSN: LSN? = nil, lastLSN: LSN) {
        self.state = state
        self.directoryLSN = directoryLSN
        self.calendarLSNs = calendarLSNs
        self.notificationLSN = notificationLSN ?? min(directoryLSN, calendarLSNs.values.min() ?? directoryLSN)
        self.lastLSN = lastLSN
    }

    /// The state's client records; set when a snapshot's section is read (they belong to the
    /// directory's part, so `directoryLSN` is their watermark).
    public var clientRecords: ClientRecords {
        get { state.clientRecords }
        set { state.clientRecords = newValue }
    }

    /// Every record at or below this LSN is fully reflected: older log segments are not needed.
    public var coveredLSN: LSN {
        min(directoryLSN, calendarLSNs.values.min() ?? directoryLSN, waitlistLSN ?? directoryLSN, notificationLSN)
    }

    /// Puts the waitlist part read back from a snapshot section into this image: the entries, the
    /// walk-ins, the holds (into their calendars) and the part's watermark.
    public mutating func restoreWaitlist(_ waitlist: Waitlist, walkIns: WalkInQueue, holds: [Hold], waitlistLSN: LSN?)
        throws(StateInconsistency)
    {
        state.waitlist = waitlist
        state.walkIns = walkIns
        try state.restore(holds: holds)
        self.waitlistLSN = waitlistLSN
    }

    /// Replaces the registry's settings by `settings` (a snapshot section carries the fields added
    /// to them after the version 2 body).
    public mutating func restoreSettings(_ settings: ShopSettings) throws(StateInconsistency) {
        if let problem = settings.validate() { throw StateInconsistency("shop settings: \(problem.message)") }
        state.registry.apply(.settingsSet(settings))
    }

    /// Applies the changes of record `lsn` to the parts that do not reflect it yet.
    public mutating func replay(_ changes: [ShopChange], lsn: LSN) {
        for change in changes {
            switch change {
            case .registry, .clientRecord:
                if lsn > directoryLSN { state.apply(change) }
            case .calendar(let calendarChange):
                if lsn > calendarLSNs[calendarChange.barberID, default: 0] { state.apply(change) }
            case .waitlist, .queue:
                if lsn > waitlistLSN ?? 0 { state.apply(change) }
            case .notification:
                if lsn > notificationLSN { state.apply(change) }
            }
        }
        lastLSN = max(lastLSN, lsn)
    }

    /// Sets the notification part read from a snapshot section, with its watermark.
    public mutating func restoreNotifications(_ notifications: NotificationState, lsn: LSN) {
        state.notifications = notifications
        notificationLSN = lsn
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            state: try container.decode(ShopState.self, forKey: .state),
            directoryLSN: try container.decode(LSN.self, forKey: .directoryLSN),
            calendarLSNs: try container.decode([BarberID: LSN].self, forKey: .calendarLSNs),
            notificationLSN: try container.decodeIfPresent(LSN.self, forKey: .notificationLSN),
            lastLSN: try container.decode(LSN.self, forKey: .lastLSN))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(state, forKey: .state)
        try container.encode(directoryLSN, forKey: .directoryLSN)
        try container.encode(calendarLSNs, forKey: .calendarLSNs)
        try container.encode(notificationLSN, forKey: .notificationLSN)
        try container.encode(lastLSN, forKey: .lastLSN)
    }

    private enum CodingKeys: String, CodingKey { case state, directoryLSN, calendarLSNs, notificationLSN, lastLSN }
}
