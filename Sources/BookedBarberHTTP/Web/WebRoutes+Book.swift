import BookingCore
import BookingEngine
import Foundation
import HTTPTypes
import Hummingbird

/// **Book** (`/`): service, barber or "any barber", one of the next 14 days (days with room
/// marked), the free times of that day by part of day; then `/book`: the chosen time, sign in or
/// register inline, confirm. A time taken meanwhile is shown with the nearest free times.
extension WebRoutes {
    static let bookingDays = 14

    struct BookForm: Decodable {
        var service_id: Int
        var barber_id: Int
        var start: String
        var any_barber: String?
        var notes: String?
        /// `signed-in`, `login` or `register`.
        var mode: String?
        var email: String?
        var password: String?
        var name: String?
        var phone: String?
    }

    /// What the visitor picked on `/`.
    struct BookingChoice: Sendable {
        var service: Service
        var barber: Barber
        var start: Instant
        var anyBarber: Bool
    }

    func registerBook(_ routes: RouteTable) {
        page(routes, .get, "/") { web in try await bookPage(web) }
        page(routes, .get, "/book") { web in
            let choice = try await choice(
                serviceID: web.query("service_id").flatMap { Int($0) }, barberID: web.query("barber_id").flatMap { Int($0) },
                start: web.query("start"), anyBarber: web.query("any_barber") == "1")
            return try await confirmPage(web, choice, entered: nil, problem: nil, status: .ok)
        }
        page(routes, .post, "/book") { web in try await book(&web) }
    }

    func choice(serviceID: Int?, barberID: Int?, start: String?, anyBarber: Bool) async throws -> BookingChoice {
        guard let serviceID, let barberID, let start, let instant = RFC3339.parse(start) else {
            throw APIError.badRequest("choose a service, a barber and a time on the booking page first")
        }
        guard let service = engine.catalog.services[serviceID], service.isActive else {
            throw APIError.notFound("service \(serviceID) not found")
        }
        return BookingChoice(service: service, barber: try await engine.barber(barberID), start: instant, anyBarber: anyBarber)
    }

    // MARK: The booking page

    struct BookModel {
        struct ServiceOption {
            var id: Int
            var name: String
            var duration: String
            var price: String
            var checked: Bool
        }
        struct BarberOption {
            var value: String
            var name: String
            var selected: Bool
        }
        struct DayOption {
            var value: String
            var label: String
            var hasRoom: Bool
            var checked: Bool
            var roomText: String
        }
        struct TimeGroup {
            var label: String
            var times: [TimeLink]
        }
        struct TimeLink {
            var href: String
            var label: String
            var barberName: String
            var showBarber: Bool
        }

        var frame: PageFrame
        var services: [ServiceOption]
        var barbers: [BarberOption]
        var anySelected: Bool
        var days: [DayOption]
        var dayLabel: String
        var groups: [TimeGroup]
        var noTimes: Bool
        var noServices: Bool
        var timeZone: String
        /// "Join the waitlist" under the times: the form for a signed-in client, a way to sign
        /// in for a visitor, nothing for staff.
        var showWaitlist: Bool
        var waitlist: WaitlistFormModel?
        var waitlistSignIn: String
        var holdMinutes: String
    }

