/// The shop-wide facts a booking rule needs, captured once per request: the settings, the shop's
/// clock for those settings, and the current instant. Passing `now` in (never reading a clock
/// here) keeps every rule deterministic and testable.
public struct BookingPolicy: Sendable {
    public var settings: ShopSettings
    public var shopTime: ShopTime
    public var now: Instant

    public init(settings: ShopSettings, shopTime: ShopTime, now: Instant) {
        self.settings = settings
        self.shopTime = shopTime
        self.now = now
    }

    /// The earliest start the minimum notice allows.
    public var earliestStart: Instant { now.adding(minutes: settings.minNoticeMinutes) }
    /// The latest start the horizon allows.
    public var latestStart: Instant { now.adding(minutes: settings.maxAdvanceDays * 24 * 60) }

    /// The last instant a client may cancel or reschedule `appointment`: the cut-off before its start.
    public func clientChangeDeadline(of appointment: Appointment) -> Instant {
        appointment.start.adding(minutes: -settings.cancellationCutoffMinutes)
    }

    /// Whether a client may still cancel or reschedule `appointment` (up to the deadline, included).
    public func clientMayChange(_ appointment: Appointment) -> Bool { now <= clientChangeDeadline(of: appointment) }
}

/// Who is asking to book, which changes one rule: clients must start on the slot grid.
public enum BookingActor: Sendable, Equatable {
    case client
    case staff
}
