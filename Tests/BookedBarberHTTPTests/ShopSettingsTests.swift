import Foundation
import Hummingbird
import Testing

/// `GET /api/v2/shop` (public) and `PATCH /api/v2/shop` (admin, any subset of the fields).
@Suite struct ShopSettingsTests {
    static let fields: Set<String> = [
        "name", "time_zone", "slot_interval_minutes", "min_notice_minutes", "max_advance_days", "cancellation_cutoff_minutes",
        "waitlist_hold_minutes",
    ]

    @Test func aFreshShopHasTheContractsDefaults() async throws {
        let harness = try await APIHarness.make(timeZone: nil)
        try await harness.run { api in
            let shop = try await api.send(.get, "/api/v2/shop")
            #expect(shop.status == .ok)
            #expect(Set(shop.object.keys) == Self.fields)
            #expect(shop["name"] as? String == "BookedBarber")
            #expect(shop["time_zone"] as? String == "UTC")
            #expect(shop["slot_interval_minutes"] as? Int == 15)
            #expect(shop["min_notice_minutes"] as? Int == 60)
            #expect(shop["max_advance_days"] as? Int == 90)
            #expect(shop["cancellation_cutoff_minutes"] as? Int == 120)
        }
    }

    @Test func anAdminPatchesAnySubsetAndTheRestIsKept() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let first = try await api.send(.patch, "/api/v2/shop", token: admin, json: ["name": "Sharp Cuts", "min_notice_minutes": 30])
            #expect(first.status == .ok, "\(first.raw)")
            #expect(Set(first.object.keys) == Self.fields)
            #expect(first["name"] as? String == "Sharp Cuts")
            #expect(first["min_notice_minutes"] as? Int == 30)
            #expect(first["time_zone"] as? String == "America/New_York")
            #expect(first["slot_interval_minutes"] as? Int == 15)

            let second = try await api.send(
                .patch, "/api/v2/shop", token: admin,
                json: ["time_zone": "Europe/Paris", "slot_interval_minutes": 20, "max_advance_days": 30,
                       "cancellation_cutoff_minutes": 0])
            #expect(second.status == .ok, "\(second.raw)")
            let shop = try await api.send(.get, "/api/v2/shop")
            #expect(shop.canonical == second.canonical)
            #expect(shop["name"] as? String == "Sharp Cuts")
            #expect(shop["min_notice_minutes"] as? Int == 30)
            #expect(shop["time_zone"] as? String == "Europe/Paris")
            #expect(shop["slot_interval_minutes"] as? Int == 20)
            #expect(shop["max_advance_days"] as? Int == 30)
            #expect(shop["cancellation_cutoff_minutes"] as? Int == 0)

            let empty = try await api.send(.patch, "/api/v2/shop", token: admin, json: [String: Any]())
            #expect(empty.status == .ok)
            #expect(empty.canonical == second.canonical)
        }
    }

    @Test func theShopsTimeZoneIsTheOffsetOfEveryAnswer() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            _ = try await api.send(.patch, "/api/v2/shop", token: admin, json: ["time_zone": "Asia/Tokyo"])
            let (_, service) = try await api.setUpBarberAndService(adminToken: admin)
            let slots = try await api.send(.get, "/api/v2/appointments/slots?service_id=\(service)&date=2027-03-03")
            #expect(slots["time_zone"] as? String == "Asia/Tokyo")
            #expect(slots.list("slots").first?["start"] as? String == "2027-03-03T09:00:00+09:00")
        }
    }

    @Test(arguments: ["Mars/Olympus_Mons", "EST5EDT-ish", "", "america/new_york"])
    func anUnknownTimeZoneIs422(zone: String) async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            expectError(
                try await api.send(.patch, "/api/v2/shop", token: admin, json: ["time_zone": zone]), .unprocessableContent,
                "validation_failed")
            #expect((try await api.send(.get, "/api/v2/shop"))["time_zone"] as? String == "America/New_York")
        }
    }

    @Test(arguments: 0..<5)
    func outOfRangeValuesAre422(index: Int) async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let bodies: [[String: Any]] = [
                ["slot_interval_minutes": 0], ["max_advance_days": 0], ["min_notice_minutes": -1], ["name": ""],
                ["cancellation_cutoff_minutes": -5],
            ]
            let admin = try await api.adminToken()
            let before = try await api.send(.get, "/api/v2/shop").canonical
            expectError(
                try await api.send(.patch, "/api/v2/shop", token: admin, json: bodies[index]), .unprocessableContent,
                "validation_failed")
            #expect(try await api.send(.get, "/api/v2/shop").canonical == before)
        }
    }

    @Test(arguments: [
        #"{"slot_interval_minutes":"15"}"#, #"{"name":42}"#, #"{"time_zone":["UTC"]}"#, #"{"max_advance_days":1.5}"#,
        #"{"min_notice_minutes":null,"name":"#, "[]", "not json",
    ])
    func badTypesAre400(body: String) async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            expectError(try await api.send(.patch, "/api/v2/shop", token: admin, rawBody: body), .badRequest, "bad_request")
        }
    }

    @Test func aClientPatchIs403AndNoTokenIs401() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let client = try await api.register("c@example.com")
            expectError(try await api.send(.patch, "/api/v2/shop", token: client.token, json: ["name": "X"]), .forbidden, "forbidden")
            expectError(try await api.send(.patch, "/api/v2/shop", json: ["name": "X"]), .unauthorized, "unauthorized")
            #expect((try await api.send(.get, "/api/v2/shop"))["name"] as? String == "BookedBarber")
        }
    }
}
