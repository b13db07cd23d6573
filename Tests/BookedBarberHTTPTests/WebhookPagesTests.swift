import BookingCore
import BookingEngine
import Foundation
import HTTPTypes
import TestSupport
import Testing

@testable import BookedBarberHTTP

/// `/admin/webhooks`: adding an endpoint shows its secret once (only to the admin who added it,
/// not on a reload), the API's refusals (SSRF, unknown type, no type, long description) appear
/// next to their field, edit and delete go through the engine, the delivery log lists attempts
/// newest first with every value escaped, and "redeliver" asks the engine for one more delivery.
@Suite struct WebhookPagesTests {
    static let xss = WebPageTests.xss

    /// An endpoint for every event (a public address: nothing is delivered in these tests) and
    /// one booking, whose `appointment.created` is returned.
    static func endpointWithOneEvent(_ api: APIClient, _ harness: APIHarness) async throws -> (WebhookID, Event) {
        let admin = try await api.adminToken()
        let created = try await api.send(.post, "/api/v2/webhooks", token: admin, json: ["url": "https://93.184.215.14/hook", "events": ["*"]])
        let id = try #require(created["id"] as? Int)
        let barber = try await api.createBarber(adminToken: admin)
        let service = try await api.createService(adminToken: admin)
        let client = try await api.register("c@example.com")
        #expect(try await api.book(client.token, barber: barber, service: service, start: "2027-03-03T10:00:00-05:00").status == .created)
        return (id, try #require(harness.app.engine.notifications.read { $0.events(after: 0).first }))
    }

    static func signedInAdmin(_ page: BrowserlessClient) async throws -> String {
        try await page.signInThroughLoginForm(APIHarness.adminEmail, APIHarness.adminPassword)
        return try #require(try await page.get("/admin/webhooks").csrf)
    }

    @Test func aNewEndpointsSecretIsShownOnceToItsCreatorAndNotOnAReload() async throws {
        let harness = try await APIHarness.make()
        try await harness.runPages { page, api in
            let csrf = try await Self.signedInAdmin(page)
            let empty = try await page.get("/admin/webhooks")
            #expect(empty.body.contains(#"id="no-webhooks""#))
            #expect(empty.allMatches(#"name="events\[\]" value="([^"]+)""#) == EventType.known.map(\.rawValue))
            let created = try await page.post(
                "/admin/webhooks",
                [("csrf", csrf), ("url", "https://93.184.215.14/hook"), ("events[]", "appointment.created"),
                 ("events[]", "appointment.cancelled"), ("description", "CRM \(Self.xss)")])
            #expect(created.status == .seeOther, "\(created.body.prefix(1000))")
            let location = try #require(created.location)
            let endpoint = try #require(harness.app.engine.webhooks().first)
            #expect(location.hasPrefix("/admin/webhooks/\(endpoint.id)?created="))
            #expect(endpoint.events == .only([.appointmentCreated, .appointmentCancelled]) && endpoint.description == "CRM \(Self.xss)")

            // Another admin's session with the same address sees no secret, and uses nothing up.
            // (A second later: tokens issued in the same second to one user are the same session.)
            harness.clock.advance(seconds: 1)
            let other = BrowserlessClient(page.client)
            try await other.signInThroughLoginForm(APIHarness.adminEmail, APIHarness.adminPassword)
            let peek = try await other.get(location)
            #expect(peek.status == .ok && !peek.body.contains("whsec_") && peek.body.contains(#"id="secret-gone""#))

            let shown = try await page.get(location)
            #expect(shown.status == .ok)
            #expect(shown.body.contains("Copy the signing secret now"))
            let secret = try #require(shown.firstMatch(#"<input id="webhook-secret" readonly value="([^"]+)""#))
            #expect(secret == WebhookSecret.text(of: endpoint.secret) && secret.hasPrefix("whsec_"))
            #expect(shown.headers[.cacheControl] == "no-store")

            let reloaded = try await page.get(location)
            #expect(reloaded.status == .ok && !reloaded.body.contains("whsec_") && reloaded.body.contains(#"id="secret-gone""#))
            #expect(!(try await page.get("/admin/webhooks/\(endpoint.id)")).body.contains("whsec_"))

            let list = try await page.get("/admin/webhooks")
            let row = try #require(list.element("tr", id: "webhook-\(endpoint.id)"))
            #expect(row.contains("https://93.184.215.14/hook") && row.contains("appointment.created, appointment.cancelled"))
            #expect(row.contains("CRM &lt;script&gt;alert(1)&lt;/script&gt;") && !list.body.contains(Self.xss))
            #expect(!list.body.contains("whsec_"))
            #expect(list.body.utf8.count < 30 * 1024 && shown.body.utf8.count < 30 * 1024)
        }
    }

    @Test func refusalsAppearNextToTheirFieldAndNothingIsCreated() async throws {
        let harness = try await APIHarness.make()
        try await harness.runPages { page, _ in
            let csrf = try await Self.signedInAdmin(page)
            let ssrf = try await page.post(
                "/admin/webhooks", [("csrf", csrf), ("url", "http://127.0.0.1:8080/hook"), ("events[]", "appointment.created")])
            #expect(ssrf.status == .unprocessableContent)
            #expect(ssrf.firstMatch(#"<p class="error" id="new-url-error">([^<]+)</p>"#)?.contains("not a public address") == true)
            #expect(ssrf.body.contains(#"value="http://127.0.0.1:8080/hook" aria-invalid="true""#), "the URL typed is kept")
            #expect(ssrf.body.contains(#"value="appointment.created" id="new-event-appointment.created" checked"#))

            let unknown = try await page.post(
                "/admin/webhooks", [("csrf", csrf), ("url", "https://93.184.215.14/"), ("events[]", "appointment.exploded")])
            #expect(unknown.status == .unprocessableContent)
            #expect(unknown.body.contains(#"<p class="error" id="new-events-error">events: unknown event type &quot;appointment.exploded&quot;</p>"#))
            #expect(unknown.firstMatch(#"id="(new-url-error)""#) == nil)

            let none = try await page.post("/admin/webhooks", [("csrf", csrf), ("url", "ftp://93.184.215.14/"), ("description", String(repeating: "d", count: 501))])
            #expect(none.status == .unprocessableContent)
            #expect(none.body.contains(#"id="new-events-error">events: name at least one event type, or &quot;*&quot;</p>"#))
            #expect(none.body.contains(#"id="new-url-error">url: an absolute http or https URL without credentials is required</p>"#))
            #expect(none.body.contains(#"id="new-description-error">description must be at most 500 characters</p>"#))
            #expect(harness.app.engine.webhooks().isEmpty)

            let forged = try await page.post("/admin/webhooks", [("url", "https://93.184.215.14/"), ("all_events", "on")])
            #expect(forged.status == .forbidden && harness.app.engine.webhooks().isEmpty)
        }
    }

    @Test func anAdminEditsAndDeletesAnEndpointAndOthersAre403() async throws {
        let harness = try await APIHarness.make { $0.notifications.allowPrivateWebhooks = true }
        try await harness.runPages { page, api in
            let csrf = try await Self.signedInAdmin(page)
            _ = try await page.post("/admin/webhooks", [("csrf", csrf), ("url", "http://127.0.0.1:9/hook"), ("all_events", "on")])
            let endpoint = try #require(harness.app.engine.webhooks().first)
            #expect(endpoint.events == .all && endpoint.isActive)
            let edit = try await page.get("/admin/webhooks/\(endpoint.id)")
            #expect(edit.body.contains(#"id="edit-all-events" checked"#) && edit.body.contains(#"id="edit-active" checked"#))

            let saved = try await page.post(
                "/admin/webhooks/\(endpoint.id)",
                [("csrf", csrf), ("url", "http://127.0.0.1:9/other"), ("events[]", "appointment.no_show"), ("description", "paused for now")])
            #expect(saved.status == .seeOther && saved.location == "/admin/webhooks/\(endpoint.id)?saved=1")
            let edited = try harness.app.engine.webhook(endpoint.id)
            #expect(edited.url == "http://127.0.0.1:9/other" && edited.events == .only([.appointmentNoShow]))
            #expect(!edited.isActive && edited.description == "paused for now" && edited.secret == endpoint.secret)
            let refused = try await page.post("/admin/webhooks/\(endpoint.id)", [("csrf", csrf), ("url", "http://127.0.0.1:9/other")])
            #expect(refused.status == .unprocessableContent && refused.body.contains(#"id="edit-events-error""#))
            #expect(try harness.app.engine.webhook(endpoint.id) == edited)
            #expect(try await page.get("/admin/webhooks").element("tr", id: "webhook-\(endpoint.id)")?.contains("paused") == true)

            let admin = try await api.adminToken()
            _ = try await api.createBarber(adminToken: admin, email: "barber@shop.test")
            let barber = BrowserlessClient(page.client)
            try await barber.signInThroughLoginForm("barber@shop.test", "barber-password")
            let barberCSRF = try #require(try await barber.get("/barber").csrf)
            #expect(try await barber.get("/admin/webhooks").status == .forbidden)
            #expect(try await barber.get("/admin/webhooks/\(endpoint.id)").status == .forbidden)
            #expect(try await barber.post("/admin/webhooks/\(endpoint.id)/delete", [("csrf", barberCSRF)]).status == .forbidden)
            #expect(harness.app.engine.webhooks().count == 1)

            let deleted = try await page.post("/admin/webhooks/\(endpoint.id)/delete", [("csrf", csrf)])
            #expect(deleted.status == .seeOther && deleted.location == "/admin/webhooks?deleted=\(endpoint.id)")
            #expect(harness.app.engine.webhooks().isEmpty)
            #expect(try await page.get("/admin/webhooks/\(endpoint.id)").status == .notFound)
            #expect(try await page.get("/admin/webhooks?deleted=\(endpoint.id)").body.contains("Webhook \(endpoint.id) was deleted."))
        }
    }

    @Test func theDeliveryLogListsAttemptsNewestFirstAndRedeliverAsksTheEngine() async throws {
        let harness = try await APIHarness.make()
        try await harness.runPages { page, api in
            let (id, event) = try await Self.endpointWithOneEvent(api, harness)
            let at = RFC3339.parse("2027-03-01T12:00:05Z")!
            let attempts = harness.app.engine.webhookAttempts
            attempts.record(
                WebhookAttempt(
                    event: event.sequence, type: event.type, attempt: 1, statusCode: 500, error: "answered \(Self.xss)",
                    durationMilliseconds: 12, at: at, nextAttemptAt: at.adding(seconds: 5)), for: id)
            attempts.record(
                WebhookAttempt(
                    event: event.sequence, type: event.type, attempt: 2, statusCode: nil, error: "connection refused",
                    durationMilliseconds: 3, at: at.adding(seconds: 6), nextAttemptAt: at.adding(seconds: 66)), for: id)
            attempts.record(
                WebhookAttempt(
                    event: event.sequence, type: event.type, attempt: 3, statusCode: 204, error: nil, durationMilliseconds: 7,
                    at: at.adding(seconds: 70), nextAttemptAt: nil), for: id)

            let csrf = try await Self.signedInAdmin(page)
            let log = try await page.get("/admin/webhooks/\(id)")
            let table = try #require(log.element("table", id: "delivery-table"))
            let rows = PageResponse(status: .ok, headers: [:], body: table)
                .groups(#"<tr><td><code>(evt_\d+)</code></td><td>([^<]*)</td><td>(\d+)</td><td><span class="status [a-z_]+">([^<]*)</span></td><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td>"#)
            let eventID = Event.id(of: event.sequence)
            #expect(rows.map { $0[2] } == ["3", "2", "1"], "newest first")
            #expect(rows.map { $0[3] } == ["204", "no answer", "500"])
            #expect(rows.allSatisfy { $0[0] == eventID && $0[1] == "appointment.created" })
            #expect(rows[2][4] == "answered &lt;script&gt;alert(1)&lt;/script&gt;" && !log.body.contains(Self.xss))
            #expect(rows[2][5] == "12 ms" && rows[2][6] == "Mon 1 Mar, 07:00:05" && rows[2][7] == "Mon 1 Mar, 07:00:10")
            #expect(rows[0][7] == "")

            let redeliver = try await page.post("/admin/webhooks/\(id)/deliveries/\(eventID)/redeliver", [("csrf", csrf)])
            #expect(redeliver.status == .seeOther && redeliver.location == "/admin/webhooks/\(id)?redelivered=\(eventID)#deliveries")
            let asked = attempts.takeRedeliveries()
            #expect(asked.count == 1 && asked.first?.webhook == id && asked.first?.event == event.sequence)
            let unknown = try await page.post("/admin/webhooks/\(id)/deliveries/evt_999/redeliver", [("csrf", csrf)])
            #expect(unknown.status == .notFound && unknown.body.contains(#"<p class="error" role="alert" id="delivery-error">event evt_999 not found</p>"#))
            #expect(try await page.post("/admin/webhooks/\(id)/deliveries/\(eventID)/redeliver", []).status == .forbidden)
            #expect(attempts.takeRedeliveries().isEmpty)
        }
    }

    @Test func aDeliveryGivenUpInTheLogIsListedOnceWithGivenUpForItsNextAttempt() async throws {
        let harness = try await APIHarness.make()
        try await harness.runPages { page, api in
            let (id, event) = try await Self.endpointWithOneEvent(api, harness)
            let at = RFC3339.parse("2027-03-02T12:00:05Z")!
            let engine = harness.app.engine
            let final = WebhookAttempt(
                event: event.sequence, type: event.type, attempt: 2, statusCode: 503, error: nil, durationMilliseconds: 9, at: at,
                nextAttemptAt: nil, outcome: .givenUp)
            engine.webhookAttempts.record(
                WebhookAttempt(
                    event: event.sequence, type: event.type, attempt: 1, statusCode: 503, error: nil, durationMilliseconds: 8,
                    at: at.adding(seconds: -60), nextAttemptAt: at), for: id)
            engine.webhookAttempts.record(final, for: id)
            await engine.recordDeliveries([
                DeliveryFinished(
                    webhook: id,
                    delivery: EndedDelivery(
                        event: event.sequence, type: event.type, outcome: .givenUp, attempt: 2, statusCode: 503, error: nil,
                        durationMilliseconds: 9, at: at))
            ])

            _ = try await Self.signedInAdmin(page)
            let log = try await page.get("/admin/webhooks/\(id)")
            let table = try #require(log.element("table", id: "delivery-table"))
            let rows = PageResponse(status: .ok, headers: [:], body: table)
                .groups(#"<tr><td><code>(evt_\d+)</code></td><td>([^<]*)</td><td>(\d+)</td><td><span class="status [a-z_]+">([^<]*)</span></td><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td>"#)
            #expect(rows.map { $0[2] } == ["2", "1"], "the final attempt once, from the log")
            #expect(rows[0][7] == "given up" && rows[1][7] != "given up")
            let listed = try await api.send(.get, "/api/v2/webhooks/\(id)/deliveries", token: try await api.adminToken())
            let deliveries = try #require(listed["deliveries"] as? [[String: Any]])
            #expect(deliveries.map { $0["attempt"] as? Int } == [2, 1])
            #expect(deliveries.map { $0["outcome"] as? String } == ["given_up", nil])
        }
    }
}
