import BookingCore
import BookingEngine
import Foundation
import Hummingbird

extension APIRoutes {
    struct BarberList: ResponseEncodable {
        var barbers: [BarberJSON]
    }

    struct CreateBarberBody: Decodable {
        var name: String
        var email: String?
        var password: String?
    }

    struct BarberPatch: Decodable {
        var name: String?
        var is_active: Bool?
    }

    struct ScheduleBody: Decodable {
        var weekly: [String: [PeriodJSON]]
        var buffer_minutes: Int?
    }

    struct TimeOffBody: Decodable {
        var start: String
        var end: String
        var reason: String?
    }

    func barberJSON(_ barber: Barber) -> BarberJSON {
        BarberJSON(barber, serviceIDs: engine.catalog.serviceIDs(offeredBy: barber.id))
    }

    func registerBarbers(_ routes: RouteTable) {
        routes.on(.post, "/api/v2/barbers") { request, context in
            _ = try context.admin()
            let body = try await request.decode(as: CreateBarberBody.self, context: context)
            var account: (email: String, passwordHash: String)?
            switch (body.email, body.password) {
            case (nil, nil): account = nil
            case (let email?, let password?):
                try Self.validateAccount(email: email, password: password, name: body.name)
                if await engine.user(email: email) != nil { throw APIError(BookingError.emailTaken) }
                account = (email, await passwords.hash(password))
            default:
                throw APIError(BookingError.validationFailed("give both email and password to create the barber's login, or neither"))
            }
            let created = account
            let barber = try await engine.createBarber(name: body.name, account: created)
            return EditedResponse(status: .created, response: barberJSON(barber))
        }

        routes.on(.get, "/api/v2/barbers") { _, _ in
            let barbers = await engine.barbers(activeOnly: true)
            return BarberList(barbers: barbers.map(barberJSON))
        }

        routes.on(.get, "/api/v2/barbers/:id") { _, context in
            let id = try Input.pathID(context, "id")
            let barber = try await engine.barber(id)
            return barberJSON(barber)
        }

        routes.on(.patch, "/api/v2/barbers/:id") { request, context in
            _ = try context.admin()
            let id = try Input.pathID(context, "id")
            let patch = try await request.decode(as: BarberPatch.self, context: context)
            let barber = try await engine.updateBarber(id, name: patch.name, isActive: patch.is_active)
            return barberJSON(barber)
        }

        routes.on(.put, "/api/v2/barbers/:id/schedule") { request, context in
            let requester = try context.requester()
            let id = try Input.pathID(context, "id")
            let body = try await request.decode(as: ScheduleBody.self, context: context)
            var byDay: [Weekday: [WorkPeriod]] = [:]
            for (name, periods) in body.weekly {
                guard let day = Weekday(rawValue: name) else {
                    throw APIError(BookingError.validationFailed("weekly: unknown day \(name); use monday … sunday"))
                }
                byDay[day] = try periods.enumerated().map { (index, period) throws(APIError) in
                    WorkPeriod(
                        start: try Input.timeOfDay(period.start, field: "weekly.\(name)[\(index)].start"),
                        end: try Input.timeOfDay(period.end, field: "weekly.\(name)[\(index)].end"))
                }
            }
            let weekly = try WeeklySchedule.validated(byDay).mapError(APIError.init).get()
            let barber = try await engine.setSchedule(id, weekly: weekly, bufferMinutes: body.buffer_minutes ?? 0, by: requester)
            return barberJSON(barber)
        }

        routes.on(.post, "/api/v2/barbers/:id/time-off") { request, context in
            let requester = try context.requester()
            let id = try Input.pathID(context, "id")
            let body = try await request.decode(as: TimeOffBody.self, context: context)
            let start = try Input.instant(body.start, field: "start")
            let end = try Input.instant(body.end, field: "end")
            let reason = try Input.text(body.reason, field: "reason", max: TextLimits.reason)
            let timeOff = try await engine.addTimeOff(id, start: start, end: end, reason: reason, by: requester)
            return EditedResponse(status: .created, response: TimeOffJSON(timeOff: timeOff, time: shopTime))
        }

        routes.on(.delete, "/api/v2/barbers/:id/time-off/:timeOffId") { _, context in
            let requester = try context.requester()
            let id = try Input.pathID(context, "id")
            let timeOffID = try Input.pathID(context, "timeOffId")
            try await engine.removeTimeOff(id, id: timeOffID, by: requester)
            return Response(status: .noContent)
        }
    }
}
