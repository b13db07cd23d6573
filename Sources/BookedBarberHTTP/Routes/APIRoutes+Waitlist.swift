import BookingCore
import BookingEngine
import Foundation
import Hummingbird

extension APIRoutes {
    struct JoinWaitlistBody: Decodable {
        var service_id: Int
        var barber_id: Int?
        var date_from: String
        var date_to: String
        var time_from: String?
        var time_to: String?
        var client_id: Int?
    }

    struct WaitlistList: ResponseEncodable {
        var entries: [WaitlistEntryJSON]
    }

    func registerWaitlist(_ routes: RouteTable) {
        routes.on(.post, "/api/v2/waitlist") { request, context in
            let requester = try context.requester()
            let body = try await request.decode(as: JoinWaitlistBody.self, context: context)
            for (field, value) in [("service_id", body.service_id), ("barber_id", body.barber_id ?? 1), ("client_id", body.client_id ?? 1)]
            where value <= 0 {
                throw APIError.badRequest("\(field): expected a positive integer")
            }
            let entry = try await engine.joinWaitlist(
                serviceID: body.service_id, barberID: body.barber_id, dateFrom: try Input.date(body.date_from, field: "date_from"),
                dateTo: try Input.date(body.date_to, field: "date_to"),
                timeFrom: try body.time_from.map { text throws(APIError) in try Input.timeOfDay(text, field: "time_from") },
                timeTo: try body.time_to.map { text throws(APIError) in try Input.timeOfDay(text, field: "time_to") },
                clientID: body.client_id, by: requester)
            return EditedResponse(status: .created, response: WaitlistEntryJSON(entry: entry, time: shopTime))
        }

        routes.on(.get, "/api/v2/waitlist") { _, context in
            let requester = try context.requester()
            let time = shopTime
            let entries = await engine.waitlistEntries(for: requester)
            return WaitlistList(entries: entries.map { WaitlistEntryJSON(entry: $0, time: time) })
        }

        routes.on(.delete, "/api/v2/waitlist/:id") { _, context in
            let requester = try context.requester()
            try await engine.leaveWaitlist(try Input.pathID(context, "id"), by: requester)
            return Response(status: .noContent)
        }

        routes.on(.post, "/api/v2/waitlist/:id/claim") { _, context in
            let requester = try context.requester()
            let appointment = try await engine.claim(try Input.pathID(context, "id"), by: requester)
            return EditedResponse(status: .created, response: AppointmentJSON(appointment, shopTime))
        }
    }
}
