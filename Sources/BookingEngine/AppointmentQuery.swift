import BookingCore

/// The filters and paging of an appointment listing. All fields are optional.
public struct AppointmentQuery: Sendable, Equatable {
    /// Appointments overlapping `[from, to)`.
    public var from: Instant?
    public var to: Instant?
    public var barberID: BarberID?
    public var status: AppointmentStatus?
    /// At most this many, after `afterID` in (start, id) order.
    public var limit: Int?
    public var afterID: AppointmentID?

    public init(from: Instant? = nil, to: Instant? = nil, barberID: BarberID? = nil, status: AppointmentStatus? = nil,
                limit: Int? = nil, afterID: AppointmentID? = nil) {
        self.from = from
        self.to = to
        self.barberID = barberID
        self.status = status
        self.limit = limit
        self.afterID = afterID
    }

    func matches(_ appointment: Appointment) -> Bool {
        (status == nil || appointment.status == status)
            && (barberID == nil || appointment.barberID == barberID)
            && (from == nil || appointment.end > from!)
            && (to == nil || appointment.start < to!)
    }
}
