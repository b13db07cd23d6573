import Foundation

/// A barber's profile and working rules: everything the calendar needs besides appointments.
public struct Barber: Hashable, Sendable, Codable {
    public var id: BarberID
    public var name: String
    public var isActive: Bool
    public var userID: UserID?
    public var weekly: WeeklySchedule
    /// Free minutes kept after each appointment: the next may start no sooner than end + buffer.
    public var bufferMinutes: Int

    public init(id: BarberID, name: String, isActive: Bool = true, userID: UserID? = nil,
                weekly: WeeklySchedule = .empty, bufferMinutes: Int = 0) {
        self.id = id
        self.name = name
        self.isActive = isActive
        self.userID = userID
        self.weekly = weekly
        self.bufferMinutes = bufferMinutes
    }

    public static func validateName(_ name: String) -> BookingError? {
        name.trimmingCharacters(in: .whitespaces).isEmpty || name.count > 200
            ? .validationFailed("name must be 1 to 200 characters") : nil
    }

    public static func validateBuffer(_ minutes: Int) -> BookingError? {
        (0...1440).contains(minutes) ? nil : .validationFailed("buffer_minutes must be between 0 and 1440")
    }
}

/// A stretch of time a barber does not work, on top of the weekly schedule.
public struct TimeOff: Hashable, Sendable, Codable {
    public var id: TimeOffID
    public var barberID: BarberID
    public var start: Instant
    public var end: Instant
    public var reason: String?

    public init(id: TimeOffID, barberID: BarberID, start: Instant, end: Instant, reason: String?) {
        self.id = id
        self.barberID = barberID
        self.start = start
        self.end = end
        self.reason = reason
    }
}
