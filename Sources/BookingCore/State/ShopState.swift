import Foundation

/// The log sequence number of a journal record. Starts at 1; 0 means "nothing yet".
public typealias LSN = Int64

/// The whole state of a shop as one value: the registry, the client records and every barber's
/// calendar.
///
/// This is what replay rebuilds and what a snapshot holds. The live server keeps the same data
/// spread over actors; `ShopEngine` converts between the two. `apply` is the one way to change
/// it, the same apply the actors run, so replaying a log always yields the same state.
public struct ShopState: Sendable, Codable {
    public var registry = ShopRegistry()
    public private(set) var calendars: [BarberID: BarberCalendar] = [:]
    /// The waitlist entries (their holds live in the calendars).
    public var waitlist = Waitlist()
    /// The walk-in line.
    public var walkIns = WalkInQueue()
    public var clientRecords = ClientRecords()
    public var notifications = NotificationState()

    public init() {}

    /// The state of these parts; each calendar's figures are (re)built for the registry's time
    /// zone if they were built for another.
    public init(
        registry: ShopRegistry, calendars: [BarberCalendar], waitlist: Waitlist = Waitlist(), walkIns: WalkInQueue = WalkInQueue(),
        clientRecords: ClientRecords = ClientRecords(), notifications: NotificationState = NotificationState()
    ) {
        self.registry = registry
        self.waitlist = waitlist
        self.walkIns = walkIns
        self.clientRecords = clientRecords
        self.notifications = notifications
        let shopTime = ShopTime(settings: registry.settings)
        self.calendars = Dictionary(uniqueKeysWithValues: calendars.map { calendar in
            var calendar = calendar
            calendar.adopt(shopTime)
            return (calendar.barber.id, calendar)
        })
    }

    /// Puts holds read back from a snapshot into their calendars.
    public mutating func restore(holds: [Hold]) throws(StateInconsistency) {
        for (barber, list) in Dictionary(grouping: holds, by: \.barberID) {
            guard let index = calendars.index(forKey: barber) else {
                throw StateInconsistency("hold for unknown barber \(barber)")
            }
            try calendars.values[index].restore(holds: list)
        }
    }

    /// Every hold of every calendar, by barber then entry.
    public var holds: [Hold] {
        orderedCalendars.flatMap { $0.holds.values.sorted { $0.entryID < $1.entryID } }
    }

    /// Applies one change. Preconditions as in `ShopRegistry.apply` and `BarberCalendar.apply`.
    public mutating func apply(_ change: ShopChange) {
        switch change {
        case .registry(let change):
            registry.apply(change)
            if case .settingsSet = change {
                let shopTime = ShopTime(settings: registry.settings)
                for index in calendars.indices { calendars.values[index].adopt(shopTime) }
            }
        case .clientRecord(let change):
            clientRecords.apply(change)
        case .calendar(.barberCreated(let barber)):
            precondition(calendars[barber.id] == nil, "barber \(barber.id) created twice")
            calendars[barber.id] = BarberCalendar(barber: barber, shopTime: ShopTime(settings: registry.settings))
        case .calendar(let change):
            // One hash lookup, and the calendar changed in place (never copied).
            guard let index = calendars.index(forKey: change.barberID) else {
                preconditionFailure("change for unknown barber \(change.barberID)")
            }
            calendars.values[index].apply(change)
        case .waitlist(let change):
            waitlist.apply(change)
        case .queue(let change):
            walkIns.apply(change)
        case .notification(let change):
            notifications.apply(change)
        }
    }

    /// Calendars by barber id.
    public var orderedCalendars: [BarberCalendar] { calendars.keys.sorted().map { calendars[$0]! } }

    /// Bytes that are equal exactly when two states are equal: sorted-key JSON of sorted arrays.
    /// Parts added later (the waitlist, the walk-ins, the client records, the notifications) are
    /// written only when non-empty, so a state without them has the digest it had before they
    /// existed.
    public func canonicalEncoding() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        do {
            return try encoder.encode(Canonical(
                registry: registry, calendars: orderedCalendars, waitlist: waitlist.isEmpty ? nil : waitlist,
                walkIns: walkIns.isEmpty ? nil : walkIns, clientRecords: clientRecords.isEmpty ? nil : clientRecords,
                notifications: notifications.isEmpty ? nil : notifications))
        } catch {
            preconditionFailure("state does not encode: \(error)")
        }
    }

    private struct Canonical: Encodable {
        var registry: ShopRegistry
        var calendars: [BarberCalendar]
        var waitlist: Waitlist?
        var walkIns: WalkInQueue?
        var clientRecords: ClientRecords?
        var notifications: NotificationState?
    }

    /// The largest id of each kind in the state, so allocators restart above them.
    public var largestIDs: (user: Int, barber: Int, service: Int, appointment: Int, timeOff: Int, waitlistEntry: Int, walkIn: Int) {
        let appointment = calendars.values.lazy.compactMap { $0.appointments.keys.max() }.max()
        let timeOff = calendars.values.lazy.compactMap { $0.timeOff.lazy.map(\.id).max() }.max()
        return (
            registry.users.keys.max() ?? 0, registry.barberIDs.last ?? 0, registry.services.keys.max() ?? 0,
            appointment ?? 0, timeOff ?? 0, waitlist.entries.keys.max() ?? 0, walkIns.walkIns.keys.max() ?? 0
        )
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let registry = try container.decode(ShopRegistry.self, forKey: .registry)
        let list = try container.decode([BarberCalendar].self, forKey: .calendars)
        let waitlist = try container.decodeIfPresent(Waitlist.self, forKey: .waitlist) ?? Waitlist()
        let walkIns = try container.decodeIfPresent(WalkInQueue.self, forKey: .walkIns) ?? WalkInQueue()
        let records = try container.decodeIfPresent(ClientRecords.self, forKey: .clientRecords) ?? ClientRecords()
        let notifications = try container.decodeIfPresent(NotificationState.self, forKey: .notifications) ?? NotificationState()
        self.init(
            registry: registry, calendars: list, waitlist: waitlist, walkIns: walkIns, clientRecords: records, notifications: notifications)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(registry, forKey: .registry)
        try container.encode(orderedCalendars, forKey: .calendars)
        if !waitlist.isEmpty { try container.encode(waitlist, forKey: .waitlist) }
        if !walkIns.isEmpty { try container.encode(walkIns, forKey: .walkIns) }
        if !clientRecords.isEmpty { try container.encode(clientRecords, forKey: .clientRecords) }
        if !notifications.isEmpty { try container.encode(notifications, forKey: .notifications) }
    }

    private enum CodingKeys: String, CodingKey { case registry, calendars, waitlist, walkIns, clientRecords, notifications }
}
