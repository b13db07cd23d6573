import Foundation

/// The log sequence number of a journal record. Starts at 1; 0 means "nothing yet".
public typealias LSN = Int64

/// The whole state of a shop as one value: the registry and every barber's calendar.
///
/// This is what replay rebuilds and what a snapshot holds. The live server keeps the same data
/// spread over actors; `ShopEngine` converts between the two. `apply` is the one way to change
/// it, the same apply the actors run, so replaying a log always yields the same state.
public struct ShopState: Sendable, Codable {
    public var registry = ShopRegistry()
    public private(set) var calendars: [BarberID: BarberCalendar] = [:]
    public var notifications = NotificationState()

    public init() {}

    public init(registry: ShopRegistry, calendars: [BarberCalendar], notifications: NotificationState = NotificationState()) {
        self.registry = registry
        self.calendars = Dictionary(uniqueKeysWithValues: calendars.map { ($0.barber.id, $0) })
        self.notifications = notifications
    }

    /// Applies one change. Preconditions as in `ShopRegistry.apply` and `BarberCalendar.apply`.
    public mutating func apply(_ change: ShopChange) {
        switch change {
        case .registry(let change):
            registry.apply(change)
        case .calendar(.barberCreated(let barber)):
            precondition(calendars[barber.id] == nil, "barber \(barber.id) created twice")
            calendars[barber.id] = BarberCalendar(barber: barber)
        case .calendar(let change):
            // One hash lookup, and the calendar changed in place (never copied).
            guard let index = calendars.index(forKey: change.barberID) else {
                preconditionFailure("change for unknown barber \(change.barberID)")
            }
            calendars.values[index].apply(change)
        case .notification(let change):
            notifications.apply(change)
        }
    }

    /// Calendars by barber id.
    public var orderedCalendars: [BarberCalendar] { calendars.keys.sorted().map { calendars[$0]! } }

    /// Bytes that are equal exactly when two states are equal: sorted-key JSON of sorted arrays.
    /// An empty notification part is left out, so states without one digest as they always did.
    public func canonicalEncoding() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        do {
            return try encoder.encode(Canonical(
                registry: registry, calendars: orderedCalendars, notifications: notifications.isEmpty ? nil : notifications))
        } catch {
            preconditionFailure("state does not encode: \(error)")
        }
    }

    private struct Canonical: Encodable {
        var registry: ShopRegistry
        var calendars: [BarberCalendar]
        var notifications: NotificationState?
    }

    /// The largest id of each kind in the state, so allocators restart above them.
    public var largestIDs: (user: Int, barber: Int, service: Int, appointment: Int, timeOff: Int) {
        let appointment = calendars.values.lazy.compactMap { $0.appointments.keys.max() }.max()
        let timeOff = calendars.values.lazy.compactMap { $0.timeOff.lazy.map(\.id).max() }.max()
        return (
            registry.users.keys.max() ?? 0, registry.barberIDs.last ?? 0, registry.services.keys.max() ?? 0,
            appointment ?? 0, timeOff ?? 0
        )
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        registry = try container.decode(ShopRegistry.self, forKey: .registry)
        let list = try container.decode([BarberCalendar].self, forKey: .calendars)
        calendars = Dictionary(uniqueKeysWithValues: list.map { ($0.barber.id, $0) })
        notifications = try container.decodeIfPresent(NotificationState.self, forKey: .notifications) ?? NotificationState()
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(registry, forKey: .registry)
        try container.encode(orderedCalendars, forKey: .calendars)
        if !notifications.isEmpty { try container.encode(notifications, forKey: .notifications) }
    }

    private enum CodingKeys: String, CodingKey { case registry, calendars, notifications }
}
