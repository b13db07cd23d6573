import BookingCore
import BookingEngine
import Foundation
import HTTPTypes
import Hummingbird

/// **Queue board** (`/queue`): the walk-in line with each one's position, service, barber and
/// estimated start in shop time, and who is in the chair, in large type for a wall screen. It is
/// public: a visitor sees names shortened as the API's public view does (`Sam T.`); staff signed
/// in see full names and phones and the front desk's controls (check in, start with a barber,
/// done, leave), each the engine's call with the engine's role check. The page's script
/// (`live.js`) listens to `queue.updated` on the public queue stream and swaps in the board,
/// rendered again by the server for the visitor who is looking.
extension WebRoutes {
    struct CheckInForm: Decodable {
        var name: String?
        var service_id: String?
        var barber_id: String?
        var phone: String?
    }

    struct StartForm: Decodable {
        var barber_id: String?
    }

    static let checkInFields = ["name", "service_id", "barber_id", "phone"]

    func registerQueue(_ routes: RouteTable) {
        page(routes, .get, "/queue") { web in try await queuePage(web, entered: Entered(), problem: nil, status: .ok) }
        page(routes, .post, "/queue/check-in") { web in
            let (requester, _) = try signedIn(web)
            let form = try web.form(CheckInForm.self)
            var entered = Entered()
            entered.values = ["name": form.name ?? "", "service_id": form.service_id ?? "", "barber_id": form.barber_id ?? "", "phone": form.phone ?? ""]
            guard let service = Int(form.service_id ?? ""), service > 0 else {
                entered.errors["service_id"] = "service_id: choose a service"
                return try await queuePage(web, entered: entered, problem: nil, status: .badRequest)
            }
            var barber: BarberID?
            if let text = form.barber_id, !text.isEmpty {
                guard let id = Int(text), id > 0 else {
                    entered.errors["barber_id"] = "barber_id: choose a barber or any barber"
                    return try await queuePage(web, entered: entered, problem: nil, status: .badRequest)
                }
                barber = id
            }
            let phone = (form.phone ?? "").isEmpty ? nil : form.phone
            do {
                _ = try await engine.checkIn(name: form.name ?? "", serviceID: service, barberID: barber, phone: phone, by: requester)
            } catch let error as BookingError {
                if case .forbidden = error { throw error }
                entered.errors[FormRefusal.field(of: error.message, among: Self.checkInFields, otherwise: "name")] = error.message
                return try await queuePage(web, entered: entered, problem: nil, status: APIError(error).status)
            }
            return Self.seeOther("/queue")
        }
        page(routes, .post, "/queue/:id/start") { web in
            let (requester, _) = try signedIn(web)
            let id = try Input.pathID(web.context, "id")
            guard let barber = Int(try web.form(StartForm.self).barber_id ?? ""), barber > 0 else {
                throw APIError.badRequest("barber_id: choose the barber who starts")
            }
            do {
                _ = try await engine.startWalkIn(id, barberID: barber, by: requester)
            } catch let error as BookingError {
                if case .forbidden = error { throw error }
                return try await queuePage(web, entered: Entered(), problem: "Walk-in \(id) was not started: \(error.message)", status: APIError(error).status)
            }
            return Self.seeOther("/queue")
        }
        for (action, left) in [("done", false), ("leave", true)] {
            page(routes, .post, "/queue/:id/\(action)") { web in
                let (requester, _) = try signedIn(web)
                let id = try Input.pathID(web.context, "id")
                do {
                    _ = try await engine.finishWalkIn(id, left: left, by: requester)
                } catch let error as BookingError {
                    if case .forbidden = error { throw error }
                    return try await queuePage(web, entered: Entered(), problem: "Walk-in \(id): \(error.message)", status: APIError(error).status)
                }
                return Self.seeOther("/queue")
            }
        }
    }

    struct QueueModel {
        struct Row {
            var id: Int
            var position: String
            var name: String
            var phone: String
            var hasPhone: Bool
            var service: String
            var barber: String
            var estimate: String
            /// The barbers the visitor may start this walk-in with (none: no start form).
            var starts: [WaitlistFormModel.Option]
            var canStart: Bool
        }
        struct CheckIn {
            var csrf: String
            var services: [WaitlistFormModel.Option]
            var barbers: [WaitlistFormModel.Option]
            var anySelected: Bool
            var name: ConfirmModel.Field
            var service: ConfirmModel.Field
            var barber: ConfirmModel.Field
            var phone: ConfirmModel.Field
        }
        var frame: PageFrame
        var staff: Bool
        var waiting: [Row]
        var serving: [Row]
        var hasWaiting: Bool
        var hasServing: Bool
        var updated: String
        var timeZone: String
        var checkIn: CheckIn?
        var problem: String
        var hasProblem: Bool
        var live: PageJSON
    }

