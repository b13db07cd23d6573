import BookingCore
import BookingEngine
import Foundation
import HTTPTypes
import Hummingbird

/// **Webhooks** (`/admin/webhooks`, admins only, as the API's `/api/v2/webhooks`): the endpoints,
/// a form to add one (its secret shown once, right after), and per endpoint an edit form, delete,
/// and the delivery log (newest first, as the API lists it: `ShopEngine.deliveries`) with
/// "redeliver". The URL check (SSRF refusal), the event
/// types and the description's length are the API's rules: `WebhookTarget`, `EventSelection`,
/// `TextLimits`; their refusals appear next to the field they are about.
extension WebRoutes {
    /// The delivery attempts an endpoint's page lists.
    static let deliveriesShown = 50

    /// The fields of the add and edit forms. The event checkboxes are `events[]`; the "all
    /// events" box stands for `["*"]`.
    struct WebhookForm: Decodable {
        var url: String?
        var events: [String]?
        var all_events: String?
        var description: String?
        var is_active: String?

        var eventNames: [String] { all_events == "on" ? ["*"] : events ?? [] }
    }

    /// What the admin typed, shown again next to the refusals (`problems` by field: `url`,
    /// `events`, `description`).
    struct WebhookDraft {
        var url = ""
        var events: [String] = []
        var description = ""
        var isActive = true
        var problems: [String: String] = [:]
    }

    func registerWebhookPages(_ routes: RouteTable) {
        page(routes, .get, "/admin/webhooks") { web in try await webhooksPage(web, draft: WebhookDraft(), status: .ok) }
        page(routes, .post, "/admin/webhooks") { web in
            try requireAdmin(web)
            let form = try web.form(WebhookForm.self)
            let draft = await checked(form, previousURL: nil)
            guard draft.problems.isEmpty else { return try await webhooksPage(web, draft: draft, status: .unprocessableContent) }
            let endpoint: WebhookEndpoint
            do {
                endpoint = try await engine.createWebhook(
                    url: draft.url, events: draft.events, description: draft.description, secret: WebhookSecret.generate())
            } catch BookingError.validationFailed(let why) {
                var refused = draft
                refused.problems["events"] = why
                return try await webhooksPage(web, draft: refused, status: .unprocessableContent)
            }
            let token = secretReveals.grant(webhook: endpoint.id, visitor: web.visitor.csrf, now: engine.clock())
            return Self.seeOther("/admin/webhooks/\(endpoint.id)?created=\(token)")
        }
        page(routes, .get, "/admin/webhooks/:id") { web in
            try requireAdmin(web)
            return try await webhookPage(web, endpoint: try engine.webhook(try Input.pathID(web.context, "id")), draft: nil, status: .ok)
        }
        page(routes, .post, "/admin/webhooks/:id") { web in
            try requireAdmin(web)
            let endpoint = try engine.webhook(try Input.pathID(web.context, "id"))
            let form = try web.form(WebhookForm.self)
            let draft = await checked(form, previousURL: endpoint.url)
            guard draft.problems.isEmpty else {
                return try await webhookPage(web, endpoint: endpoint, draft: draft, status: .unprocessableContent)
            }
            do {
                _ = try await engine.updateWebhook(
                    endpoint.id, url: draft.url, events: draft.events, description: draft.description, isActive: draft.isActive)
            } catch BookingError.validationFailed(let why) {
                var refused = draft
                refused.problems["events"] = why
                return try await webhookPage(web, endpoint: endpoint, draft: refused, status: .unprocessableContent)
            }
            return Self.seeOther("/admin/webhooks/\(endpoint.id)?saved=1")
        }
        page(routes, .post, "/admin/webhooks/:id/delete") { web in
            try requireAdmin(web)
            let id = try Input.pathID(web.context, "id")
            try await engine.deleteWebhook(id)
            return Self.seeOther("/admin/webhooks?deleted=\(id)")
        }
        page(routes, .post, "/admin/webhooks/:id/deliveries/:eventId/redeliver") { web in
            try requireAdmin(web)
            let endpoint = try engine.webhook(try Input.pathID(web.context, "id"))
            let eventID = web.context.parameters.get("eventId") ?? ""
            do {
                try engine.redeliver(eventID, to: endpoint.id)
            } catch BookingError.notFound(let why) {
                return try await webhookPage(web, endpoint: endpoint, draft: nil, status: .notFound, deliveryProblem: why)
            }
            return Self.seeOther("/admin/webhooks/\(endpoint.id)?redelivered=\(Self.urlComponent(eventID))#deliveries")
        }
    }

    func requireAdmin(_ web: WebRequest) throws {
        let (requester, _) = try signedIn(web)
        guard requester.isAdmin else { throw BookingError.forbidden("webhooks are for the shop's admins") }
    }

    /// The form's values with the API's checks applied, each refusal under its field. The URL is
    /// checked when it is new or changed (every delivery checks it again before it is sent).
    func checked(_ form: WebhookForm, previousURL: String?) async -> WebhookDraft {
        var draft = WebhookDraft(
            url: (form.url ?? "").trimmingCharacters(in: .whitespaces), events: form.eventNames, description: form.description ?? "",
            isActive: form.is_active == "on")
        if draft.url != previousURL {
            do {
                try await webhookTargets.check(draft.url)
            } catch {
                draft.problems["url"] = (error as? BookingError)?.message ?? "\(error)"
            }
        }
        if let violation = TextLimits.violation(draft.description, field: "description", max: TextLimits.webhookDescription) {
            draft.problems["description"] = violation.message
        }
        if case .failure(let refusal) = EventSelection.parse(draft.events) { draft.problems["events"] = refusal.message }
        return draft
    }

