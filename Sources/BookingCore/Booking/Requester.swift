/// The authenticated person behind a request, as the rules see them.
public struct Requester: Sendable, Equatable {
    public var userID: UserID
    public var role: Role
    /// For a barber user, the barber whose calendar is theirs.
    public var barberID: BarberID?

    public init(userID: UserID, role: Role, barberID: BarberID? = nil) {
        self.userID = userID
        self.role = role
        self.barberID = barberID
    }

    public var isAdmin: Bool { role == .admin }

    /// Admins manage every barber; a barber manages their own calendar and schedule.
    public func manages(barber: BarberID) -> Bool {
        role == .admin || (role == .barber && barberID == barber)
    }

    /// Who may see and touch an appointment: its client, its barber, an admin.
    public func canAccess(_ appointment: Appointment) -> Bool {
        manages(barber: appointment.barberID) || appointment.clientID == userID
    }

    /// The booking rules that apply to this requester acting on `barber`'s calendar.
    public func bookingActor(on barber: BarberID) -> BookingActor {
        manages(barber: barber) ? .staff : .client
    }
}
