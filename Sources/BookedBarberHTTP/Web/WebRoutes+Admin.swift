import BookingCore
import BookingEngine
import Foundation
import HTTPTypes
import Hummingbird

/// **Admin** (`/admin`): shop settings, barbers and their weekly schedules, services, the
/// appointments with filters and paging, and the operations figures of the performance dashboard.
/// Every form calls the engine the API calls; an admin-only check is the API's (`Requester.isAdmin`).
extension WebRoutes {
    static let adminPageSize = 20

    struct ShopForm: Decodable {
        var name: String
        var time_zone: String
        var slot_interval_minutes: Int
        var min_notice_minutes: Int
        var max_advance_days: Int
        var cancellation_cutoff_minutes: Int
    }

    struct NewBarberForm: Decodable {
        var name: String
        var email: String?
        var password: String?
    }

    struct BarberEditForm: Decodable {
        var name: String
        var is_active: String?
    }

    /// One text field per day, e.g. `09:00-12:00, 13:00-17:00`; empty is a day off.
    struct ScheduleForm: Decodable {
        var monday: String?
        var tuesday: String?
        var wednesday: String?
        var thursday: String?
        var friday: String?
        var saturday: String?
        var sunday: String?
        var buffer_minutes: Int

        func text(_ day: Weekday) -> String {
            switch day {
            case .monday: monday ?? ""
            case .tuesday: tuesday ?? ""
            case .wednesday: wednesday ?? ""
            case .thursday: thursday ?? ""
            case .friday: friday ?? ""
            case .saturday: saturday ?? ""
            case .sunday: sunday ?? ""
            }
        }
    }

    struct ServiceForm: Decodable {
        var name: String
        var duration_minutes: Int
        var price: String
        var is_active: String?
    }

    func registerAdmin(_ routes: RouteTable) {
        page(routes, .get, "/admin") { web in try await adminPage(web, problems: [:], status: .ok) }
        adminForm(routes, "/admin/shop", key: { _ in "shop" }) { web in
            let form = try web.form(ShopForm.self)
            _ = try await engine.updateShop { settings in
                settings.name = form.name
                settings.timeZone = form.time_zone
                settings.slotIntervalMinutes = form.slot_interval_minutes
                settings.minNoticeMinutes = form.min_notice_minutes
                settings.maxAdvanceDays = form.max_advance_days
                settings.cancellationCutoffMinutes = form.cancellation_cutoff_minutes
            }
            return "#shop"
        }
        adminForm(routes, "/admin/barbers", key: { _ in "barber-new" }) { web in
            let form = try web.form(NewBarberForm.self)
            let email = (form.email ?? "").isEmpty ? nil : form.email
            let password = (form.password ?? "").isEmpty ? nil : form.password
            var account: (email: String, passwordHash: String)?
            switch (email, password) {
            case (nil, nil): account = nil
            case (let email?, let password?):
                try APIRoutes.validateAccount(email: email, password: password, name: form.name)
                if await engine.user(email: email) != nil { throw BookingError.emailTaken }
                account = (email, await accounts.passwords.hash(password))
            default:
                throw BookingError.validationFailed("give both email and password to create the barber's login, or neither")
            }
            let created = account
            let barber = try await engine.createBarber(name: form.name, account: created)
            return "#barber-\(barber.id)"
        }
        adminForm(routes, "/admin/barbers/:id", key: { "barber-\($0.context.parameters.get("id") ?? "")" }) { web in
            let form = try web.form(BarberEditForm.self)
            let id = try Input.pathID(web.context, "id")
            _ = try await engine.updateBarber(id, name: form.name, isActive: form.is_active == "on")
            return "#barber-\(id)"
        }
        adminForm(routes, "/admin/barbers/:id/schedule", key: { "barber-\($0.context.parameters.get("id") ?? "")" }) { web in
            let (requester, _) = try signedIn(web)
            let form = try web.form(ScheduleForm.self)
            let id = try Input.pathID(web.context, "id")
            var byDay: [Weekday: [WorkPeriod]] = [:]
            for day in Weekday.allCases {
                byDay[day] = try Self.periods(form.text(day), day: day)
            }
            let weekly = try WeeklySchedule.validated(byDay).get()
            _ = try await engine.setSchedule(id, weekly: weekly, bufferMinutes: form.buffer_minutes, by: requester)
            return "#barber-\(id)"
        }
        adminForm(routes, "/admin/services", key: { _ in "service-new" }) { web in
            let form = try web.form(ServiceForm.self)
            let service = try await engine.createService(
                name: form.name, durationMinutes: form.duration_minutes, priceCents: try Self.cents(form.price), barberIDs: nil)
            return "#service-\(service.id)"
        }
        adminForm(routes, "/admin/services/:id", key: { "service-\($0.context.parameters.get("id") ?? "")" }) { web in
            let form = try web.form(ServiceForm.self)
            let id = try Input.pathID(web.context, "id")
            let cents = try Self.cents(form.price)
            _ = try await engine.updateService(id) { service in
                service.name = form.name
                service.durationMinutes = form.duration_minutes
                service.priceCents = cents
                service.isActive = form.is_active == "on"
            }
            return "#service-\(id)"
        }
    }

