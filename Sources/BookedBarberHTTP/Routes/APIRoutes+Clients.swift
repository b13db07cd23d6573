import BookingCore
import BookingEngine
import Foundation
import Hummingbird

extension APIRoutes {
    struct ClientPatch: Decodable {
        var notes: String
    }

    struct ClientList: ResponseEncodable {
        var clients: [ClientJSON]
    }

    func registerClients(_ routes: RouteTable) {
        routes.on(.get, "/api/v2/clients") { request, context in
            let requester = try context.staff()
            let query = request.uri.queryParameters.get("q")
            let limit = try Input.queryID(request, "limit")
            let afterID = try Input.queryID(request, "after_id")
            let found = try await engine.clients(matching: query, limit: limit, afterID: afterID, by: requester)
            let time = shopTime
            return ClientList(clients: found.map { ClientJSON($0, time) })
        }

        routes.on(.get, "/api/v2/clients/:id") { _, context in
            let requester = try context.staff()
            let id = try Input.pathID(context, "id")
            return ClientJSON(try await engine.client(id, by: requester), shopTime)
        }

        routes.on(.patch, "/api/v2/clients/:id") { request, context in
            let requester = try context.staff()
            let id = try Input.pathID(context, "id")
            let body = try await request.decode(as: ClientPatch.self, context: context)
            return ClientJSON(try await engine.setClientNotes(id, notes: body.notes, by: requester), shopTime)
        }
    }
}

/// `Client` of the contract. `created_at` is `null` for a client registered before this build
/// recorded registrations; `phone` and the instants of `stats` are left out when there are none.
struct ClientJSON: ResponseEncodable {
    struct Stats: Encodable {
        var visits: Int
        var no_shows: Int
        var cancellations: Int
        var lifetime_value_cents: Int
        var first_visit: String?
        var last_visit: String?
        var next_appointment: String?
    }

    var id: Int
    var name: String
    var email: String
    var phone: String?
    var notes: String
    var created_at: String?
    var stats: Stats

    init(_ record: ClientRecord, _ time: ShopTime) {
        id = record.user.id
        name = record.user.name
        email = record.user.email
        phone = record.user.phone
        notes = record.notes
        created_at = record.registeredAt.map(time.format)
        let s = record.stats
        stats = Stats(
            visits: s.visits, no_shows: s.noShows, cancellations: s.cancellations, lifetime_value_cents: s.lifetimeValueCents,
            first_visit: s.firstVisit.map(time.format), last_visit: s.lastVisit.map(time.format),
            next_appointment: s.nextAppointment.map(time.format))
    }

    enum CodingKeys: String, CodingKey { case id, name, email, phone, notes, created_at, stats }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(email, forKey: .email)
        try container.encodeIfPresent(phone, forKey: .phone)
        try container.encode(notes, forKey: .notes)
        try container.encode(created_at, forKey: .created_at)
        try container.encode(stats, forKey: .stats)
    }
}