    func bookPage(_ web: WebRequest) async throws -> Response {
        let catalog = engine.catalog
        let format = format
        let services = catalog.activeServices
        let service = web.query("service_id").flatMap { Int($0) }.flatMap { id in services.first { $0.id == id } } ?? services.first
        let barbers = await engine.barbers(activeOnly: true).filter { service?.isOffered(by: $0.id) ?? true }
        let chosenBarber = web.query("barber_id").flatMap { Int($0) }.flatMap { id in barbers.first { $0.id == id } }
        let today = catalog.shopTime.localDate(of: engine.clock())
        let asked = web.query("date").flatMap { CivilDate(parsing: $0) }
        var days: [BookModel.DayOption] = []
        var selected: (date: CivilDate, slots: [Slot])?
        for offset in 0..<Self.bookingDays {
            let date = today.adding(days: offset)
            var slots: [Slot] = []
            if let service { slots = try await engine.slots(serviceID: service.id, date: date, barberID: chosenBarber?.id) }
            let isChosen = asked == date || (asked == nil && selected == nil && !slots.isEmpty)
            if isChosen { selected = (date, slots) }
            days.append(
                .init(value: date.description, label: format.day(date), hasRoom: !slots.isEmpty, checked: isChosen,
                      roomText: slots.isEmpty ? "full" : "free times"))
        }
        if selected == nil, let first = days.first {
            days[0].checked = true
            selected = (CivilDate(parsing: first.value)!, [])
        }
        let names = Dictionary(uniqueKeysWithValues: barbers.map { ($0.id, $0.name) })
        var groups: [BookModel.TimeGroup] = []
        var seen: Set<Instant> = []
        for slot in selected?.slots ?? [] where chosenBarber != nil || seen.insert(slot.start).inserted {
            guard let service else { break }
            let part = format.partOfDay(slot.start)
            let link = BookModel.TimeLink(
                href: Self.bookHref(service: service.id, barber: slot.barberID, start: slot.start, anyBarber: chosenBarber == nil, format: format),
                label: format.clock(slot.start), barberName: names[slot.barberID] ?? "", showBarber: chosenBarber == nil)
            if groups.last?.label == part { groups[groups.count - 1].times.append(link) } else { groups.append(.init(label: part, times: [link])) }
        }
        let day = selected.map { $0.date.description } ?? ""
        var waitlistChoice = Entered()
        waitlistChoice.values = [
            "service_id": service.map { String($0.id) } ?? "", "barber_id": chosenBarber.map { String($0.id) } ?? "", "date_from": day,
            "date_to": day,
        ]
        let model = BookModel(
            frame: frame("Book an appointment", visitor: web.visitor, scripts: ["timezone.js"], section: "book"),
            services: services.map {
                .init(id: $0.id, name: $0.name, duration: PageFormat.duration($0.durationMinutes), price: PageFormat.money($0.priceCents),
                      checked: $0.id == service?.id)
            },
            barbers: barbers.map { .init(value: String($0.id), name: $0.name, selected: $0.id == chosenBarber?.id) },
            anySelected: chosenBarber == nil, days: days, dayLabel: selected.map { format.longDay($0.date) } ?? "",
            groups: groups, noTimes: groups.isEmpty, noServices: services.isEmpty, timeZone: catalog.settings.timeZone,
            showWaitlist: service != nil && (web.visitor.requester?.role ?? .client) == .client,
            waitlist: web.visitor.requester?.role == .client ? waitlistForm(web, entered: waitlistChoice, barbers: barbers) : nil,
            waitlistSignIn: Self.signInHref(next: web.request.uri.path + (web.request.uri.query.map { "?" + $0 } ?? "")),
            holdMinutes: PageFormat.duration(catalog.settings.waitlistHoldMinutes))
        return renderer.page("book", model)
    }

    static func bookHref(service: ServiceID, barber: BarberID, start: Instant, anyBarber: Bool, format: PageFormat) -> String {
        "/book?service_id=\(service)&barber_id=\(barber)&start=\(urlComponent(format.time.format(start)))"
            + (anyBarber ? "&any_barber=1" : "")
    }

