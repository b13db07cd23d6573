/// What one barber's appointments starting on one shop-local day add up to, kept current as
/// appointments change (`BarberFigures`).
public struct DayFigures: Sendable, Equatable {
    public var counts = StatusCounts()
    /// Σ price of live ones.
    public var revenueBookedCents = 0
    /// Σ price of completed ones.
    public var revenueCompletedCents = 0
    /// Σ length in minutes of live ones.
    public var bookedMinutes = 0
    /// Live appointments by shop-local start hour (0...23).
    public var liveByHour = [Int](repeating: 0, count: 24)
    public var services: [ServiceID: ServiceFigures] = [:]
    /// How many live appointments each client has on this day.
    public var liveClients: [UserID: Int] = [:]
    /// The completed appointments of this day: their client and end (for the rebooking rate).
    public var completedVisits: [AppointmentID: CompletedVisit] = [:]

    public init() {}

    /// Adds (`sign` 1) or takes away (`sign` -1) one appointment that starts on this day at `hour`.
    /// Sums wrap instead of trapping (a restored state may hold any price); adding and taking
    /// away the same appointment still cancel exactly.
    mutating func count(_ appointment: Appointment, hour: Int, sign: Int) {
        counts.count(appointment.status, sign: sign)
        let price = appointment.priceCents &* sign
        var service = services[appointment.serviceID, default: ServiceFigures()]
        service.appointments += sign
        if appointment.status.isLive {
            revenueBookedCents &+= price
            bookedMinutes &+= Int((appointment.end.seconds &- appointment.start.seconds) / 60) &* sign
            liveByHour[hour] += sign
            let remaining = liveClients[appointment.clientID, default: 0] + sign
            liveClients[appointment.clientID] = remaining == 0 ? nil : remaining
        }
        if appointment.status == .completed {
            revenueCompletedCents &+= price
            service.revenueCompletedCents &+= price
            completedVisits[appointment.id] =
                sign > 0 ? CompletedVisit(client: appointment.clientID, end: appointment.end.seconds) : nil
        }
        services[appointment.serviceID] = service.appointments == 0 ? nil : service
    }
}

/// Appointments by current status; `appointments` counts every status.
public struct StatusCounts: Sendable, Equatable {
    public var appointments = 0
    public var confirmed = 0
    public var completed = 0
    public var cancelled = 0
    public var noShow = 0

    public init() {}

    public mutating func count(_ status: AppointmentStatus, sign: Int) {
        appointments += sign
        switch status {
        case .confirmed: confirmed += sign
        case .completed: completed += sign
        case .cancelled: cancelled += sign
        case .noShow: noShow += sign
        }
    }

    static func += (lhs: inout StatusCounts, rhs: StatusCounts) {
        lhs.appointments += rhs.appointments
        lhs.confirmed += rhs.confirmed
        lhs.completed += rhs.completed
        lhs.cancelled += rhs.cancelled
        lhs.noShow += rhs.noShow
    }
}

/// One service's appointments (every status) and completed revenue.
public struct ServiceFigures: Sendable, Equatable {
    public var appointments = 0
    public var revenueCompletedCents = 0

    public init() {}
}

/// A completed appointment as the rebooking rate needs it.
public struct CompletedVisit: Sendable, Equatable {
    public var client: UserID
    /// The appointment's end, in seconds since the epoch.
    public var end: Int64
}
