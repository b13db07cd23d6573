public enum AppointmentStatus: String, Sendable, Codable, Hashable, CaseIterable {
    case confirmed, cancelled, completed, noShow = "no_show"

    /// Every status but `cancelled` keeps the interval taken.
    public var isLive: Bool { self != .cancelled }
}

/// One booking of one barber's time. `end` is `start` plus the service's duration at booking time;
/// `priceCents` is the service's price at booking time.
public struct Appointment: Hashable, Sendable, Codable {
    public var id: AppointmentID
    public var barberID: BarberID
    public var clientID: UserID
    public var serviceID: ServiceID
    public var start: Instant
    public var end: Instant
    public var status: AppointmentStatus
    public var priceCents: Int
    public var notes: String?
    public var createdAt: Instant
    public var cancelReason: String?

    public init(id: AppointmentID, barberID: BarberID, clientID: UserID, serviceID: ServiceID, start: Instant,
                end: Instant, status: AppointmentStatus, priceCents: Int, notes: String?, createdAt: Instant,
                cancelReason: String? = nil) {
        self.id = id
        self.barberID = barberID
        self.clientID = clientID
        self.serviceID = serviceID
        self.start = start
        self.end = end
        self.status = status
        self.priceCents = priceCents
        self.notes = notes
        self.createdAt = createdAt
        self.cancelReason = cancelReason
    }
}