    /// An admin form: admins only (403 otherwise); on success back to `/admin` at the section the
    /// handler names; a refused change shows the admin page again with the message next to the
    /// form it came from (`key`).
    func adminForm(
        _ routes: RouteTable, _ path: String, key: @escaping @Sendable (WebRequest) -> String,
        _ handler: @escaping @Sendable (WebRequest) async throws -> String
    ) {
        page(routes, .post, path) { web in
            let (requester, _) = try signedIn(web)
            guard requester.isAdmin else { throw BookingError.forbidden("admin only") }
            do {
                return Self.seeOther("/admin" + (try await handler(web)))
            } catch let error as BookingError {
                return try await adminPage(web, problems: [key(web): error.message], status: APIError(error).status)
            } catch let error as APIError where error.status != .contentTooLarge {
                return try await adminPage(web, problems: [key(web): error.message], status: error.status)
            }
        }
    }

    /// `09:00-12:00, 13:00-17:00` → two periods; a malformed period is 422 naming the day.
    static func periods(_ text: String, day: Weekday) throws(BookingError) -> [WorkPeriod] {
        try text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.map { (part) throws(BookingError) in
            let bounds = part.split(separator: "-").map { $0.trimmingCharacters(in: .whitespaces) }
            guard bounds.count == 2, let start = TimeOfDay(parsing: bounds[0]), let end = TimeOfDay(parsing: bounds[1]) else {
                throw .validationFailed("\(day.rawValue): write periods as HH:MM-HH:MM, separated by commas (\(part) is not one)")
            }
            return WorkPeriod(start: start, end: end)
        }
    }

    /// `30`, `30.5`, `30.50` dollars → cents; anything else is 422.
    static func cents(_ text: String) throws(BookingError) -> Int {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let whole = Int(parts[0]), whole >= 0, whole <= 1_000_000,
            parts.count == 1 || (1...2).contains(parts[1].count) && parts[1].allSatisfy(\.isNumber)
        else { throw .validationFailed("price: write an amount like 30 or 30.00") }
        let fraction = parts.count == 2 ? Int(parts[1].count == 1 ? String(parts[1]) + "0" : String(parts[1])) ?? 0 : 0
        return whole * 100 + fraction
    }

    struct AdminModel {
        struct Problem {
            var text: String
            var has: Bool
        }
        struct BarberRow {
            var id: Int
            var name: String
            var active: Bool
            var days: [DayField]
            var buffer: Int
            var problem: Problem
        }
        struct DayField {
            var name: String
            var label: String
            var value: String
            var fieldID: String
        }
        struct ServiceRow {
            var id: Int
            var name: String
            var duration: Int
            var price: String
            var active: Bool
            var problem: Problem
        }
        struct Option {
            var value: String
            var label: String
            var selected: Bool
        }
        struct AppointmentLine {
            var id: Int
            var when: String
            var barber: String
            var client: String
            var service: String
            var status: String
            var statusClass: String
            var price: String
        }
        struct RouteLine {
            var route: String
            var requests: UInt64
            var p50: String
            var p95: String
            var p99: String
        }
        var frame: PageFrame
        var shopName: String
        var timeZone: String
        var slotInterval: Int
        var minNotice: Int
        var maxAdvance: Int
        var cutoff: Int
        var shopProblem: Problem
        var barbers: [BarberRow]
        var newBarberProblem: Problem
        var services: [ServiceRow]
        var newServiceProblem: Problem
        var barberOptions: [Option]
        var statusOptions: [Option]
        var from: String
        var to: String
        var appointments: [AppointmentLine]
        var noAppointments: Bool
        var nextPage: String
        var hasNextPage: Bool
        var firstPage: String
        var isLaterPage: Bool
        var filterProblem: Problem
        var ops: Ops
    }

    struct Ops {
        var requestsPerSecond: String
        var errorRate: String
        var windowSeconds: String
        var routes: [AdminModel.RouteLine]
        var fsync: String
        var snapshot: String
        var memory: String
    }

