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
    /// The `Idempotency-Key` the booking was made with, and by whom, so a repeat of the key is
    /// recognised even after a restart.
    public var idempotency: IdempotencyTag?

    public init(id: AppointmentID, barberID: BarberID, clientID: UserID, serviceID: ServiceID, start: Instant,
                end: Instant, status: AppointmentStatus, priceCents: Int, notes: String?, createdAt: Instant,
                cancelReason: String? = nil, idempotency: IdempotencyTag? = nil) {
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
        self.idempotency = idempotency
    }
}

/// An `Idempotency-Key` as sent by one user: keys of different users never meet.
public struct IdempotencyTag: Hashable, Sendable, Codable {
    public var user: UserID
    public var key: String

    public init(user: UserID, key: String) {
        self.user = user
        self.key = key
    }
}
