import BookingCore
import Foundation
import Hummingbird
import TestSupport
import Testing

/// `GET /api/v2/clients`, `GET` and `PATCH /api/v2/clients/{id}`: staff only, search and paging,
/// the record's stats, and private notes.
@Suite struct ClientRecordsEndpointTests {
    @Test func aClientRecordHasItsStatsAndNextAppointmentFromNow() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let barber = try await api.createBarber(adminToken: admin)
            let other = try await api.createBarber(adminToken: admin)
            let service = try await api.createService(adminToken: admin, price: 3000)
            let client = try await api.register("rec@example.com", name: "Rec Ord")
            var ids: [Int] = []
            for (barberID, start) in [
                (barber, "2027-03-03T10:00:00-05:00"), (other, "2027-03-04T10:00:00-05:00"), (barber, "2027-03-05T10:00:00-05:00"),
                (barber, "2027-03-06T10:00:00-05:00"), (other, "2027-03-10T10:00:00-05:00"), (barber, "2027-03-12T10:00:00-05:00"),
            ] {
                ids.append(try await api.book(client.token, barber: barberID, service: service, start: start).id)
            }
            #expect(try await api.send(.post, "/api/v2/appointments/\(ids[0])/complete", token: admin).status == .ok)
            #expect(try await api.send(.post, "/api/v2/appointments/\(ids[1])/complete", token: admin).status == .ok)
            #expect(try await api.send(.post, "/api/v2/appointments/\(ids[2])/no-show", token: admin).status == .ok)
            #expect(try await api.send(.post, "/api/v2/appointments/\(ids[3])/cancel", token: admin).status == .ok)
            harness.clock.set(RFC3339.parse("2027-03-08T12:00:00Z")!)
            let record = try await api.send(.get, "/api/v2/clients/\(client.id)", token: admin)
            #expect(record.status == .ok, "\(record.raw)")
            #expect(Set(record.object.keys) == ["id", "name", "email", "notes", "created_at", "stats"])
            #expect(record.id == client.id && record["name"] as? String == "Rec Ord" && record["email"] as? String == "rec@example.com")
            #expect(record["notes"] as? String == "")
            #expect(record["created_at"] as? String == "2027-03-01T07:00:00-05:00", "the clock when they registered")
            let stats = try #require(record["stats"] as? [String: Any])
            #expect(NSDictionary(dictionary: stats) == NSDictionary(dictionary: [
                "visits": 2, "no_shows": 1, "cancellations": 1, "lifetime_value_cents": 6000,
                "first_visit": "2027-03-03T10:00:00-05:00", "last_visit": "2027-03-04T10:00:00-05:00",
                "next_appointment": "2027-03-10T10:00:00-05:00",
            ]))
        }
    }

    @Test func aClientWithoutHistoryLeavesTheOptionalStatsOut() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let client = try await api.register("new@example.com")
            let record = try await api.send(.get, "/api/v2/clients/\(client.id)", token: admin)
            #expect(NSDictionary(dictionary: record["stats"] as? [String: Any] ?? [:]) == NSDictionary(dictionary: [
                "visits": 0, "no_shows": 0, "cancellations": 0, "lifetime_value_cents": 0,
            ]))
        }
    }

    @Test func staffSearchAndPageClientsByID() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            _ = try await api.createBarber(adminToken: admin, email: "own@shop.test")
            let barberToken = try await api.login("own@shop.test", "barber-password")
            let alice = try await api.register("alice@example.com", name: "Alice Smith")
            let bob = try await api.register("bob@Mail.example", name: "Bob")
            let phoned = try await api.send(.post, "/api/v2/auth/register", json: [
                "email": "carol@example.com", "password": "password123", "name": "Carol", "phone": "+1 555 0199",
            ])
            let carol = (phoned["user"] as? [String: Any])?["id"] as? Int ?? 0
            func ids(_ query: String, _ token: String) async throws -> [Int] {
                let response = try await api.send(.get, "/api/v2/clients" + query, token: token)
                #expect(response.status == .ok, "\(response.raw)")
                return response.list("clients").compactMap { $0["id"] as? Int }
            }
            #expect(try await ids("", admin) == [alice.id, bob.id, carol], "clients only, by id: no admin, no barber")
            #expect(try await ids("", barberToken) == [alice.id, bob.id, carol])
            #expect(try await ids("?q=SMITH", admin) == [alice.id], "name, case-insensitive")
            #expect(try await ids("?q=mail.EXAMPLE", admin) == [bob.id], "email")
            #expect(try await ids("?q=555%200199", admin) == [carol], "phone")
            #expect(try await ids("?q=nobody", admin) == [])
            #expect(try await ids("?limit=2", admin) == [alice.id, bob.id])
            #expect(try await ids("?limit=2&after_id=\(bob.id)", admin) == [carol])
            let listed = try await api.send(.get, "/api/v2/clients?q=carol", token: admin).list("clients").first ?? [:]
            #expect(listed["phone"] as? String == "+1 555 0199" && listed["stats"] != nil && listed["notes"] as? String == "")
            for query in ["?limit=0", "?limit=x", "?after_id=-1"] {
                expectError(try await api.send(.get, "/api/v2/clients" + query, token: admin), .badRequest, "bad_request")
            }
        }
    }

    @Test func clientsAre403OnEveryClientsRoute() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let client = try await api.register("c@example.com")
            expectError(try await api.send(.get, "/api/v2/clients", token: client.token), .forbidden, "forbidden")
            expectError(try await api.send(.get, "/api/v2/clients?limit=0", token: client.token), .forbidden, "forbidden")
            expectError(try await api.send(.get, "/api/v2/clients/abc", token: client.token), .forbidden, "forbidden")
            expectError(try await api.send(.get, "/api/v2/clients/\(client.id)", token: client.token), .forbidden, "forbidden")
            expectError(
                try await api.send(.patch, "/api/v2/clients/\(client.id)", token: client.token, json: ["notes": "mine"]),
                .forbidden, "forbidden")
            expectError(try await api.send(.get, "/api/v2/clients"), .unauthorized, "unauthorized")
        }
    }

    @Test func staffKeepPrivateNotes() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            _ = try await api.createBarber(adminToken: admin, email: "own@shop.test")
            let barberToken = try await api.login("own@shop.test", "barber-password")
            let client = try await api.register("c@example.com")
            let patched = try await api.send(.patch, "/api/v2/clients/\(client.id)", token: barberToken, json: ["notes": "No. 2 on the sides"])
            #expect(patched.status == .ok, "\(patched.raw)")
            #expect(patched["notes"] as? String == "No. 2 on the sides")
            #expect((try await api.send(.get, "/api/v2/clients/\(client.id)", token: admin))["notes"] as? String == "No. 2 on the sides")
            let longest = String(repeating: "é", count: 2000)
            #expect((try await api.send(.patch, "/api/v2/clients/\(client.id)", token: admin, json: ["notes": longest]))["notes"] as? String == longest)
            expectError(
                try await api.send(.patch, "/api/v2/clients/\(client.id)", token: admin, json: ["notes": longest + "x"]),
                .unprocessableContent, "validation_failed")
            expectError(try await api.send(.patch, "/api/v2/clients/\(client.id)", token: admin, json: [:] as [String: Any]), .badRequest, "bad_request")
            expectError(try await api.send(.patch, "/api/v2/clients/\(client.id)", token: admin, json: ["notes": 5]), .badRequest, "bad_request")
            expectError(try await api.send(.patch, "/api/v2/clients/\(client.id)", token: admin, rawBody: "{"), .badRequest, "bad_request")
            expectError(try await api.send(.patch, "/api/v2/clients/999", token: admin, json: ["notes": "x"]), .notFound, "not_found")
            expectError(try await api.send(.patch, "/api/v2/clients/1", token: admin, json: ["notes": "x"]), .notFound, "not_found")
            expectError(try await api.send(.get, "/api/v2/clients/1", token: admin), .notFound, "not_found")
            expectError(try await api.send(.get, "/api/v2/clients/abc", token: admin), .notFound, "not_found")
            #expect((try await api.send(.patch, "/api/v2/clients/\(client.id)", token: admin, json: ["notes": ""]))["notes"] as? String == "")
            let me = try await api.send(.get, "/api/v2/auth/me", token: client.token)
            #expect(!me.raw.contains("notes") && !me.raw.contains("sides"), "clients never see their notes")
        }
    }
}