    func adminPage(_ web: WebRequest, problems: [String: String], status: HTTPResponse.Status) async throws -> Response {
        let (requester, _) = try signedIn(web)
        guard requester.isAdmin else { throw BookingError.forbidden("the admin page is for the shop's admins") }
        let catalog = engine.catalog
        let settings = catalog.settings
        let format = format
        func problem(_ key: String) -> AdminModel.Problem { .init(text: problems[key] ?? "", has: problems[key] != nil) }
        let barbers = await engine.barbers(activeOnly: false)
        let barberRows = barbers.map { barber in
            AdminModel.BarberRow(
                id: barber.id, name: barber.name, active: barber.isActive,
                days: Weekday.allCases.enumerated().map { index, day in
                    .init(
                        name: day.rawValue, label: PageFormat.longWeekdayNames[index],
                        value: barber.weekly.periods(on: day).map { "\($0.start)-\($0.end)" }.joined(separator: ", "),
                        fieldID: "schedule-\(barber.id)-\(day.rawValue)")
                },
                buffer: barber.bufferMinutes, problem: problem("barber-\(barber.id)"))
        }
        let services = catalog.services.values.sorted { $0.id < $1.id }.map {
            AdminModel.ServiceRow(
                id: $0.id, name: $0.name, duration: $0.durationMinutes, price: String(PageFormat.money($0.priceCents).dropFirst()),
                active: $0.isActive, problem: problem("service-\($0.id)"))
        }

        // The appointment filters, as the API's listing takes them.
        var query = AppointmentQuery(limit: Self.adminPageSize + 1)
        var filterProblem: String?
        query.barberID = web.query("barber_id").flatMap { Int($0) }
        query.status = web.query("status").flatMap { AppointmentStatus(rawValue: $0) }
        let fromText = web.query("from") ?? ""
        let toText = web.query("to") ?? ""
        for (text, isFrom) in [(fromText, true), (toText, false)] where !text.isEmpty {
            guard let date = CivilDate(parsing: text) else {
                filterProblem = "dates are written YYYY-MM-DD"
                continue
            }
            let bound = catalog.shopTime.instant(on: isFrom ? date : date.adding(days: 1), at: TimeOfDay(minutes: 0))
            if isFrom { query.from = bound } else { query.to = bound }
        }
        query.afterID = web.query("after_id").flatMap { Int($0) }
        var found = try await engine.appointments(query, for: requester)
        let more = found.count > Self.adminPageSize
        if more { found.removeLast() }
        var clients: [UserID: String] = [:]
        for id in Set(found.map(\.clientID)) { clients[id] = engine.user(id: id)?.name ?? "Client \(id)" }
        let names = Dictionary(uniqueKeysWithValues: barbers.map { ($0.id, $0.name) })
        let lines = found.map {
            AdminModel.AppointmentLine(
                id: $0.id, when: format.dayAndClock($0.start), barber: names[$0.barberID] ?? "", client: clients[$0.clientID] ?? "",
                service: catalog.services[$0.serviceID]?.name ?? "", status: PageFormat.statusNames[$0.status] ?? "",
                statusClass: $0.status.rawValue, price: PageFormat.money($0.priceCents))
        }
        var filters: [String] = []
        if let barber = query.barberID { filters.append("barber_id=\(barber)") }
        if let status = query.status { filters.append("status=\(status.rawValue)") }
        if !fromText.isEmpty { filters.append("from=\(Self.urlComponent(fromText))") }
        if !toText.isEmpty { filters.append("to=\(Self.urlComponent(toText))") }
        let base = "/admin?" + filters.joined(separator: "&")
        let model = AdminModel(
            frame: frame("Admin", visitor: web.visitor, section: "admin"),
            shopName: settings.name, timeZone: settings.timeZone, slotInterval: settings.slotIntervalMinutes,
            minNotice: settings.minNoticeMinutes, maxAdvance: settings.maxAdvanceDays, cutoff: settings.cancellationCutoffMinutes,
            shopProblem: problem("shop"), barbers: barberRows, newBarberProblem: problem("barber-new"), services: services,
            newServiceProblem: problem("service-new"),
            barberOptions: barbers.map { .init(value: String($0.id), label: $0.name, selected: $0.id == query.barberID) },
            statusOptions: AppointmentStatus.allCases.map {
                .init(value: $0.rawValue, label: PageFormat.statusNames[$0] ?? $0.rawValue, selected: $0 == query.status)
            },
            from: fromText, to: toText, appointments: lines, noAppointments: lines.isEmpty,
            nextPage: base + (filters.isEmpty ? "" : "&") + "after_id=\(found.last?.id ?? 0)#appointments", hasNextPage: more,
            firstPage: base + "#appointments", isLaterPage: query.afterID != nil,
            filterProblem: .init(text: filterProblem ?? "", has: filterProblem != nil), ops: operations())
        return renderer.page("admin", model, status: status)
    }

    /// The figures of `GET /api/v2/dashboard/performance/current`, for people.
    func operations() -> Ops {
        let dashboard = PerformanceDashboard(metrics: metrics)
        func ms(_ value: Double) -> String { String(format: "%.2f ms", value) }
        return Ops(
            requestsPerSecond: String(format: "%.1f", dashboard.requests_per_second),
            errorRate: String(format: "%.2f %%", dashboard.error_rate * 100),
            windowSeconds: String(format: "%.0f s", dashboard.window_seconds),
            routes: dashboard.routes.prefix(8).map {
                .init(route: $0.route, requests: $0.requests, p50: ms($0.p50_ms), p95: ms($0.p95_ms), p99: ms($0.p99_ms))
            },
            fsync: dashboard.fsync.map { "\($0.count) fsyncs, P99 \(ms($0.p99_ms))" } ?? "no fsyncs in the window",
            snapshot: dashboard.snapshot.map { "\(String(format: "%.0f", $0.age_seconds)) s ago, \($0.bytes / 1024) KiB" } ?? "none yet",
            memory: dashboard.memory.resident_bytes.map { "\($0 / 1_048_576) MiB resident" } ?? "unknown")
    }
}