    /// RFC 3986's unreserved characters, built once (per link, building it cost more than the encoding).
    static let unreserved = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))

    static func urlComponent(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }

    // MARK: Confirming

    struct ConfirmModel {
        struct Field {
            var value: String
            var error: String
            var hasError: Bool
        }
        var frame: PageFrame
        var serviceID: Int
        var barberID: Int
        var start: String
        var anyBarber: Bool
        var serviceName: String
        var barberName: String
        var day: String
        var time: String
        var duration: String
        var price: String
        var signedIn: Bool
        var userName: String
        var problem: String
        var hasProblem: Bool
        var alternatives: [BookModel.TimeLink]
        var hasAlternatives: Bool
        var notes: Field
        var loginEmail: Field
        var loginPassword: Field
        var name: Field
        var email: Field
        var phone: Field
        var password: Field
        var backHref: String
    }

    /// The values a visitor typed, and the error of each, to show next to its field.
    struct Entered {
        var mode = "signed-in"
        var values: [String: String] = [:]
        var errors: [String: String] = [:]
    }

    func confirmPage(_ web: WebRequest, _ choice: BookingChoice, entered: Entered?, problem: String?, status: HTTPResponse.Status,
                     alternatives: [Slot] = []) async throws -> Response
    {
        let format = format
        let entered = entered ?? Entered()
        func field(_ name: String, mode: String) -> ConfirmModel.Field {
            let error = entered.mode == mode ? entered.errors[name] ?? "" : ""
            let value = entered.mode == mode && name != "password" ? entered.values[name] ?? "" : ""
            return .init(value: value, error: error, hasError: !error.isEmpty)
        }
        let names = Dictionary(uniqueKeysWithValues: await engine.barbers(activeOnly: false).map { ($0.id, $0.name) })
        let links = alternatives.map {
            BookModel.TimeLink(
                href: Self.bookHref(service: choice.service.id, barber: $0.barberID, start: $0.start, anyBarber: choice.anyBarber, format: format),
                label: format.dayAndClock($0.start), barberName: names[$0.barberID] ?? "", showBarber: true)
        }
        let model = ConfirmModel(
            frame: frame("Confirm your booking", visitor: web.visitor, section: "book"),
            serviceID: choice.service.id, barberID: choice.barber.id, start: format.time.format(choice.start), anyBarber: choice.anyBarber,
            serviceName: choice.service.name, barberName: choice.barber.name, day: format.longDay(format.time.localDate(of: choice.start)),
            time: format.clock(choice.start), duration: PageFormat.duration(choice.service.durationMinutes),
            price: PageFormat.money(choice.service.priceCents), signedIn: web.visitor.isSignedIn, userName: web.visitor.user?.name ?? "",
            problem: problem ?? "", hasProblem: problem != nil, alternatives: links, hasAlternatives: !links.isEmpty,
            notes: .init(value: entered.values["notes"] ?? "", error: entered.errors["notes"] ?? "", hasError: entered.errors["notes"] != nil),
            loginEmail: field("email", mode: "login"), loginPassword: field("password", mode: "login"),
            name: field("name", mode: "register"), email: field("email", mode: "register"), phone: field("phone", mode: "register"),
            password: field("password", mode: "register"),
            backHref: "/?service_id=\(choice.service.id)&date=\(format.time.localDate(of: choice.start))"
                + (choice.anyBarber ? "" : "&barber_id=\(choice.barber.id)"))
        return renderer.page("confirm", model, status: status)
    }

    func book(_ web: inout WebRequest) async throws -> Response {
        let form = try web.form(BookForm.self)
        let choice = try await choice(serviceID: form.service_id, barberID: form.barber_id, start: form.start, anyBarber: form.any_barber == "1")
        var entered = Entered(mode: form.mode ?? "signed-in")
        entered.values = ["notes": form.notes ?? "", "email": form.email ?? "", "name": form.name ?? "", "phone": form.phone ?? ""]
        var signedInCookie: Cookie?
        var requester = web.visitor.requester
        if entered.mode == "login" || entered.mode == "register" {
            do {
                let (user, token) =
                    if entered.mode == "login" {
                        try await accounts.login(email: form.email ?? "", password: form.password ?? "")
                    } else {
                        try await accounts.register(
                            email: form.email ?? "", password: form.password ?? "", name: form.name ?? "",
                            phone: (form.phone ?? "").isEmpty ? nil : form.phone)
                    }
                requester = Requester(userID: user.id, role: user.role, barberID: engine.catalog.barberIDByUser[user.id])
                signedInCookie = sessions.sessionCookie(token, secure: web.visitor.secure)
                web.visitor = WebVisitor(
                    requester: requester, user: user, subject: "session:" + token, csrf: sessions.csrf, newVisitorID: nil,
                    secure: web.visitor.secure)
            } catch let error as APIError {
                entered.errors[Self.fieldNamed(in: error.message, default: entered.mode == "login" ? "password" : "email")] = error.message
                return try await confirmPage(web, choice, entered: entered, problem: nil, status: error.status)
            } catch let error as BookingError {
                entered.errors[Self.fieldNamed(in: error.message, default: "email")] = error.message
                return try await confirmPage(web, choice, entered: entered, problem: nil, status: APIError(error).status)
            }
        }
        guard let requester else {
            entered.errors["email"] = "sign in or register to book"
            return try await confirmPage(web, choice, entered: entered, problem: nil, status: .unauthorized)
        }
        var response: Response
        do {
            let notes = try Input.text((form.notes ?? "").isEmpty ? nil : form.notes, field: "notes", max: TextLimits.appointmentNotes)
            let appointment = try await engine.book(
                barberID: choice.barber.id, serviceID: choice.service.id, start: choice.start, clientID: nil, notes: notes, by: requester)
            response = Self.seeOther("/me/appointments/\(appointment.id)?booked=1")
        } catch let error as APIError {
            entered.mode = "signed-in"
            entered.errors["notes"] = error.message
            response = try await confirmPage(web, choice, entered: entered, problem: nil, status: error.status)
        } catch let error as BookingError {
            entered.mode = "signed-in"
            let nearest = try await nearestFreeTimes(to: choice)
            let message =
                switch error {
                case .slotTaken: "Sorry, \(format.clock(choice.start)) was taken a moment ago. The nearest free times are below."
                case .tooSoon, .tooFar, .outsideHours: "This time can no longer be booked: \(error.message). The nearest free times are below."
                default: error.message
                }
            response = try await confirmPage(
                web, choice, entered: entered, problem: message, status: APIError(error).status, alternatives: nearest)
        }
        if let signedInCookie { response.setCookie(signedInCookie) }
        return response
    }

    /// Up to six free starts closest to the one asked for, that day and the next, with the same
    /// barber (or any barber, if the visitor asked for any), in time order.
    func nearestFreeTimes(to choice: BookingChoice) async throws -> [Slot] {
        let date = format.time.localDate(of: choice.start)
        var slots: [Slot] = []
        for day in [date, date.adding(days: 1)] {
            slots += try await engine.slots(serviceID: choice.service.id, date: day, barberID: choice.anyBarber ? nil : choice.barber.id)
        }
        var seen: Set<Instant> = []
        let distinct = slots.filter { seen.insert($0.start).inserted }
        let nearest = distinct.sorted { abs($0.start.seconds - choice.start.seconds) < abs($1.start.seconds - choice.start.seconds) }
        return nearest.prefix(6).sorted { $0.start < $1.start }
    }

    /// The form field an account error is about: the contract's messages start with it
    /// (`password must be 8 to 128 characters`); `email_taken` is about the email.
    static func fieldNamed(in message: String, default fallback: String) -> String {
        let first = message.split(separator: " ").first.map(String.init) ?? ""
        if message == BookingError.emailTaken.message { return "email" }
        return ["email", "password", "name", "phone"].contains(first) ? first : fallback
    }
}
