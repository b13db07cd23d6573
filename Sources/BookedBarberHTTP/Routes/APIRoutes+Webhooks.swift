import BookingCore
import BookingEngine
import Foundation
import Hummingbird

extension APIRoutes {
    struct CreateWebhookBody: Decodable {
        var url: String
        var events: [String]
        var description: String?
    }

    struct WebhookList: ResponseEncodable {
        var webhooks: [WebhookJSON]
    }

    struct DeliveryList: ResponseEncodable {
        var deliveries: [WebhookAttemptJSON]
    }

    struct WebhookPatch: Decodable {
        var url: String?
        var events: [String]?
        var description: String?
        var is_active: Bool?
    }

    func registerWebhooks(_ routes: RouteTable) {
        routes.on(.post, "/api/v2/webhooks") { request, context in
            _ = try context.admin()
            let body = try await request.decode(as: CreateWebhookBody.self, context: context)
            let description = try Input.text(body.description, field: "description", max: TextLimits.webhookDescription) ?? ""
            try await webhookTargets.check(body.url)
            let endpoint = try await engine.createWebhook(
                url: body.url, events: body.events, description: description, secret: WebhookSecret.generate())
            return EditedResponse(status: .created, response: WebhookJSON(endpoint, shopTime, withSecret: true))
        }

        routes.on(.get, "/api/v2/webhooks") { _, context in
            _ = try context.admin()
            return WebhookList(webhooks: engine.webhooks().map { WebhookJSON($0, shopTime) })
        }

        routes.on(.get, "/api/v2/webhooks/:id") { _, context in
            _ = try context.admin()
            return WebhookJSON(try engine.webhook(try Input.pathID(context, "id")), shopTime)
        }

        routes.on(.patch, "/api/v2/webhooks/:id") { request, context in
            _ = try context.admin()
            let id = try Input.pathID(context, "id")
            let body = try await request.decode(as: WebhookPatch.self, context: context)
            let description = try Input.text(body.description, field: "description", max: TextLimits.webhookDescription)
            _ = try engine.webhook(id)
            if let url = body.url { try await webhookTargets.check(url) }
            let endpoint = try await engine.updateWebhook(
                id, url: body.url, events: body.events, description: description, isActive: body.is_active)
            return WebhookJSON(endpoint, shopTime)
        }

        routes.on(.delete, "/api/v2/webhooks/:id") { _, context in
            _ = try context.admin()
            try await engine.deleteWebhook(try Input.pathID(context, "id"))
            return Response(status: .noContent)
        }

        routes.on(.get, "/api/v2/webhooks/:id/deliveries") { request, context in
            _ = try context.admin()
            let id = try Input.pathID(context, "id")
            _ = try engine.webhook(id)
            let limit = try Input.queryID(request, "limit") ?? 50
            let attempts = await engine.deliveries(of: id, limit: limit)
            return DeliveryList(deliveries: attempts.map { WebhookAttemptJSON(attempt: $0, time: shopTime) })
        }

        routes.on(.post, "/api/v2/webhooks/:id/deliveries/:eventId/redeliver") { _, context in
            _ = try context.admin()
            let id = try Input.pathID(context, "id")
            try engine.redeliver(context.parameters.get("eventId") ?? "", to: id)
            return Response(status: .accepted)
        }
    }
}
