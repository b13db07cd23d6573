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
public struct StateImage: Sendable, Codable {
    public private(set) var state: ShopState
    public private(set) var directoryLSN: LSN
    public private(set) var calendarLSNs: [BarberID: LSN]
    public private(set) var notificationLSN: LSN
    /// The LSN of the last record replayed onto this image (or the watermark it was captured at).
    public private(set) var lastLSN: LSN

    public init(
        state: ShopState = ShopState(), directoryLSN: LSN = 0, calendarLSNs: [BarberID: LSN] = [:], notificationLSN: LSN? = nil
    ) {
        self.state = state
        self.directoryLSN = directoryLSN
        self.calendarLSNs = calendarLSNs
        self.notificationLSN = notificationLSN ?? min(directoryLSN, calendarLSNs.values.min() ?? directoryLSN)
        self.lastLSN = max(directoryLSN, calendarLSNs.values.max() ?? 0, self.notificationLSN)
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

    /// Every record at or below this LSN is fully reflected: older log segments are not needed.
    public var coveredLSN: LSN { min(directoryLSN, calendarLSNs.values.min() ?? directoryLSN, notificationLSN) }

    /// Applies the changes of record `lsn` to the parts that do not reflect it yet.
    public mutating func replay(_ changes: [ShopChange], lsn: LSN) {
        for change in changes {
            switch change {
            case .registry:
                if lsn > directoryLSN { state.apply(change) }
            case .calendar(let calendarChange):
                if lsn > calendarLSNs[calendarChange.barberID, default: 0] { state.apply(change) }
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
