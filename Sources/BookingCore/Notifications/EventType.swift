/// The type of an event, as the contract names it (`appointment.created`, …): an open set of
/// strings, so another area adds its types (`waitlist.offered`, `queue.updated`) as constants
/// here and a payload case in `EventPayload`, without touching the log format of the others.
public struct EventType: RawRepresentable, Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public var rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }

    public var description: String { rawValue }

    public static func < (lhs: EventType, rhs: EventType) -> Bool { lhs.rawValue < rhs.rawValue }

    public static let appointmentCreated = EventType("appointment.created")
    public static let appointmentRescheduled = EventType("appointment.rescheduled")
    public static let appointmentCancelled = EventType("appointment.cancelled")
    public static let appointmentCompleted = EventType("appointment.completed")
    public static let appointmentNoShow = EventType("appointment.no_show")
    public static let waitlistOffered = EventType("waitlist.offered")
    public static let waitlistExpired = EventType("waitlist.expired")
    public static let waitlistBooked = EventType("waitlist.booked")
    public static let queueUpdated = EventType("queue.updated")

    /// Every type this build produces; a webhook may subscribe to these or to `*`.
    public static let known: [EventType] = [
        .appointmentCreated, .appointmentRescheduled, .appointmentCancelled, .appointmentCompleted, .appointmentNoShow,
        .waitlistOffered, .waitlistExpired, .waitlistBooked, .queueUpdated,
    ]

    public init(from decoder: any Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
