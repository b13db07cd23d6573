import BookingCore

extension ShopEngine {
    /// The bookable starts of `serviceID` on `date`, for one barber or every barber who offers it,
    /// sorted by start then barber id. Each calendar computes its own with the same rule that
    /// books (`BarberCalendar.slots`), concurrently.
    public func slots(serviceID: ServiceID, date: CivilDate, barberID: BarberID?) async throws(BookingError) -> [Slot] {
        let catalog = catalog
        let service = try service(serviceID)
        let barbers: [BarberID]
        if let barberID {
            _ = try calendarActor(barberID)
            barbers = [barberID]
        } else {
            barbers = catalog.barberIDs.filter(service.isOffered(by:))
        }
        let policy = catalog.policy(now: clock())
        let perBarber = await router.fanOut(barbers) { calendar in
            calendar.slots(on: date, service: service, policy: policy).map {
                Slot(barberID: calendar.barber.id, start: $0, end: $0.adding(minutes: service.durationMinutes))
            }
        }
        return perBarber.joined().sorted { ($0.start, $0.barberID) < ($1.start, $1.barberID) }
    }
}
