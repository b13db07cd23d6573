/// A start held for one waitlist entry's offer: part of the barber's calendar like an appointment
/// that is not yet one, so `BarberCalendar.check` refuses every other booking that overlaps it
/// (buffer included) and the slots list leaves it out, by the same one rule.
///
/// A hold is live while `now < expiresAt`; the instant is always given, never read. Only the
/// entry holding it may book its interval (`check(…, claiming:)`).
public struct Hold: Hashable, Sendable, Codable {
    public var entryID: WaitlistEntryID
    public var barberID: BarberID
    public var serviceID: ServiceID
    public var start: Instant
    public var end: Instant
    public var expiresAt: Instant

    public init(entryID: WaitlistEntryID, barberID: BarberID, serviceID: ServiceID, start: Instant, end: Instant, expiresAt: Instant) {
        self.entryID = entryID
        self.barberID = barberID
        self.serviceID = serviceID
        self.start = start
        self.end = end
        self.expiresAt = expiresAt
    }

    /// Whether the hold still keeps its interval at `now`.
    public func isLive(at now: Instant) -> Bool { now < expiresAt }

    /// Whether `[start, end)` conflicts with this hold when the barber keeps `buffer` seconds after
    /// each appointment: the rule `LiveIntervals.conflict` applies to appointments.
    public func conflicts(start: Int64, end: Int64, buffer: Int64) -> Bool {
        start < self.end.seconds + buffer && self.start.seconds < end + buffer
    }
}
