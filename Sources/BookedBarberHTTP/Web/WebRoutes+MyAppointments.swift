import BookingCore
import BookingEngine
import Foundation
import HTTPTypes
import Hummingbird

/// **My appointments** (`/me`): a client's upcoming and past appointments; cancel and reschedule
/// up to the shop's cut-off (shown, and enforced by the engine); each appointment's page with its
/// `.ics` for "add to calendar"; the client's waitlist entries (`WebRoutes+Waitlist.swift`) and
/// calendar feed (`WebRoutes+CalendarFeeds.swift`). The page's script (`live.js`) swaps in the
/// lists, rendered again by the server, when an event about them arrives (an offer appearing).
extension WebRoutes {
    struct CancelForm: Decodable {
        var reason: String?
    }

    struct RescheduleForm: Decodable {
        /// `<barber id>@<start>`, the value of the chosen time's button.
        var slot: String
    }

    struct AppointmentRow {
        var id: Int
        var href: String
        var service: String
        var barber: String
        var when: String
        var status: String
        var statusClass: String
        var price: String
        var changeable: Bool
        var deadline: String
        var closed: Bool
    }

    struct MeModel {
        var frame: PageFrame
        var upcoming: [AppointmentRow]
        var past: [AppointmentRow]
        var hasUpcoming: Bool
        var hasPast: Bool
        var cutoff: String
        var problem: String
        var hasProblem: Bool
        var notice: String
        var hasNotice: Bool
        var waitlist: [WaitlistRow]
        var hasWaitlist: Bool
        var feed: FeedAddress?
        var live: PageJSON
    }

    /// What changes the lists of `/me`: the client's appointments and waitlist entries.
    static let myEvents = LiveUpdates.appointmentEvents + [EventType.waitlistOffered, .waitlistExpired, .waitlistBooked].map(\.rawValue)

    func registerMyAppointments(_ routes: RouteTable) {
        page(routes, .get, "/me") { web in
            let notice: String? =
                if web.query("cancelled") != nil {
                    "Your appointment was cancelled."
                } else if web.query("joined") != nil {
                    "You are on the waitlist. When a time that fits opens, it appears here for you to claim."
                } else if web.query("left") != nil {
                    "You left the waitlist."
                } else {
                    nil
                }
            return try await myAppointments(web, problem: nil, notice: notice)
        }
        page(routes, .get, "/me/appointments/:id") { web in try await appointmentPage(web) }
        page(routes, .get, "/me/appointments/:id/calendar.ics") { web in
            let (requester, _) = try signedIn(web)
            let appointment = try await engine.appointment(try Input.pathID(web.context, "id"), for: requester)
            let file = CalendarFile(
                appointment: appointment, serviceName: engine.catalog.services[appointment.serviceID]?.name ?? "Appointment",
                barberName: try await engine.barber(appointment.barberID).name, shopName: engine.catalog.settings.name, now: engine.clock())
            return Response(
                status: .ok,
                headers: [
                    .contentType: "text/calendar; charset=utf-8", .cacheControl: "no-store",
                    .contentDisposition: "attachment; filename=\"appointment-\(appointment.id).ics\"",
                ],
                body: .init(byteBuffer: .init(string: file.text)))
        }
        page(routes, .post, "/me/appointments/:id/cancel") { web in
            let (requester, _) = try signedIn(web)
            let id = try Input.pathID(web.context, "id")
            let form = try web.form(CancelForm.self)
            let reason = try Input.text((form.reason ?? "").isEmpty ? nil : form.reason, field: "reason", max: TextLimits.reason)
            do {
                _ = try await engine.cancel(id, reason: reason, by: requester)
            } catch let error as BookingError {
                return try await myAppointments(web, problem: "Appointment \(id) was not cancelled: \(error.message)", status: APIError(error).status)
            }
            return Self.seeOther("/me?cancelled=\(id)")
        }
        page(routes, .get, "/me/appointments/:id/reschedule") { web in try await reschedulePage(web, problem: nil, status: .ok) }
        page(routes, .post, "/me/appointments/:id/reschedule") { web in
            let (requester, _) = try signedIn(web)
            let id = try Input.pathID(web.context, "id")
            let form = try web.form(RescheduleForm.self)
            let parts = form.slot.split(separator: "@", maxSplits: 1)
            guard parts.count == 2, let barber = Int(parts[0]), barber > 0, let start = RFC3339.parse(parts[1]) else {
                throw APIError.badRequest("slot: expected <barber id>@<RFC 3339 start>")
            }
            do {
                _ = try await engine.reschedule(id, to: start, barberID: barber, by: requester)
            } catch let error as BookingError {
                var problem = "The appointment was not moved: \(error.message)"
                if case .slotTaken = error { problem = "Sorry, \(format.dayAndClock(start)) was taken a moment ago. Please pick another time." }
                return try await reschedulePage(web, problem: problem, status: APIError(error).status)
            }
            return Self.seeOther("/me/appointments/\(id)?rescheduled=1")
        }
    }

    func myAppointments(
        _ web: WebRequest, problem: String?, notice: String? = nil, status: HTTPResponse.Status = .ok, feed: FeedAddress? = nil
    ) async throws -> Response {
        let (requester, _) = try signedIn(web)
        guard requester.role == .client else { throw WebPageError.redirect(Self.home(of: requester.role)) }
        let rows = try await appointmentRows(try await engine.appointments(AppointmentQuery(), for: requester))
        let now = engine.clock()
        let upcoming = rows.filter { $0.0.status == .confirmed && $0.0.end > now }.map(\.1)
        let past = rows.filter { !($0.0.status == .confirmed && $0.0.end > now) }.map(\.1).reversed()
        let waitlist = await waitlistRows(for: requester)
        let model = MeModel(
            frame: frame("My appointments", visitor: web.visitor, scripts: ["live.js"], section: "me"), upcoming: upcoming, past: Array(past),
            hasUpcoming: !upcoming.isEmpty, hasPast: !past.isEmpty,
            cutoff: PageFormat.duration(engine.catalog.settings.cancellationCutoffMinutes),
            problem: problem ?? "", hasProblem: problem != nil, notice: notice ?? "", hasNotice: notice != nil,
            waitlist: waitlist, hasWaitlist: !waitlist.isEmpty, feed: feed,
            live: PageJSON(LiveUpdates(stream: LiveUpdates.eventStream, events: Self.myEvents, source: "/me", regions: ["my-lists"])))
        return renderer.page("me", model, status: status)
    }