    /// The stream the board listens on: public, `queue.updated` only.
    static let queueStream = "/api/v2/queue/stream"

    func queuePage(_ web: WebRequest, entered: Entered, problem: String?, status: HTTPResponse.Status) async throws -> Response {
        let staff = web.visitor.requester.map { $0.role != .client } ?? false
        let (board, now) = await engine.queueBoard()
        let catalog = engine.catalog
        let format = format
        let barbers = await engine.barbers(activeOnly: true)
        let names = Dictionary(uniqueKeysWithValues: await engine.barbers(activeOnly: false).map { ($0.id, $0.name) })
        let today = catalog.shopTime.localDate(of: now)
        func row(_ entry: QueueBoard.Entry) -> QueueModel.Row {
            let walkIn = entry.walkIn
            let placement = entry.placement
            let estimate: String =
                if let placement {
                    "about "
                        + (catalog.shopTime.localDate(of: placement.start) == today
                            ? format.clock(placement.start) : format.dayAndClock(placement.start))
                        + (walkIn.barberID == nil ? " with \(names[placement.barberID] ?? "")" : "")
                } else if walkIn.status == .waiting { "no estimate yet" } else { "" }
            let choice = walkIn.barberID ?? placement?.barberID
            let service = catalog.services[walkIn.serviceID]
            // A barber starts walk-ins in their own chair; an admin in anyone's (`Requester.manages`).
            let starters = barbers.filter { (service?.isOffered(by: $0.id) ?? false) && (web.visitor.requester?.manages(barber: $0.id) ?? false) }
            return QueueModel.Row(
                id: walkIn.id, position: entry.position.map(String.init) ?? "", name: staff ? walkIn.name : walkIn.shortName,
                phone: staff ? walkIn.phone ?? "" : "", hasPhone: staff && walkIn.phone != nil,
                service: service?.name ?? "Service \(walkIn.serviceID)",
                barber: walkIn.barberID.map { names[$0] ?? "Barber \($0)" } ?? "Any barber", estimate: estimate,
                starts: starters.map { .init(value: String($0.id), name: $0.name, selected: $0.id == choice) },
                canStart: staff && !starters.isEmpty)
        }
        let waiting = board.entries.filter { $0.walkIn.status == .waiting }.map(row)
        let serving = board.entries.filter { $0.walkIn.status == .serving }.map(row)
        var checkIn: QueueModel.CheckIn?
        if staff {
            func field(_ name: String) -> ConfirmModel.Field {
                let error = entered.errors[name] ?? ""
                return .init(value: entered.values[name] ?? "", error: error, hasError: !error.isEmpty)
            }
            let chosenService = entered.values["service_id"].flatMap { Int($0) } ?? catalog.activeServices.first?.id
            let chosenBarber = entered.values["barber_id"].flatMap { Int($0) }
            checkIn = .init(
                csrf: web.visitor.csrf,
                services: catalog.activeServices.map { .init(value: String($0.id), name: $0.name, selected: $0.id == chosenService) },
                barbers: barbers.map { .init(value: String($0.id), name: $0.name, selected: $0.id == chosenBarber) },
                anySelected: chosenBarber == nil, name: field("name"), service: field("service_id"), barber: field("barber_id"),
                phone: field("phone"))
        }
        let model = QueueModel(
            frame: frame("Walk-in queue", visitor: web.visitor, scripts: ["live.js"], section: "queue"), staff: staff, waiting: waiting,
            serving: serving, hasWaiting: !waiting.isEmpty, hasServing: !serving.isEmpty, updated: format.clock(now),
            timeZone: catalog.settings.timeZone, checkIn: checkIn, problem: problem ?? "", hasProblem: problem != nil,
            live: PageJSON(LiveUpdates(stream: Self.queueStream, events: [EventType.queueUpdated.rawValue], source: "/queue", regions: ["board"])))
        return renderer.page("queue", model, status: status)
    }
}
