import BookingCore
import BookingEngine
import Foundation
import HTTPTypes
import Hummingbird

/// The waitlist on the pages: "Join the waitlist" on the booking page when a day has no time
/// that suits (service, barber or any, a date range, an optional time-of-day window), the same
/// form on `/waitlist` with the engine's refusals next to their fields, and on `/me` the
/// visitor's entries with a live offer's expiry, **Claim** (books the held start) and **Leave
/// the waitlist**. Every rule is the engine's (`joinWaitlist`, `claim`, `leaveWaitlist`).
extension WebRoutes {
    /// The form as typed: text, so that a value that does not parse is shown next to its field.
    struct WaitlistForm: Decodable {
        var service_id: String?
        var barber_id: String?
        var date_from: String?
        var date_to: String?
        var time_from: String?
        var time_to: String?
    }

    static let waitlistFields = ["service_id", "barber_id", "date_from", "date_to", "time_from", "time_to"]

    func registerWaitlist(_ routes: RouteTable) {
        page(routes, .get, "/waitlist") { web in
            _ = try signedIn(web)
            let date = web.query("date") ?? format.time.localDate(of: engine.clock()).description
            var entered = Entered()
            entered.values = [
                "service_id": web.query("service_id") ?? "", "barber_id": web.query("barber_id") ?? "", "date_from": date, "date_to": date,
            ]
            return await waitlistPage(web, entered: entered, status: .ok)
        }
        page(routes, .post, "/waitlist") { web in
            let (requester, _) = try signedIn(web)
            let form = try web.form(WaitlistForm.self)
            var entered = Entered()
            entered.values = [
                "service_id": form.service_id ?? "", "barber_id": form.barber_id ?? "", "date_from": form.date_from ?? "",
                "date_to": form.date_to ?? "", "time_from": form.time_from ?? "", "time_to": form.time_to ?? "",
            ]
            func parsed<T>(_ field: String, _ parse: (String) throws(APIError) -> T) -> T? {
                do { return try parse(entered.values[field] ?? "") } catch {
                    entered.errors[field] = error.message
                    return nil
                }
            }
            let service = parsed("service_id") { text throws(APIError) -> ServiceID in
                guard let id = Int(text), id > 0 else { throw .badRequest("service_id: choose a service") }
                return id
            }
            let barber = parsed("barber_id") { text throws(APIError) -> BarberID? in
                if text.isEmpty { return nil }
                guard let id = Int(text), id > 0 else { throw .badRequest("barber_id: choose a barber or any barber") }
                return id
            }
            let from = parsed("date_from") { text throws(APIError) -> CivilDate in try Input.date(text, field: "date_from") }
            let to = parsed("date_to") { text throws(APIError) -> CivilDate in try Input.date(text, field: "date_to") }
            let timeFrom = parsed("time_from") { text throws(APIError) -> TimeOfDay? in
                try text.isEmpty ? nil : Input.timeOfDay(text, field: "time_from")
            }
            let timeTo = parsed("time_to") { text throws(APIError) -> TimeOfDay? in
                try text.isEmpty ? nil : Input.timeOfDay(text, field: "time_to")
            }
            guard entered.errors.isEmpty, let service, let barber, let from, let to, let timeFrom, let timeTo else {
                return await waitlistPage(web, entered: entered, status: .badRequest)
            }
            do {
                let entry = try await engine.joinWaitlist(
                    serviceID: service, barberID: barber, dateFrom: from, dateTo: to, timeFrom: timeFrom, timeTo: timeTo, clientID: nil,
                    by: requester)
                return Self.seeOther("/me?joined=\(entry.id)")
            } catch let error as BookingError {
                entered.errors[FormRefusal.field(of: error.message, among: Self.waitlistFields, otherwise: "date_to")] = error.message
                return await waitlistPage(web, entered: entered, status: APIError(error).status)
            }
        }
        page(routes, .post, "/me/waitlist/:id/claim") { web in
            let (requester, _) = try signedIn(web)
            let id = try Input.pathID(web.context, "id")
            do {
                let appointment = try await engine.claim(id, by: requester)
                return Self.seeOther("/me/appointments/\(appointment.id)?booked=1")
            } catch let error as BookingError {
                return try await myAppointments(web, problem: "The offered time was not booked: \(error.message)", status: APIError(error).status)
            }
        }
        page(routes, .post, "/me/waitlist/:id/leave") { web in
            let (requester, _) = try signedIn(web)
            let id = try Input.pathID(web.context, "id")
            do {
                try await engine.leaveWaitlist(id, by: requester)
            } catch let error as BookingError {
                return try await myAppointments(web, problem: "You are still on the waitlist: \(error.message)", status: APIError(error).status)
            }
            return Self.seeOther("/me?left=\(id)")
        }
    }

    // MARK: The form

