import BookingCore
import BookingEngine
import Foundation
import Hummingbird

extension APIRoutes {
    struct CheckInBody: Decodable {
        var name: String
        var service_id: Int
        var barber_id: Int?
        var phone: String?
    }

    struct StartBody: Decodable {
        var barber_id: Int
    }

    struct QueueList: ResponseEncodable {
        var entries: [QueueEntryJSON]
        var updated_at: String
    }

    func registerQueue(_ routes: RouteTable) {
        routes.on(.post, "/api/v2/queue") { request, context in
            let requester = try context.requester()
            let body = try await request.decode(as: CheckInBody.self, context: context)
            for (field, value) in [("service_id", body.service_id), ("barber_id", body.barber_id ?? 1)] where value <= 0 {
                throw APIError.badRequest("\(field): expected a positive integer")
            }
            let walkIn = try await engine.checkIn(
                name: body.name, serviceID: body.service_id, barberID: body.barber_id, phone: body.phone, by: requester)
            return EditedResponse(status: .created, response: try await entry(walkIn, staff: true))
        }

        routes.on(.get, "/api/v2/queue") { _, context in
            // Public; a valid staff token shows full names and phones.
            let staff: Bool
            if case .valid(let requester) = context.authentication { staff = requester.role != .client } else { staff = false }
            let (board, now) = await engine.queueBoard()
            let time = shopTime
            return QueueList(
                entries: board.entries.map { QueueEntryJSON($0, staff: staff, time: time) }, updated_at: time.format(now))
        }

        routes.on(.post, "/api/v2/queue/:id/start") { request, context in
            let requester = try context.requester()
            let id = try Input.pathID(context, "id")
            let body = try await request.decode(as: StartBody.self, context: context)
            guard body.barber_id > 0 else { throw APIError.badRequest("barber_id: expected a positive integer") }
            let walkIn = try await engine.startWalkIn(id, barberID: body.barber_id, by: requester)
            return try await entry(walkIn, staff: true)
        }

        for (action, left) in [("done", false), ("leave", true)] {
            routes.on(.post, "/api/v2/queue/:id/\(action)") { _, context in
                let requester = try context.requester()
                let walkIn = try await engine.finishWalkIn(try Input.pathID(context, "id"), left: left, by: requester)
                return try await entry(walkIn, staff: true)
            }
        }
    }

    /// One walk-in as it stands on the board now (position and estimate included).
    private func entry(_ walkIn: WalkIn, staff: Bool) async throws -> QueueEntryJSON {
        QueueEntryJSON(await engine.queueBoard().board.entry(for: walkIn), staff: staff, time: shopTime)
    }
}
