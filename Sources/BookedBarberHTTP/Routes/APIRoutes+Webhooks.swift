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

    struct WebhookPatch: Decodable {
        var url: String?
        var events: [String]?
        var description: String?
        var is_active: Bool?
    }

    func registerWebhooks(_ routes: RouteTable) {
        routes.on(.post, "/api/v2/webhooks") { request, context in
            _ = try context.admin()
            var request = request
            let body = try await request.decodeJSON(CreateWebhookBody.self, context: context)
            let description = try Input.text(body.description, field: "description", max: TextLimits.webhookDescription) ?? ""
            try await webhookTargets.check(body.url)
            let endpoint = try await engine.createWebhook(
                url: body.url, events: body.events, description: description, secret: WebhookSecret.generate())
            return try jsonResponse(WebhookJSON(endpoint, shopTime, withSecret: true), status: .created)
        }

        routes.on(.get, "/api/v2/webhooks") { _, context in
            _ = try context.admin()
            struct List: Encodable { var webhooks: [WebhookJSON] }
            return try jsonResponse(List(webhooks: engine.webhooks().map { WebhookJSON($0, shopTime) }))
        }

        routes.on(.get, "/api/v2/webhooks/:id") { _, context in
            _ = try context.admin()
            return try jsonResponse(WebhookJSON(try engine.webhook(try Input.pathID(context, "id")), shopTime))
        }

        routes.on(.patch, "/api/v2/webhooks/:id") { request, context in
            _ = try context.admin()
            let id = try Input.pathID(context, "id")
            var request = request
            let body = try await request.decodeJSON(WebhookPatch.self, context: context)
            let description = try Input.text(body.description, field: "description", max: TextLimits.webhookDescription)
            _ = try engine.webhook(id)
            if let url = body.url { try await webhookTargets.check(url) }
            let endpoint = try await engine.updateWebhook(
                id, url: body.url, events: body.events, description: description, isActive: body.is_active)
            return try jsonResponse(WebhookJSON(endpoint, shopTime))
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
            struct List: Encodable { var deliveries: [WebhookAttemptJSON] }
            let attempts = engine.webhookAttempts.recent(id, limit: limit)
            return try jsonResponse(List(deliveries: attempts.map { WebhookAttemptJSON(attempt: $0, time: shopTime) }))
        }

        routes.on(.post, "/api/v2/webhooks/:id/deliveries/:eventId/redeliver") { _, context in
            _ = try context.admin()
            let id = try Input.pathID(context, "id")
            try engine.redeliver(context.parameters.get("eventId") ?? "", to: id)
            return Response(status: .accepted)
        }
    }
}