    func appointmentRows(_ appointments: [Appointment]) async throws -> [(Appointment, AppointmentRow)] {
        let catalog = engine.catalog
        let policy = catalog.policy(now: engine.clock())
        let format = format
        let names = Dictionary(uniqueKeysWithValues: await engine.barbers(activeOnly: false).map { ($0.id, $0.name) })
        return appointments.map { appointment in
            let changeable = appointment.status == .confirmed && policy.clientMayChange(appointment)
            return (
                appointment,
                AppointmentRow(
                    id: appointment.id, href: "/me/appointments/\(appointment.id)",
                    service: catalog.services[appointment.serviceID]?.name ?? "Service \(appointment.serviceID)",
                    barber: names[appointment.barberID] ?? "", when: format.dayAndClock(appointment.start),
                    status: PageFormat.statusNames[appointment.status] ?? appointment.status.rawValue,
                    statusClass: appointment.status.rawValue, price: PageFormat.money(appointment.priceCents),
                    changeable: changeable, deadline: format.dayAndClock(policy.clientChangeDeadline(of: appointment)),
                    closed: appointment.status == .confirmed && !changeable)
            )
        }
    }

    struct AppointmentModel {
        var frame: PageFrame
        var row: AppointmentRow
        var day: String
        var time: String
        var endTime: String
        var notes: String
        var hasNotes: Bool
        var justBooked: Bool
        var justMoved: Bool
        var calendarHref: String
        var isClient: Bool
    }

    func appointmentPage(_ web: WebRequest) async throws -> Response {
        let (requester, _) = try signedIn(web)
        let appointment = try await engine.appointment(try Input.pathID(web.context, "id"), for: requester)
        let row = try await appointmentRows([appointment])[0].1
        let format = format
        let model = AppointmentModel(
            frame: frame(web.query("booked") != nil ? "Booked" : "Appointment \(appointment.id)", visitor: web.visitor, section: "me"),
            row: row, day: format.longDay(format.time.localDate(of: appointment.start)), time: format.clock(appointment.start),
            endTime: format.clock(appointment.end), notes: appointment.notes ?? "", hasNotes: !(appointment.notes ?? "").isEmpty,
            justBooked: web.query("booked") != nil, justMoved: web.query("rescheduled") != nil,
            calendarHref: "/me/appointments/\(appointment.id)/calendar.ics", isClient: requester.role == .client)
        return renderer.page("appointment", model)
    }

    struct RescheduleModel {
        struct Day {
            var href: String
            var label: String
            var hasRoom: Bool
            var current: Bool
        }
        struct Time {
            var value: String
            var label: String
            var barber: String
        }
        struct Group {
            var label: String
            var times: [Time]
        }
        var frame: PageFrame
        var row: AppointmentRow
        var days: [Day]
        var dayLabel: String
        var groups: [Group]
        var noTimes: Bool
        var action: String
        var problem: String
        var hasProblem: Bool
    }

    /// The free times of the appointment's service on one of the next 14 days, with any barber;
    /// each time is a button of one form, so the choice needs no script.
    func reschedulePage(_ web: WebRequest, problem: String?, status: HTTPResponse.Status) async throws -> Response {
        let (requester, _) = try signedIn(web)
        let id = try Input.pathID(web.context, "id")
        let appointment = try await engine.appointment(id, for: requester)
        let row = try await appointmentRows([appointment])[0].1
        let format = format
        let today = format.time.localDate(of: engine.clock())
        let asked = web.query("date").flatMap { CivilDate(parsing: $0) } ?? format.time.localDate(of: appointment.start)
        var days: [RescheduleModel.Day] = []
        var chosen: [Slot] = []
        for offset in 0..<Self.bookingDays {
            let date = today.adding(days: offset)
            let slots = try await engine.slots(serviceID: appointment.serviceID, date: date, barberID: nil)
            if date == asked { chosen = slots }
            days.append(.init(href: "/me/appointments/\(id)/reschedule?date=\(date)", label: format.day(date), hasRoom: !slots.isEmpty, current: date == asked))
        }
        let names = Dictionary(uniqueKeysWithValues: await engine.barbers(activeOnly: false).map { ($0.id, $0.name) })
        var groups: [RescheduleModel.Group] = []
        for slot in chosen {
            let time = RescheduleModel.Time(
                value: "\(slot.barberID)@\(format.time.format(slot.start))", label: format.clock(slot.start), barber: names[slot.barberID] ?? "")
            let part = format.partOfDay(slot.start)
            if groups.last?.label == part { groups[groups.count - 1].times.append(time) } else { groups.append(.init(label: part, times: [time])) }
        }
        let model = RescheduleModel(
            frame: frame("Reschedule", visitor: web.visitor, section: "me"), row: row, days: days, dayLabel: format.longDay(asked),
            groups: groups, noTimes: groups.isEmpty, action: "/me/appointments/\(id)/reschedule", problem: problem ?? "",
            hasProblem: problem != nil)
        return renderer.page("reschedule", model, status: status)
    }
}