    struct WaitlistFormModel {
        struct Option {
            var value: String
            var name: String
            var selected: Bool
        }
        var csrf: String
        var services: [Option]
        var barbers: [Option]
        var anySelected: Bool
        var today: String
        var service: ConfirmModel.Field
        var barber: ConfirmModel.Field
        var dateFrom: ConfirmModel.Field
        var dateTo: ConfirmModel.Field
        var timeFrom: ConfirmModel.Field
        var timeTo: ConfirmModel.Field
    }

    /// The form with what was typed (or the booking page's choice) and each field's error;
    /// `barbers` are the ones to choose from.
    func waitlistForm(_ web: WebRequest, entered: Entered, barbers: [Barber]) -> WaitlistFormModel {
        func field(_ name: String) -> ConfirmModel.Field {
            let error = entered.errors[name] ?? ""
            return .init(value: entered.values[name] ?? "", error: error, hasError: !error.isEmpty)
        }
        let catalog = engine.catalog
        let services = catalog.activeServices
        let chosenService = entered.values["service_id"].flatMap { Int($0) } ?? services.first?.id
        let chosenBarber = entered.values["barber_id"].flatMap { Int($0) }
        return WaitlistFormModel(
            csrf: web.visitor.csrf,
            services: services.map { .init(value: String($0.id), name: $0.name, selected: $0.id == chosenService) },
            barbers: barbers.map { .init(value: String($0.id), name: $0.name, selected: $0.id == chosenBarber) },
            anySelected: chosenBarber == nil, today: catalog.shopTime.localDate(of: engine.clock()).description,
            service: field("service_id"), barber: field("barber_id"), dateFrom: field("date_from"), dateTo: field("date_to"),
            timeFrom: field("time_from"), timeTo: field("time_to"))
    }

    struct WaitlistPageModel {
        var frame: PageFrame
        var form: WaitlistFormModel
        var holdMinutes: String
    }

    func waitlistPage(_ web: WebRequest, entered: Entered, status: HTTPResponse.Status) async -> Response {
        let model = WaitlistPageModel(
            frame: frame("Join the waitlist", visitor: web.visitor, section: "book"), form: waitlistForm(web, entered: entered, barbers: await engine.barbers(activeOnly: true)),
            holdMinutes: PageFormat.duration(engine.catalog.settings.waitlistHoldMinutes))
        return renderer.page("waitlist", model, status: status)
    }

    // MARK: On /me

    struct WaitlistRow {
        var id: Int
        var service: String
        var barber: String
        var dates: String
        var window: String
        var status: String
        var statusClass: String
        var offered: Bool
        var offerWhen: String
        var offerBarber: String
        var offerExpires: String
        var active: Bool
    }

    static let waitlistStatusNames: [WaitlistStatus: String] = [
        .waiting: "Waiting", .offered: "Time offered", .booked: "Booked", .expired: "Offer expired", .cancelled: "Left",
    ]

    /// The visitor's entries that still matter: waiting or offered, and booked or expired ones
    /// whose dates have not all passed; newest first.
    func waitlistRows(for requester: Requester) async -> [WaitlistRow] {
        let catalog = engine.catalog
        let format = format
        let now = engine.clock()
        let today = catalog.shopTime.localDate(of: now)
        let names = Dictionary(uniqueKeysWithValues: await engine.barbers(activeOnly: false).map { ($0.id, $0.name) })
        let entries = await engine.waitlistEntries(for: requester).filter {
            $0.status == .waiting || $0.status == .offered || ($0.status != .cancelled && $0.dateTo >= today)
        }
        return entries.reversed().map { entry in
            let live = entry.status == .offered && entry.offer?.isLive(at: now) == true
            let wholeDay = entry.timeFrom.minutes == 0 && entry.timeTo.minutes == 24 * 60
            return WaitlistRow(
                id: entry.id, service: catalog.services[entry.serviceID]?.name ?? "Service \(entry.serviceID)",
                barber: entry.barberID.map { names[$0] ?? "Barber \($0)" } ?? "any barber",
                dates: entry.dateFrom == entry.dateTo
                    ? format.day(entry.dateFrom) : "\(format.day(entry.dateFrom)) – \(format.day(entry.dateTo))",
                window: wholeDay ? "any time of day" : "\(entry.timeFrom)–\(entry.timeTo)",
                status: Self.waitlistStatusNames[entry.status] ?? entry.status.rawValue, statusClass: "waitlist-\(entry.status.rawValue)",
                offered: live, offerWhen: entry.offer.map { format.dayAndClock($0.start) } ?? "",
                offerBarber: entry.offer.map { names[$0.barberID] ?? "" } ?? "",
                offerExpires: entry.offer.map { format.dayAndClock($0.expiresAt) } ?? "",
                active: entry.status == .waiting || entry.status == .offered)
        }
    }
}
