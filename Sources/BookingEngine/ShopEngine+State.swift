import BookingCore
import Synchronization
import Crypto

extension ShopEngine {
    /// Captures the whole state while the server keeps serving: the directory and each calendar
    /// in a turn of its own, then the notification part, with per-part watermarks (see
    /// `StateImage`, which relies on the notification part being captured last). Only the
    /// changes under the gate (`MoveGate`: moves between barbers, waitlist and queue changes) wait
    /// while it runs.
    public func capture() async -> StateImage {
        await moveGate.run {
            let (registry, clientRecords, directoryLSN) = await directory.capture()
            let (waitlist, walkIns, waitlistLSN) = await self.waitlist.capture()
            let parts = await withTaskGroup(of: (BarberCalendar, LSN).self) { group in
                for barber in router.barberIDs {
                    guard let actor = router.calendar(barber) else { continue }
                    group.addTask { await actor.capture() }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            let (notificationState, notificationLSN) = notifications.capture()
            return StateImage(
                state: ShopState(
                    registry: registry, calendars: parts.map(\.0), waitlist: waitlist, walkIns: walkIns, clientRecords: clientRecords,
                    notifications: notificationState),
                directoryLSN: directoryLSN, calendarLSNs: Dictionary(uniqueKeysWithValues: parts.map { ($0.0.barber.id, $0.1) }),
                waitlistLSN: waitlistLSN, notificationLSN: notificationLSN)
        }
    }

    /// Loads a recovered state into an engine that has not served yet: the registry into the
    /// directory, one actor per calendar, the appointment index, and allocators above every id.
    public func load(_ state: ShopState) async {
        precondition(router.barberIDs.isEmpty, "load runs once, on an empty engine")
        await directory.restore(state.registry, clientRecords: state.clientRecords)
        let calendars = state.orderedCalendars
        for calendar in calendars {
            router.add(CalendarActor(calendar: calendar, journal: notifications, index: index), for: calendar.barber.id)
        }
        index.restore(calendars)
        await waitlist.restore(state.waitlist, state.walkIns)
        lineWaiting.store(!state.walkIns.line.isEmpty, ordering: .sequentiallyConsistent)
        notifications.restore(state.notifications)
        let largest = state.largestIDs
        ids.user.reserve(through: largest.user)
        ids.barber.reserve(through: largest.barber)
        ids.service.reserve(through: largest.service)
        ids.appointment.reserve(through: largest.appointment)
        ids.timeOff.reserve(through: largest.timeOff)
        ids.waitlistEntry.reserve(through: largest.waitlistEntry)
        ids.walkIn.reserve(through: largest.walkIn)
    }

    /// SHA-256 of the canonical encoding of `state`, as lowercase hex.
    public static func digest(of state: ShopState) -> String {
        SHA256.hash(data: state.canonicalEncoding()).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
