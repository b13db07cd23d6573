import BookingCore
import BookingEngine
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOFoundationCompat

extension APIRoutes {
    struct BookBody: Decodable {
        var barber_id: Int
        var service_id: Int
        var start: String
        var client_id: Int?
        var notes: String?
    }

    struct CancelBody: Decodable {
        var reason: String?
    }

    struct RescheduleBody: Decodable {
        var start: String
        var barber_id: Int?
    }

    struct AppointmentList: ResponseEncodable {
        var appointments: [AppointmentJSON]
    }

    func registerAppointments(_ routes: RouteTable) {
        routes.on(.get, "/api/v2/appointments/slots") { request, _ in
            let query = request.uri.queryParameters
            guard let serviceText = query.get("service_id") else { throw APIError.badRequest("service_id is required") }
            guard let serviceID = Int(serviceText), serviceID > 0 else {
                throw APIError.badRequest("service_id: expected a positive integer")
            }
            guard let dateText = query.get("date") else { throw APIError.badRequest("date is required") }
            let date = try Input.date(dateText, field: "date")
            let barberID = try Input.queryID(request, "barber_id")
            let slots = try await engine.slots(serviceID: serviceID, date: date, barberID: barberID)
            let catalog = engine.catalog
            let body = SlotsJSON(
                date: date, timeZone: catalog.settings.timeZone, serviceID: serviceID, slots: slots, time: catalog.shopTime)
            return Response.json(body.encoded())
        }

        routes.on(.post, "/api/v2/appointments") { request, context in
            let requester = try context.requester()
            guard let key = request.headers[.idempotencyKey] else {
                return try await book(request, context: context, requester: requester, idempotencyKey: nil).response
            }
            guard !key.isEmpty, key.utf8.count <= 255 else {
                throw APIError.badRequest("Idempotency-Key must be 1 to 255 characters")
            }
            let answer = await idempotency.answer(user: requester.userID, key: key) {
                // Not in memory (a restart, or forgotten for space): the log still knows the booking.
                if let booked = await engine.appointment(bookedWith: key, by: requester.userID) {
                    return .init(status: .created, body: AppointmentJSON.data(booked, shopTime))
                }
                do {
                    return try await book(request, context: context, requester: requester, idempotencyKey: key)
                } catch let error as APIError {
                    let malformed = error.status == .badRequest || error.status == .contentTooLarge
                    return .init(status: error.status, body: error.body, remembered: !malformed)
                } catch let refusal as BookingError {
                    let error = APIError(refusal)
                    return .init(status: error.status, body: error.body)
                } catch {
                    let failure = APIError(.internalServerError, "internal", "internal error")
                    return .init(status: failure.status, body: failure.body)
                }
            }
            return answer.response
        }

        routes.on(.get, "/api/v2/appointments") { request, context in
            let requester = try context.requester()
            let query = try appointmentQuery(request)
            let found = try await engine.appointments(query, for: requester)
            let time = shopTime
            return AppointmentList(appointments: found.map { AppointmentJSON($0, time) })
        }

        routes.on(.get, "/api/v2/appointments/:id") { _, context in
            let requester = try context.requester()
            let id = try Input.pathID(context, "id")
            let appointment = try await engine.appointment(id, for: requester)
            return AppointmentJSON(appointment, shopTime)
        }

        routes.on(.post, "/api/v2/appointments/:id/cancel") { request, context in
            let requester = try context.requester()
            let id = try Input.pathID(context, "id")
            let reason = try await Input.text(request.decodeIfPresent(as: CancelBody.self, context: context)?.reason, field: "reason", max: TextLimits.reason)
            let appointment = try await engine.cancel(id, reason: reason, by: requester)
            return AppointmentJSON(appointment, shopTime)
        }

        routes.on(.post, "/api/v2/appointments/:id/reschedule") { request, context in
            let requester = try context.requester()
            let id = try Input.pathID(context, "id")
            let body = try await request.decode(as: RescheduleBody.self, context: context)
            let start = try Input.instant(body.start, field: "start")
            if let barber = body.barber_id, barber <= 0 { throw APIError.badRequest("barber_id: expected a positive integer") }
            let appointment = try await engine.reschedule(id, to: start, barberID: body.barber_id, by: requester)
            return AppointmentJSON(appointment, shopTime)
        }

        for (action, status) in [("complete", AppointmentStatus.completed), ("no-show", .noShow)] {
            routes.on(.post, "/api/v2/appointments/:id/\(action)") { _, context in
                let requester = try context.requester()
                let id = try Input.pathID(context, "id")
                let appointment = try await engine.setStatus(id, status, by: requester)
                return AppointmentJSON(appointment, shopTime)
            }
        }
    }

    /// The booking itself; its answer is what an `Idempotency-Key` repeat gets back.
    private func book(_ request: Request, context: AppRequestContext, requester: Requester, idempotencyKey: String?)
        async throws -> IdempotencyStore.Answer
    {
        let body = try await request.decode(as: BookBody.self, context: context)
        let start = try Input.instant(body.start, field: "start")
        let notes = try Input.text(body.notes, field: "notes", max: TextLimits.appointmentNotes)
        for (field, value) in [("barber_id", body.barber_id), ("service_id", body.service_id), ("client_id", body.client_id ?? 1)]
        where value <= 0 {
            throw APIError.badRequest("\(field): expected a positive integer")
        }
        let appointment = try await engine.book(
            barberID: body.barber_id, serviceID: body.service_id, start: start, clientID: body.client_id, notes: notes,
            by: requester, idempotencyKey: idempotencyKey)
        return .init(status: .created, body: AppointmentJSON.data(appointment, shopTime))
    }

    /// `from`/`to` (a date, meaning the start of that shop-local day, or an instant), `barber_id`,
    /// `status`, `limit`, `after_id`; any malformed one is 400.
    private func appointmentQuery(_ request: Request) throws(APIError) -> AppointmentQuery {
        let parameters = request.uri.queryParameters
        func bound(_ name: String) throws(APIError) -> Instant? {
            guard let text = parameters.get(name) else { return nil }
            if let date = CivilDate(parsing: text) { return shopTime.instant(on: date, at: TimeOfDay(minutes: 0)) }
            if let instant = RFC3339.parse(text) { return instant }
            throw .badRequest("\(name): expected a date YYYY-MM-DD or an RFC 3339 instant")
        }
        var query = AppointmentQuery(from: try bound("from"), to: try bound("to"))
        query.barberID = try Input.queryID(request, "barber_id")
        if let text = parameters.get("status") {
            guard let status = AppointmentStatus(rawValue: text) else {
                throw .badRequest("status: expected one of confirmed, cancelled, completed, no_show")
            }
            query.status = status
        }
        query.limit = try Input.queryID(request, "limit")
        query.afterID = try Input.queryID(request, "after_id")
        return query
    }
}

extension HTTPField.Name {
    static let idempotencyKey = Self("Idempotency-Key")!
}
