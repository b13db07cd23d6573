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
    public var clientRecords = ClientRecords()

    public init() {}

    /// The state of these parts; each calendar's figures are (re)built for the registry's time
    /// zone if they were built for another.
    public init(registry: ShopRegistry, calendars: [BarberCalendar], clientRecords: ClientRecords = ClientRecords()) {
        self.registry = registry
        self.clientRecords = clientRecords
        let shopTime = ShopTime(settings: registry.settings)
        self.calendars = Dictionary(uniqueKeysWithValues: calendars.map { calendar in
            var calendar = calendar
            calendar.adopt(shopTime)
            return (calendar.barber.id, calendar)
        })
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
        }
    }

    /// Calendars by barber id.
    public var orderedCalendars: [BarberCalendar] { calendars.keys.sorted().map { calendars[$0]! } }

    /// Bytes that are equal exactly when two states are equal: sorted-key JSON of sorted arrays.
    /// The client records are included only when there are any, so a state without them has the
    /// digest it had before they existed.
    public func canonicalEncoding() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        do {
            return try encoder.encode(Canonical(
                registry: registry, calendars: orderedCalendars, clientRecords: clientRecords.isEmpty ? nil : clientRecords))
        } catch {
            preconditionFailure("state does not encode: \(error)")
        }
    }

    private struct Canonical: Encodable {
        var registry: ShopRegistry
        var calendars: [BarberCalendar]
        var clientRecords: ClientRecords?
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
        let registry = try container.decode(ShopRegistry.self, forKey: .registry)
        let list = try container.decode([BarberCalendar].self, forKey: .calendars)
        let records = try container.decodeIfPresent(ClientRecords.self, forKey: .clientRecords) ?? ClientRecords()
        self.init(registry: registry, calendars: list, clientRecords: records)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(registry, forKey: .registry)
        try container.encode(orderedCalendars, forKey: .calendars)
        if !clientRecords.isEmpty { try container.encode(clientRecords, forKey: .clientRecords) }
    }

    private enum CodingKeys: String, CodingKey { case registry, calendars, clientRecords }
}
