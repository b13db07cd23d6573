import Foundation
import Hummingbird
import Testing

/// `POST/GET/PATCH /api/v2/services[/{id}]` and the `Service` fields, `barber_ids` above all.
@Suite struct ServiceCatalogTests {
    static let fields: Set<String> = ["id", "name", "duration_minutes", "price_cents", "is_active", "barber_ids"]

    @Test func creatingAServiceForEveryBarberAnswers201WithNullBarberIds() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let response = try await api.send(
                .post, "/api/v2/services", token: admin, json: ["name": "Beard trim", "duration_minutes": 20, "price_cents": 1500])
            #expect(response.status == .created, "\(response.raw)")
            #expect(Set(response.object.keys) == Self.fields)
            #expect(response.id > 0)
            #expect(response["name"] as? String == "Beard trim")
            #expect(response["duration_minutes"] as? Int == 20)
            #expect(response["price_cents"] as? Int == 1500)
            #expect(response["is_active"] as? Bool == true)
            #expect(response["barber_ids"] is NSNull)
        }
    }

    @Test func creatingAServiceForSomeBarbersKeepsTheirIds() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let first = try await api.createBarber(adminToken: admin)
            let second = try await api.createBarber(adminToken: admin)
            let response = try await api.send(
                .post, "/api/v2/services", token: admin,
                json: ["name": "Colour", "duration_minutes": 90, "price_cents": 9000, "barber_ids": [second, first, second]])
            #expect(response.status == .created, "\(response.raw)")
            #expect(response["barber_ids"] as? [Int] == [first, second])
        }
    }

    @Test func theListShowsActiveServicesById() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let a = try await api.createService(adminToken: admin, name: "A")
            let b = try await api.createService(adminToken: admin, name: "B")
            let c = try await api.createService(adminToken: admin, name: "C")
            let hidden = try await api.send(.patch, "/api/v2/services/\(b)", token: admin, json: ["is_active": false])
            #expect(hidden.status == .ok)
            #expect(hidden["is_active"] as? Bool == false)

            let listed = try await api.send(.get, "/api/v2/services")
            #expect(listed.status == .ok)
            #expect(Set(listed.object.keys) == ["services"])
            #expect(listed.list("services").compactMap { $0["id"] as? Int } == [a, c])
            #expect(listed.list("services").allSatisfy { Set($0.keys) == Self.fields })

            _ = try await api.send(.patch, "/api/v2/services/\(b)", token: admin, json: ["is_active": true])
            #expect(try await api.send(.get, "/api/v2/services").list("services").compactMap { $0["id"] as? Int } == [a, b, c])
        }
    }

    @Test func anInactiveServiceHasNoSlotsAndCannotBeBooked() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let (barber, service) = try await api.setUpBarberAndService(adminToken: admin)
            _ = try await api.send(.patch, "/api/v2/services/\(service)", token: admin, json: ["is_active": false])
            #expect(try await api.slotStarts(service: service, date: "2027-03-03").isEmpty)
            let client = try await api.register("c@example.com")
            let refused = try await api.book(client.token, barber: barber, service: service, start: "2027-03-03T09:00:00-05:00")
            expectError(refused, .unprocessableContent, "validation_failed")
        }
    }

    @Test func patchingBarberIdsWithNullMeansEveryBarberAndLeavingItOutKeepsIt() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let first = try await api.createBarber(adminToken: admin)
            let second = try await api.createBarber(adminToken: admin)
            let service = try await api.createService(adminToken: admin, barberIDs: [first])

            let renamed = try await api.send(.patch, "/api/v2/services/\(service)", token: admin, json: ["name": "Skin fade", "price_cents": 3000])
            #expect(renamed.status == .ok, "\(renamed.raw)")
            #expect(Set(renamed.object.keys) == Self.fields)
            #expect(renamed["name"] as? String == "Skin fade")
            #expect(renamed["price_cents"] as? Int == 3000)
            #expect(renamed["duration_minutes"] as? Int == 30)
            #expect(renamed["barber_ids"] as? [Int] == [first])
            #expect(Set(try await api.slots(service: service, date: "2027-03-03").compactMap { $0["barber_id"] as? Int }) == [first])

            let everyone = try await api.send(.patch, "/api/v2/services/\(service)", token: admin, rawBody: #"{"barber_ids":null}"#)
            #expect(everyone.status == .ok, "\(everyone.raw)")
            #expect(everyone["barber_ids"] is NSNull)
            #expect(everyone["name"] as? String == "Skin fade")
            #expect(Set(try await api.slots(service: service, date: "2027-03-03").compactMap { $0["barber_id"] as? Int }) == [first, second])

            let onlySecond = try await api.send(.patch, "/api/v2/services/\(service)", token: admin, json: ["barber_ids": [second]])
            #expect(onlySecond["barber_ids"] as? [Int] == [second])
            let client = try await api.register("c@example.com")
            let refused = try await api.book(client.token, barber: first, service: service, start: "2027-03-03T09:00:00-05:00")
            expectError(refused, .unprocessableContent, "validation_failed")
        }
    }

    @Test func invalidValuesAre422() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let barber = try await api.createBarber(adminToken: admin)
            let bodies: [[String: Any]] = [
                ["name": "Zero", "duration_minutes": 0, "price_cents": 100],
                ["name": "Negative", "duration_minutes": -30, "price_cents": 100],
                ["name": "Too long", "duration_minutes": 1441, "price_cents": 100],
                ["name": "Cheap", "duration_minutes": 30, "price_cents": -1],
                ["name": "", "duration_minutes": 30, "price_cents": 100],
                ["name": "Ghost barber", "duration_minutes": 30, "price_cents": 100, "barber_ids": [barber, 999]],
            ]
            for body in bodies {
                expectError(try await api.send(.post, "/api/v2/services", token: admin, json: body), .unprocessableContent, "validation_failed")
            }
            #expect(try await api.send(.get, "/api/v2/services").list("services").isEmpty)

            let service = try await api.createService(adminToken: admin)
            for patch: [String: Any] in [["duration_minutes": 0], ["barber_ids": [999]], ["price_cents": -5]] {
                expectError(
                    try await api.send(.patch, "/api/v2/services/\(service)", token: admin, json: patch), .unprocessableContent,
                    "validation_failed")
            }
            let unchanged = try await api.send(.get, "/api/v2/services").list("services").first
            #expect(unchanged?["duration_minutes"] as? Int == 30)
            #expect(unchanged?["barber_ids"] is NSNull)
        }
    }

    @Test func badTypesAre400AndUnknownIdsAre404() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            for body in [#"{"name":"X","duration_minutes":"30","price_cents":100}"#, #"{"name":"X","price_cents":100}"#,
                         #"{"name":"X","duration_minutes":30,"price_cents":100,"barber_ids":"1"}"#] {
                expectError(try await api.send(.post, "/api/v2/services", token: admin, rawBody: body), .badRequest, "bad_request")
            }
            let service = try await api.createService(adminToken: admin)
            expectError(
                try await api.send(.patch, "/api/v2/services/\(service)", token: admin, rawBody: #"{"is_active":"false"}"#),
                .badRequest, "bad_request")
            for path in ["/api/v2/services/999", "/api/v2/services/abc"] {
                expectError(try await api.send(.patch, path, token: admin, json: ["name": "X"]), .notFound, "not_found")
            }
        }
    }

    @Test func clientsCannotCreateOrChangeServices() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let service = try await api.createService(adminToken: admin)
            let client = try await api.register("c@example.com")
            let body: [String: Any] = ["name": "Free", "duration_minutes": 30, "price_cents": 0]
            expectError(try await api.send(.post, "/api/v2/services", token: client.token, json: body), .forbidden, "forbidden")
            expectError(try await api.send(.post, "/api/v2/services", json: body), .unauthorized, "unauthorized")
            expectError(
                try await api.send(.patch, "/api/v2/services/\(service)", token: client.token, json: ["price_cents": 0]), .forbidden,
                "forbidden")
            #expect(try await api.send(.get, "/api/v2/services").list("services").map { $0["price_cents"] as? Int } == [2500])
        }
    }
}
