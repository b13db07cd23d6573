/// Identifiers of waitlist entries: positive, unique, never reused (see `IDAllocator`).
public typealias WaitlistEntryID = Int

public enum WaitlistStatus: String, Sendable, Codable, Hashable, CaseIterable {
    case waiting, offered, booked, expired, cancelled
}

/// A client waiting for a start of `serviceID` with `barberID` (nil: any barber who offers it),
/// on a shop-local date in `[dateFrom, dateTo]` and at a time of day in `[timeFrom, timeTo)`.
public struct WaitlistEntry: Hashable, Sendable, Codable {
    public var id: WaitlistEntryID
    public var clientID: UserID
    public var serviceID: ServiceID
    public var barberID: BarberID?
    public var dateFrom: CivilDate
    public var dateTo: CivilDate
    public var timeFrom: TimeOfDay
    public var timeTo: TimeOfDay
    public var status: WaitlistStatus
    /// The held start while `offered`; the last one offered afterwards (`booked`, `expired`).
    public var offer: Hold?
    /// The appointment a claim made, once `booked`.
    public var appointmentID: AppointmentID?
    public var createdAt: Instant

    public init(id: WaitlistEntryID, clientID: UserID, serviceID: ServiceID, barberID: BarberID?, dateFrom: CivilDate,
                dateTo: CivilDate, timeFrom: TimeOfDay, timeTo: TimeOfDay, createdAt: Instant) {
        self.id = id
        self.clientID = clientID
        self.serviceID = serviceID
        self.barberID = barberID
        self.dateFrom = dateFrom
        self.dateTo = dateTo
        self.timeFrom = timeFrom
        self.timeTo = timeTo
        self.status = .waiting
        self.offer = nil
        self.appointmentID = nil
        self.createdAt = createdAt
    }

    /// The entry's own rules; an error names the first field that breaks one.
    public func validate() -> BookingError? {
        if dateTo < dateFrom { return .validationFailed("date_to must not be before date_from") }
        if dateTo.daysSinceEpoch - dateFrom.daysSinceEpoch > 3660 { return .validationFailed("the date range is longer than ten years") }
        if timeTo <= timeFrom { return .validationFailed("time_to must be after time_from") }
        return nil
    }

    /// Whether a start at `start` (with `barber`) is one this entry waits for: the barber asked
    /// for (or any), a shop-local date in the range and a time of day in `[timeFrom, timeTo)`.
    public func accepts(start: Instant, barber: BarberID, shopTime: ShopTime) -> Bool {
        if let barberID, barberID != barber { return false }
        let date = shopTime.localDate(of: start)
        guard dateFrom <= date, date <= dateTo else { return false }
        // The wall-clock time, so a window keeps its meaning on daylight-saving days.
        let local = start.seconds + Int64(shopTime.offsetSeconds(at: start))
        let minutes = Int(local - RFC3339.floorDiv(local, 86_400) * 86_400) / 60
        return timeFrom.minutes <= minutes && minutes < timeTo.minutes
    }
}