    struct WebhookFields {
        struct EventBox {
            var name: String
            var fieldID: String
            var checked: Bool
        }
        /// The start of the fields' ids (`new`, `edit`).
        var prefix: String
        var url: String
        var description: String
        var all: Bool
        var types: [EventBox]
        var active: Bool
        var urlProblem: String
        var hasURLProblem: Bool
        var eventsProblem: String
        var hasEventsProblem: Bool
        var descriptionProblem: String
        var hasDescriptionProblem: Bool

        init(_ draft: WebhookDraft, prefix: String) {
            self.prefix = prefix
            url = draft.url
            description = draft.description
            all = draft.events == ["*"]
            types = EventType.known.map {
                EventBox(name: $0.rawValue, fieldID: "\(prefix)-event-\($0.rawValue)", checked: draft.events.contains($0.rawValue))
            }
            active = draft.isActive
            urlProblem = draft.problems["url"] ?? ""
            hasURLProblem = draft.problems["url"] != nil
            eventsProblem = draft.problems["events"] ?? ""
            hasEventsProblem = draft.problems["events"] != nil
            descriptionProblem = draft.problems["description"] ?? ""
            hasDescriptionProblem = draft.problems["description"] != nil
        }
    }

    struct WebhooksModel {
        struct Row {
            var id: Int
            var url: String
            var events: String
            var description: String
            var active: Bool
        }
        var frame: PageFrame
        var webhooks: [Row]
        var none: Bool
        var form: WebhookFields
        var deleted: String
        var wasDeleted: Bool
    }

    func webhooksPage(_ web: WebRequest, draft: WebhookDraft, status: HTTPResponse.Status) async throws -> Response {
        try requireAdmin(web)
        let endpoints = engine.webhooks()
        let deleted = web.query("deleted").flatMap { Int($0) }
        let model = WebhooksModel(
            frame: frame("Webhooks", visitor: web.visitor, section: "admin"),
            webhooks: endpoints.map {
                .init(id: $0.id, url: $0.url, events: $0.events.names.joined(separator: ", "), description: $0.description, active: $0.isActive)
            },
            none: endpoints.isEmpty, form: WebhookFields(draft, prefix: "new"), deleted: deleted.map(String.init) ?? "",
            wasDeleted: deleted != nil)
        return renderer.page("webhooks", model, status: status)
    }

    struct WebhookModel {
        struct Delivery {
            var eventID: String
            var type: String
            var attempt: Int
            var status: String
            var ok: Bool
            var error: String
            var duration: String
            var at: String
            var next: String
        }
        var frame: PageFrame
        var id: Int
        var url: String
        var created: String
        var secret: String
        var showSecret: Bool
        var secretGone: Bool
        var saved: Bool
        var redelivered: String
        var wasRedelivered: Bool
        var form: WebhookFields
        var deliveries: [Delivery]
        var noDeliveries: Bool
        var deliveryProblem: String
        var hasDeliveryProblem: Bool
    }

    /// An endpoint's page. The secret is shown when the visitor comes from creating it with an
    /// unused `created` token (`WebhookSecretReveals`), and never again.
    func webhookPage(
        _ web: WebRequest, endpoint: WebhookEndpoint, draft: WebhookDraft?, status: HTTPResponse.Status, deliveryProblem: String? = nil
    ) async throws -> Response {
        let format = format
        var secret: String?
        var secretGone = false
        if let token = web.query("created") {
            if secretReveals.take(token, webhook: endpoint.id, visitor: web.visitor.csrf, now: engine.clock()) {
                secret = WebhookSecret.text(of: endpoint.secret)
            } else {
                secretGone = true
            }
        }
        let current = WebhookDraft(
            url: endpoint.url, events: endpoint.events.names, description: endpoint.description, isActive: endpoint.isActive)
        let attempts = await engine.deliveries(of: endpoint.id, limit: Self.deliveriesShown)
        let redelivered = web.query("redelivered")
        let model = WebhookModel(
            frame: frame("Webhook \(endpoint.id)", visitor: web.visitor, section: "admin"), id: endpoint.id, url: endpoint.url,
            created: format.dateAndClock(endpoint.createdAt), secret: secret ?? "", showSecret: secret != nil, secretGone: secretGone,
            saved: web.query("saved") == "1", redelivered: redelivered ?? "", wasRedelivered: redelivered != nil,
            form: WebhookFields(draft ?? current, prefix: "edit"),
            deliveries: attempts.map { attempt in
                .init(
                    eventID: Event.id(of: attempt.event), type: attempt.type.rawValue, attempt: attempt.attempt,
                    status: attempt.statusCode.map(String.init) ?? "no answer", ok: attempt.statusCode.map { (200..<300).contains($0) } ?? false,
                    error: attempt.error ?? "", duration: "\(attempt.durationMilliseconds) ms", at: format.dayAndClockWithSeconds(attempt.at),
                    next: attempt.nextAttemptAt.map(format.dayAndClockWithSeconds) ?? (attempt.outcome == .givenUp ? "given up" : ""))
            },
            noDeliveries: attempts.isEmpty, deliveryProblem: deliveryProblem ?? "", hasDeliveryProblem: deliveryProblem != nil)
        return renderer.page("webhook", model, status: status)
    }
}
