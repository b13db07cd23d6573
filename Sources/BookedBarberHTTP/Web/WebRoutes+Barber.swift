import BookingCore
import BookingEngine
import Foundation
import HTTPTypes
import Hummingbird

/// **Barber** (`/barber`): today and the rest of the week, each day's appointments and the gaps
/// between them inside working hours, complete / no-show, time off added and removed, and the
/// barber's calendar feed. The page's script (`live.js`) listens on the event stream and swaps in
/// the schedule, rendered again by the server, when one of the barber's appointments changes. A
/// barber sees their own calendar; an admin picks any barber (`?barber_id=`); a client gets 403.
extension WebRoutes {
    static let barberDays = 7

    struct TimeOffForm: Decodable {
        var barber_id: Int
        var date: String
        var from: String
        var to: String
        var reason: String?
    }

    struct BarberForm: Decodable {
        var barber_id: Int
    }

    func registerBarber(_ routes: RouteTable) {
        page(routes, .get, "/barber") { web in try await barberPage(web, problem: nil, status: .ok) }
        for (action, status) in [("complete", AppointmentStatus.completed), ("no-show", .noShow)] {
            page(routes, .post, "/barber/appointments/:id/\(action)") { web in
                let (requester, _) = try signedIn(web)
                let id = try Input.pathID(web.context, "id")
                do {
                    let appointment = try await engine.setStatus(id, status, by: requester)
                    return Self.seeOther("/barber?barber_id=\(appointment.barberID)")
                } catch let error as BookingError {
                    return try await barberPage(web, problem: "Appointment \(id): \(error.message)", status: APIError(error).status)
                }
            }
        }
        page(routes, .post, "/barber/time-off") { web in
            let (requester, _) = try signedIn(web)
            let form = try web.form(TimeOffForm.self)
            let date = try Input.date(form.date, field: "date")
            let from = try Input.timeOfDay(form.from, field: "from")
            let to = try Input.timeOfDay(form.to, field: "to")
            let reason = try Input.text((form.reason ?? "").isEmpty ? nil : form.reason, field: "reason", max: TextLimits.reason)
            let time = engine.catalog.shopTime
            do {
                _ = try await engine.addTimeOff(
                    form.barber_id, start: time.instant(on: date, at: from), end: time.instant(on: date, at: to), reason: reason, by: requester)
            } catch let error as BookingError {
                return try await barberPage(web, problem: "Time off not added: \(error.message)", status: APIError(error).status)
            }
            return Self.seeOther("/barber?barber_id=\(form.barber_id)")
        }
        page(routes, .post, "/barber/time-off/:id/remove") { web in
            let (requester, _) = try signedIn(web)
            let form = try web.form(BarberForm.self)
            try await engine.removeTimeOff(form.barber_id, id: try Input.pathID(web.context, "id"), by: requester)
            return Self.seeOther("/barber?barber_id=\(form.barber_id)")
        }
    }

    /// The barber whose calendar the page shows: a barber's own; for an admin the one asked for,
    /// or the first. Anyone else: 403 from the engine's rule (`Requester.manages`).
    func calendarOwner(_ web: WebRequest, requester: Requester, asked: BarberID?) async throws -> Barber {
        let id: BarberID
        switch requester.role {
        case .barber:
            guard let own = requester.barberID else { throw BookingError.forbidden("this account has no calendar") }
            id = own
        case .admin:
            guard let first = asked ?? engine.catalog.barberIDs.first else { throw BookingError.notFound("the shop has no barbers yet") }
            id = first
        case .client:
            throw BookingError.forbidden("the barber page is for the shop's barbers and admins")
        }
        guard requester.manages(barber: id) else { throw BookingError.forbidden("a barber sees only their own calendar") }
        return try await engine.barber(id)
    }

    /// The week shown, `[today 00:00, today + 7 days 00:00)` shop-local.
    func week() -> (days: [CivilDate], from: Instant, to: Instant) {
        let time = engine.catalog.shopTime
        let today = time.localDate(of: engine.clock())
        let days = (0..<Self.barberDays).map { today.adding(days: $0) }
        return (days, time.instant(on: today, at: TimeOfDay(minutes: 0)), time.instant(on: today.adding(days: Self.barberDays), at: TimeOfDay(minutes: 0)))
    }

    struct BarberModel {
        struct Entry {
            var time: String
            var isAppointment: Bool
            var isGap: Bool
            var isTimeOff: Bool
            var title: String
            var detail: String
            var status: String
            var statusClass: String
            var confirmed: Bool
            var id: Int
        }
        struct Day {
            var label: String
            var isToday: Bool
            var entries: [Entry]
            var summary: String
            var off: Bool
        }
        struct TimeOffRow {
            var id: Int
            var when: String
            var reason: String
        }
        struct BarberLink {
            var id: Int
            var name: String
            var selected: Bool
        }
        var frame: PageFrame
        var barberID: Int
        var barberName: String
        var days: [Day]
        var timeOff: [TimeOffRow]
        var hasTimeOff: Bool
        var isAdmin: Bool
        var barbers: [BarberLink]
        var today: String
        var problem: String
        var hasProblem: Bool
        var live: PageJSON
        var feed: FeedAddress?
    }

