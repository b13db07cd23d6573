import Foundation
import Hummingbird
import Testing

/// `POST/GET/PATCH /api/v2/barbers[/{id}]`: creating barbers (with or without a login), the
/// public roster of active barbers, and the `Barber` fields.
@Suite struct BarberRosterTests {
    static let fields: Set<String> = ["id", "name", "is_active", "weekly", "buffer_minutes", "service_ids"]

    @Test func creatingABarberWithoutALoginAnswers201() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let created = try await api.send(.post, "/api/v2/barbers", token: admin, json: ["name": "Hal"])
            #expect(created.status == .created, "\(created.raw)")
            #expect(Set(created.object.keys) == Self.fields)
            #expect(created.id > 0)
            #expect(created["name"] as? String == "Hal")
            #expect(created["is_active"] as? Bool == true)
            #expect((created["weekly"] as? [String: Any])?.isEmpty == true)
            #expect(created["buffer_minutes"] as? Int == 0)
            #expect(created["service_ids"] as? [Int] == [])
            #expect(created["user_id"] == nil)
        }
    }

    @Test func withEmailAndPasswordABarberUserIsCreatedLinkedAndCanLogIn() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let created = try await api.send(
                .post, "/api/v2/barbers", token: admin, json: ["name": "Ivy", "email": "Ivy@Shop.test", "password": "ivy-password"])
            #expect(created.status == .created, "\(created.raw)")
            let userID = try #require(created["user_id"] as? Int)

            let login = try await api.send(.post, "/api/v2/auth/login", json: ["email": "ivy@shop.test", "password": "ivy-password"])
            #expect(login.status == .ok, "\(login.raw)")
            let user = try #require(login["user"] as? [String: Any])
            #expect(user["role"] as? String == "barber")
            #expect(user["id"] as? Int == userID)
            #expect(user["name"] as? String == "Ivy")
            let me = try await api.send(.get, "/api/v2/auth/me", token: login["token"] as? String)
            #expect(me["role"] as? String == "barber")
        }
    }

    @Test func anEmailWithoutPasswordOrAPasswordWithoutEmailIs422() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            for body: [String: Any] in [["name": "Jo", "email": "jo@shop.test"], ["name": "Jo", "password": "jo-password"]] {
                expectError(
                    try await api.send(.post, "/api/v2/barbers", token: admin, json: body), .unprocessableContent, "validation_failed")
            }
            #expect(try await api.send(.get, "/api/v2/barbers").list("barbers").isEmpty)
        }
    }

    @Test func aBarberLoginWithATakenEmailIs409AndCreatesNoBarber() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            _ = try await api.register("kim@example.com")
            let response = try await api.send(
                .post, "/api/v2/barbers", token: admin, json: ["name": "Kim", "email": "KIM@example.com", "password": "kim-password"])
            expectError(response, .conflict, "email_taken")
            #expect(try await api.send(.get, "/api/v2/barbers").list("barbers").isEmpty)
        }
    }

    @Test func invalidBarberFieldsAre422Or400() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            expectError(try await api.send(.post, "/api/v2/barbers", token: admin, json: ["name": " "]), .unprocessableContent, "validation_failed")
            expectError(
                try await api.send(.post, "/api/v2/barbers", token: admin, json: ["name": "Lu", "email": "lu@shop.test", "password": "short"]),
                .unprocessableContent, "validation_failed")
            expectError(try await api.send(.post, "/api/v2/barbers", token: admin, json: [String: Any]()), .badRequest, "bad_request")
            expectError(try await api.send(.post, "/api/v2/barbers", token: admin, json: ["name": 7]), .badRequest, "bad_request")
        }
    }

    @Test func theRosterListsActiveBarbersByIdAndGetShowsAnyOne() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            var ids: [Int] = []
            for name in ["Ann", "Ben", "Cal", "Dee"] { ids.append(try await api.createBarber(adminToken: admin, name: name, hours: nil)) }
            #expect(ids == ids.sorted())

            let off = try await api.send(.patch, "/api/v2/barbers/\(ids[1])", token: admin, json: ["is_active": false])
            #expect(off.status == .ok, "\(off.raw)")
            #expect(off["is_active"] as? Bool == false)
            #expect(off["name"] as? String == "Ben")

            let listed = try await api.send(.get, "/api/v2/barbers")
            #expect(listed.status == .ok)
            #expect(Set(listed.object.keys) == ["barbers"])
            #expect(listed.list("barbers").compactMap { $0["id"] as? Int } == [ids[0], ids[2], ids[3]])
            #expect(listed.list("barbers").compactMap { $0["name"] as? String } == ["Ann", "Cal", "Dee"])

            let inactive = try await api.send(.get, "/api/v2/barbers/\(ids[1])")
            #expect(inactive.status == .ok)
            #expect(inactive["is_active"] as? Bool == false)

            let back = try await api.send(.patch, "/api/v2/barbers/\(ids[1])", token: admin, json: ["is_active": true, "name": "Benny"])
            #expect(back["is_active"] as? Bool == true)
            #expect(back["name"] as? String == "Benny")
            #expect(try await api.send(.get, "/api/v2/barbers").list("barbers").compactMap { $0["id"] as? Int } == ids)
        }
    }

    @Test func patchingOnlyTheNameKeepsEverythingElse() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let id = try await api.createBarber(adminToken: admin, name: "Eve", buffer: 10)
            let before = try await api.send(.get, "/api/v2/barbers/\(id)")
            let renamed = try await api.send(.patch, "/api/v2/barbers/\(id)", token: admin, json: ["name": "Evelyn"])
            #expect(renamed.status == .ok)
            #expect(renamed["name"] as? String == "Evelyn")
            #expect(renamed["is_active"] as? Bool == true)
            #expect(renamed["buffer_minutes"] as? Int == 10)
            #expect(NSDictionary(dictionary: renamed["weekly"] as? [String: Any] ?? [:])
                .isEqual(to: before["weekly"] as? [String: Any] ?? ["missing": true]))
            let got = try await api.send(.get, "/api/v2/barbers/\(id)")
            #expect(got.canonical == renamed.canonical)
            expectError(
                try await api.send(.patch, "/api/v2/barbers/\(id)", token: admin, json: ["name": ""]), .unprocessableContent,
                "validation_failed")
            expectError(
                try await api.send(.patch, "/api/v2/barbers/\(id)", token: admin, json: ["is_active": "no"]), .badRequest, "bad_request")
        }
    }

    @Test func unknownAndNonNumericIdsAre404() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            _ = try await api.createBarber(adminToken: admin, hours: nil)
            for path in ["/api/v2/barbers/999", "/api/v2/barbers/abc", "/api/v2/barbers/0", "/api/v2/barbers/-1"] {
                expectError(try await api.send(.get, path), .notFound, "not_found")
                expectError(try await api.send(.patch, path, token: admin, json: ["name": "X"]), .notFound, "not_found")
            }
            expectError(
                try await api.send(.put, "/api/v2/barbers/999/schedule", token: admin, json: ["weekly": [String: Any]()]),
                .notFound, "not_found")
        }
    }

    @Test func serviceIdsListTheActiveServicesTheBarberOffers() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let first = try await api.createBarber(adminToken: admin, hours: nil)
            let second = try await api.createBarber(adminToken: admin, hours: nil)
            let everyone = try await api.createService(adminToken: admin, name: "Everyone")
            let onlyFirst = try await api.createService(adminToken: admin, name: "Only first", barberIDs: [first])
            let retired = try await api.createService(adminToken: admin, name: "Retired")
            _ = try await api.send(.patch, "/api/v2/services/\(retired)", token: admin, json: ["is_active": false])

            #expect(try await api.send(.get, "/api/v2/barbers/\(first)")["service_ids"] as? [Int] == [everyone, onlyFirst])
            #expect(try await api.send(.get, "/api/v2/barbers/\(second)")["service_ids"] as? [Int] == [everyone])
            // A barber added later gets the services offered by every barber.
            let third = try await api.createBarber(adminToken: admin, hours: nil)
            #expect(try await api.send(.get, "/api/v2/barbers/\(third)")["service_ids"] as? [Int] == [everyone])
            let listed = try await api.send(.get, "/api/v2/barbers").list("barbers")
            #expect(listed.map { $0["service_ids"] as? [Int] ?? [-1] } == [[everyone, onlyFirst], [everyone], [everyone]])

            _ = try await api.send(.patch, "/api/v2/services/\(onlyFirst)", token: admin, json: ["barber_ids": [second]])
            #expect(try await api.send(.get, "/api/v2/barbers/\(first)")["service_ids"] as? [Int] == [everyone])
            #expect(try await api.send(.get, "/api/v2/barbers/\(second)")["service_ids"] as? [Int] == [everyone, onlyFirst])
        }
    }
}
