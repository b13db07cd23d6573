import BookedBarberHTTP
import Foundation
import Hummingbird
import Testing

/// The webhook admin routes of the contract: create (secret shown once), list, read, edit,
/// delete, refusals of unknown event types and of targets inside the server's own network.
@Suite struct WebhookAdminTests {
    @Test func createListEditDeleteAndTheSecretIsShownOnlyAtCreation() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let created = try await api.send(
                .post, "/api/v2/webhooks", token: admin,
                json: ["url": "https://93.184.215.14/hook", "events": ["appointment.created", "appointment.cancelled"], "description": "CRM"])
            #expect(created.status == .created, "\(created.raw)")
            #expect(Set(created.object.keys) == ["id", "url", "events", "description", "is_active", "secret", "created_at"])
            let secret = try #require(created["secret"] as? String)
            #expect(secret.hasPrefix("whsec_"))
            #expect((Data(base64Encoded: String(secret.dropFirst(6)))?.count ?? 0) >= 24)
            #expect(created["events"] as? [String] == ["appointment.created", "appointment.cancelled"])
            #expect(created["is_active"] as? Bool == true)
            let id = try #require(created["id"] as? Int)

            let all = try await api.send(.post, "/api/v2/webhooks", token: admin, json: ["url": "http://93.184.215.14/all", "events": ["*"]])
            #expect(all.status == .created)
            #expect(all["events"] as? [String] == ["*"])
            #expect(all["description"] as? String == "")

            let list = try await api.send(.get, "/api/v2/webhooks", token: admin)
            let hooks = list.list("webhooks")
            #expect(hooks.map { $0["id"] as? Int } == [id, all["id"] as? Int])
            #expect(hooks.allSatisfy { $0["secret"] == nil })
            let one = try await api.send(.get, "/api/v2/webhooks/\(id)", token: admin)
            #expect(one["secret"] == nil && one["url"] as? String == "https://93.184.215.14/hook")

            let edited = try await api.send(
                .patch, "/api/v2/webhooks/\(id)", token: admin, json: ["is_active": false, "events": ["appointment.no_show"]])
            #expect(edited.status == .ok)
            #expect(edited["is_active"] as? Bool == false && edited["events"] as? [String] == ["appointment.no_show"])
            #expect(edited["url"] as? String == "https://93.184.215.14/hook" && edited["description"] as? String == "CRM")

            #expect(try await api.send(.delete, "/api/v2/webhooks/\(id)", token: admin).status == .noContent)
            expectError(try await api.send(.get, "/api/v2/webhooks/\(id)", token: admin), .notFound, "not_found")
            expectError(try await api.send(.delete, "/api/v2/webhooks/\(id)", token: admin), .notFound, "not_found")
            let again = try await api.send(.post, "/api/v2/webhooks", token: admin, json: ["url": "http://93.184.215.14/x", "events": ["*"]])
            #expect((again["id"] as? Int ?? 0) > (all["id"] as? Int ?? 0), "ids are not reused after a delete")
        }
    }

    @Test func onlyAnAdminManagesWebhooks() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let client = try await api.register("c@x.test")
            expectError(try await api.send(.get, "/api/v2/webhooks"), .unauthorized, "unauthorized")
            expectError(try await api.send(.get, "/api/v2/webhooks", token: client.token), .forbidden, "forbidden")
            expectError(
                try await api.send(.post, "/api/v2/webhooks", token: client.token, json: ["url": "https://93.184.215.14/", "events": ["*"]]),
                .forbidden, "forbidden")
        }
    }

    @Test func unknownEventTypesAndMalformedBodiesAreRefused() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            for events in [["appointment.booked"], [], ["*", "appointment.created"]] {
                let response = try await api.send(.post, "/api/v2/webhooks", token: admin, json: ["url": "https://93.184.215.14/", "events": events])
                expectError(response, .unprocessableContent, "validation_failed")
            }
            expectError(try await api.send(.post, "/api/v2/webhooks", token: admin, json: ["url": "https://93.184.215.14/"]), .badRequest, "bad_request")
            expectError(
                try await api.send(.post, "/api/v2/webhooks", token: admin, json: ["url": 5, "events": ["*"]]), .badRequest, "bad_request")
            #expect(try await api.send(.get, "/api/v2/webhooks", token: admin).list("webhooks").isEmpty)
        }
    }

    /// Server-side request forgery: the server must not POST into its own network.
    @Test(arguments: [
        "http://127.0.0.1/hook", "http://127.8.9.10:8080/hook", "http://[::1]/hook", "http://10.1.2.3/hook",
        "http://169.254.169.254/latest/meta-data", "http://192.168.1.1/", "http://172.16.0.1/", "http://0.0.0.0/",
        "http://[::]/", "http://[fe80::1]/", "http://[fd00::1]/", "http://[::ffff:127.0.0.1]/", "http://localhost:9000/hook",
        "ftp://93.184.215.14/hook", "file:///etc/passwd", "https://user:pw@93.184.215.14/", "not a url", "http:///nohost",
    ])
    func privateLoopbackAndNonHTTPTargetsAreRefused(url: String) async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let response = try await api.send(.post, "/api/v2/webhooks", token: admin, json: ["url": url, "events": ["*"]])
            expectError(response, .unprocessableContent, "validation_failed")
            let created = try await api.send(.post, "/api/v2/webhooks", token: admin, json: ["url": "https://93.184.215.14/", "events": ["*"]])
            let id = created["id"] as? Int ?? 0
            expectError(try await api.send(.patch, "/api/v2/webhooks/\(id)", token: admin, json: ["url": url]), .unprocessableContent, "validation_failed")
        }
    }

    @Test func privateTargetsAreAcceptedWithTheFlag() async throws {
        let harness = try await APIHarness.make { $0.notifications.allowPrivateWebhooks = true }
        try await harness.run { api in
            let admin = try await api.adminToken()
            for url in ["http://127.0.0.1:9/hook", "http://localhost:9/hook", "http://[::1]:9/"] {
                #expect(try await api.send(.post, "/api/v2/webhooks", token: admin, json: ["url": url, "events": ["*"]]).status == .created)
            }
            expectError(
                try await api.send(.post, "/api/v2/webhooks", token: admin, json: ["url": "ftp://127.0.0.1/", "events": ["*"]]),
                .unprocessableContent, "validation_failed")
        }
    }

    @Test func deliveriesAndRedeliverOfUnknownThingsAre404() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            expectError(try await api.send(.get, "/api/v2/webhooks/9/deliveries", token: admin), .notFound, "not_found")
            let created = try await api.send(.post, "/api/v2/webhooks", token: admin, json: ["url": "https://93.184.215.14/", "events": ["*"]])
            let id = created["id"] as? Int ?? 0
            let deliveries = try await api.send(.get, "/api/v2/webhooks/\(id)/deliveries?limit=5", token: admin)
            #expect(deliveries.status == .ok && deliveries.list("deliveries").isEmpty)
            expectError(try await api.send(.get, "/api/v2/webhooks/\(id)/deliveries?limit=x", token: admin), .badRequest, "bad_request")
            for event in ["evt_1", "evt_x", "1"] {
                expectError(
                    try await api.send(.post, "/api/v2/webhooks/\(id)/deliveries/\(event)/redeliver", token: admin), .notFound, "not_found")
            }
        }
    }
}