    func barberPage(_ web: WebRequest, problem: String?, status: HTTPResponse.Status, feed: FeedAddress? = nil) async throws -> Response {
        let (requester, _) = try signedIn(web)
        var asked = web.query("barber_id").flatMap { Int($0) }
        if asked == nil, !web.formBody.isEmpty { asked = (try? web.form(BarberForm.self))?.barber_id }
        let barber = try await calendarOwner(web, requester: requester, asked: asked)
        let format = format
        let time = format.time
        let (days, from, to) = week()
        let appointments = try await engine.appointments(AppointmentQuery(from: from, to: to, barberID: barber.id), for: requester)
        let timeOff = try await engine.timeOff(of: barber.id, for: requester)
        var clients: [UserID: String] = [:]
        for id in Set(appointments.map(\.clientID)) { clients[id] = engine.user(id: id)?.name ?? "Client \(id)" }
        let catalog = engine.catalog
        let now = engine.clock()
        var dayModels: [BarberModel.Day] = []
        for date in days {
            let dayStart = time.instant(on: date, at: TimeOfDay(minutes: 0))
            let dayEnd = time.instant(on: date.adding(days: 1), at: TimeOfDay(minutes: 0))
            let working = WorkingDay(date: date, schedule: barber.weekly, shopTime: time)
            let onDay = appointments.filter { $0.start < dayEnd && $0.end > dayStart }
            let offOnDay = timeOff.filter { $0.start < dayEnd && $0.end > dayStart }
            var entries: [(Instant, BarberModel.Entry)] = onDay.map { appointment in
                let service = catalog.services[appointment.serviceID]
                return (
                    appointment.start,
                    .init(
                        time: "\(format.clock(appointment.start))–\(format.clock(appointment.end))", isAppointment: true, isGap: false,
                        isTimeOff: false, title: clients[appointment.clientID] ?? "", detail: service?.name ?? "",
                        status: PageFormat.statusNames[appointment.status] ?? "", statusClass: appointment.status.rawValue,
                        confirmed: appointment.status == .confirmed, id: appointment.id)
                )
            }
            entries += offOnDay.map {
                ($0.start, BarberModel.Entry(
                    time: "\(format.clock(max($0.start, dayStart)))–\(format.clock(min($0.end, dayEnd)))", isAppointment: false, isGap: false,
                    isTimeOff: true, title: "Time off", detail: $0.reason ?? "", status: "", statusClass: "", confirmed: false, id: $0.id))
            }
            let busy = (onDay.filter { $0.status.isLive }.map { ($0.start, $0.end) } + offOnDay.map { ($0.start, $0.end) }).sorted { $0.0 < $1.0 }
            var freeMinutes = 0
            for period in working.periods {
                var cursor = date == days[0] ? max(period.start, now) : period.start
                for (start, end) in busy where end > cursor && start < period.end {
                    if start > cursor { entries.append(gap(cursor, start, format: format, free: &freeMinutes)) }
                    cursor = max(cursor, end)
                }
                if cursor < period.end { entries.append(gap(cursor, period.end, format: format, free: &freeMinutes)) }
            }
            entries.sort { $0.0 < $1.0 }
            let live = onDay.filter { $0.status.isLive }.count
            dayModels.append(
                .init(
                    label: date == days[0] ? "Today, \(format.longDay(date))" : format.longDay(date), isToday: date == days[0],
                    entries: entries.map(\.1), summary: "\(live) booked · \(PageFormat.duration(freeMinutes)) free",
                    off: working.periods.isEmpty))
        }
        var barberLinks: [BarberModel.BarberLink] = []
        if requester.isAdmin {
            barberLinks = await engine.barbers(activeOnly: false).map { .init(id: $0.id, name: $0.name, selected: $0.id == barber.id) }
        }
        let model = BarberModel(
            frame: frame("\(barber.name): schedule", visitor: web.visitor, scripts: ["live.js"], section: "barber"),
            barberID: barber.id, barberName: barber.name, days: dayModels,
            timeOff: timeOff.filter { $0.end > now }.map {
                .init(id: $0.id, when: "\(format.dayAndClock($0.start)) – \(format.dayAndClock($0.end))", reason: $0.reason ?? "")
            },
            hasTimeOff: timeOff.contains { $0.end > now }, isAdmin: requester.isAdmin,
            barbers: barberLinks,
            today: days[0].description, problem: problem ?? "", hasProblem: problem != nil,
            live: PageJSON(
                LiveUpdates(
                    stream: LiveUpdates.eventStream, events: LiveUpdates.appointmentEvents, source: "/barber?barber_id=\(barber.id)",
                    regions: ["schedule"], barber_id: barber.id)),
            feed: feed)
        return renderer.page("barber", model, status: status)
    }

    private func gap(_ start: Instant, _ end: Instant, format: PageFormat, free: inout Int) -> (Instant, BarberModel.Entry) {
        let minutes = Int(end.seconds - start.seconds) / 60
        free += minutes
        return (
            start,
            .init(
                time: "\(format.clock(start))–\(format.clock(end))", isAppointment: false, isGap: true, isTimeOff: false,
                title: "Free", detail: PageFormat.duration(minutes), status: "", statusClass: "", confirmed: false, id: 0)
        )
    }
}
