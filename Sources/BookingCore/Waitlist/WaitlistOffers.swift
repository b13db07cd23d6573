/// The one decision that passes a calendar's open time to the waitlist, pure and given `now`.
///
/// It runs inside the calendar actor's turn (`CalendarActor.commit(with:)`) against a waitlist
/// that cannot change meanwhile (the engine's gate, `MoveGate`), and its changes are journaled as
/// one record, so what it decides is what lands. The invariant it keeps: **a slot is never
/// offered to two entries and an entry never holds two offers** — each hold it places is applied
/// to its working copy of the calendar before the next entry is considered (so the next entry's
/// `check` sees it), and only `waiting` entries are offered (an offered entry is not waiting).
public enum WaitlistOffers {
    /// The changes, in order: `leading` (e.g. an entry's cancellation and its hold's release);
    /// then, for every hold on this calendar that is no longer live at `policy.now`, its release
    /// and its entry's expiry; then, for each waiting entry this barber can serve, oldest first,
    /// an offer of the earliest start it accepts that `check` allows now: the hold and the offer.
    public static func decide(
        after leading: [ShopChange] = [], calendar: BarberCalendar, waitlist: Waitlist, services: [ServiceID: Service],
        policy: BookingPolicy
    ) -> [ShopChange] {
        var calendar = calendar
        var waitlist = waitlist
        var changes: [ShopChange] = []
        func take(_ change: ShopChange) {
            switch change {
            case .calendar(let change): calendar.apply(change)
            case .waitlist(let change): waitlist.apply(change)
            case .registry, .queue, .clientRecord, .notification:
                preconditionFailure("a waitlist decision changes no registry, queue, client record or notification")
            }
            changes.append(change)
        }
        leading.forEach(take)
        let barber = calendar.barber.id
        for hold in calendar.holds.values.sorted(by: { $0.entryID < $1.entryID }) where !hold.isLive(at: policy.now) {
            take(.calendar(.holdReleased(barberID: barber, entryID: hold.entryID)))
            take(.waitlist(.expired(hold.entryID)))
        }
        for entry in waitlist.waiting {
            guard let service = services[entry.serviceID], entry.barberID == nil || entry.barberID == barber,
                let start = earliestStart(for: entry, service: service, on: calendar, policy: policy)
            else { continue }
            let hold = Hold(
                entryID: entry.id, barberID: barber, serviceID: service.id, start: start,
                end: start.adding(minutes: service.durationMinutes),
                expiresAt: policy.now.adding(minutes: policy.settings.waitlistHoldMinutes))
            take(.calendar(.holdPlaced(hold)))
            take(.waitlist(.offered(hold)))
        }
        return changes
    }

    /// The earliest start a client could book now on `calendar` that `entry` accepts, if any:
    /// the slots of each date of the entry's range within the booking horizon, in order.
    public static func earliestStart(for entry: WaitlistEntry, service: Service, on calendar: BarberCalendar, policy: BookingPolicy)
        -> Instant?
    {
        let first = max(entry.dateFrom, policy.shopTime.localDate(of: policy.earliestStart))
        let last = min(entry.dateTo, policy.shopTime.localDate(of: policy.latestStart))
        var date = first
        while date <= last {
            let starts = calendar.slots(on: date, service: service, policy: policy)
            if let start = starts.first(where: { entry.accepts(start: $0, barber: calendar.barber.id, shopTime: policy.shopTime) }) {
                return start
            }
            date = date.adding(days: 1)
        }
        return nil
    }
}
