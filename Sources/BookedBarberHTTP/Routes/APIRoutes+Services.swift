import BookingCore
import BookingEngine
import Foundation
import Hummingbird

extension APIRoutes {
    struct ServiceList: ResponseEncodable {
        var services: [ServiceJSON]
    }

    struct CreateServiceBody: Decodable {
        var name: String
        var duration_minutes: Int
        var price_cents: Int
        var barber_ids: [Int]?
    }

    /// A partial update. `barber_ids` distinguishes absent (keep) from `null` (every barber).
    struct ServicePatch: Decodable {
        var name: String?
        var duration_minutes: Int?
        var price_cents: Int?
        var is_active: Bool?
        var barberIDs: [Int]??

        enum CodingKeys: String, CodingKey { case name, duration_minutes, price_cents, is_active, barber_ids }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decodeIfPresent(String.self, forKey: .name)
            duration_minutes = try container.decodeIfPresent(Int.self, forKey: .duration_minutes)
            price_cents = try container.decodeIfPresent(Int.self, forKey: .price_cents)
            is_active = try container.decodeIfPresent(Bool.self, forKey: .is_active)
            if container.contains(.barber_ids) {
                barberIDs = .some(try container.decodeNil(forKey: .barber_ids) ? nil : try container.decode([Int].self, forKey: .barber_ids))
            }
        }
    }

    func registerServices(_ routes: RouteTable) {
        routes.on(.post, "/api/v2/services") { request, context in
            _ = try context.admin()
            let body = try await request.decode(as: CreateServiceBody.self, context: context)
            let service = try await engine.createService(
                name: body.name, durationMinutes: body.duration_minutes, priceCents: body.price_cents,
                barberIDs: body.barber_ids)
            return EditedResponse(status: .created, response: ServiceJSON(service: service))
        }

        routes.on(.get, "/api/v2/services") { _, _ in
            return ServiceList(services: engine.catalog.activeServices.map { ServiceJSON(service: $0) })
        }

        routes.on(.get, "/api/v2/services/:id") { _, context in
            let id = try Input.pathID(context, "id")
            guard let service = engine.catalog.services[id] else { throw APIError.notFound("service \(id) not found") }
            return ServiceJSON(service: service)
        }

        routes.on(.patch, "/api/v2/services/:id") { request, context in
            _ = try context.admin()
            let id = try Input.pathID(context, "id")
            let patch = try await request.decode(as: ServicePatch.self, context: context)
            let service = try await engine.updateService(id) { service in
                if let value = patch.name { service.name = value }
                if let value = patch.duration_minutes { service.durationMinutes = value }
                if let value = patch.price_cents { service.priceCents = value }
                if let value = patch.is_active { service.isActive = value }
                if let value = patch.barberIDs { service.barberIDs = value }
            }
            return ServiceJSON(service: service)
        }
    }
}
