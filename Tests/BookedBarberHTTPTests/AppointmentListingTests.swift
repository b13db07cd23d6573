import Foundation
import Hummingbird
import Testing

/// `GET /api/v2/appointments`: who sees what, the `from`/`to`/`barber_id`/`status` filters, and
/// paging with `limit` and `after_id`.
@Suite struct AppointmentListingTests {
    /// Two barbers (the first with a login), two clients, and appointments:
    /// a = alice with barber 1 on 03-03 09:00, b = bob with barber 1 on 03-03 10:00,
    /// c = alice with barber 2 on 03-03 09:30, d = bob with barber 2 on 03-04 09:00.
    struct Shop {
        var admin: String
        var barberToken: String
        var barbers: [Int]
        var alice: (token: String, id: Int)
        var bob: (token: String, id: Int)
        var a: Int, b: Int, c: Int, d: Int
    }

    private func withShop(_ body: @Sendable (APIClient, Shop) async throws -> Void) async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let first = try await api.createBarber(adminToken: admin, email: "first@shop.test")
            let second = try await api.createBarber(adminToken: admin)
            let service = try await api.createService(adminToken: admin)
            let alice = try await api.register("alice@example.com")
            let bob = try await api.register("bob@example.com")
            func book(_ client: (token: String, id: Int), _ barber: Int, _ start: String) async throws -> Int {
                let response = try await api.book(client.token, barber: barber, service: service, start: start)
                #expect(response.status == .created, "\(response.raw)")
                return response.id
            }
            let a = try await book(alice, first, "2027-03-03T09:00:00-05:00")
            let b = try await book(bob, first, "2027-03-03T10:00:00-05:00")
            let c = try await book(alice, second, "2027-03-03T09:30:00-05:00")
            let d = try await book(bob, second, "2027-03-04T09:00:00-05:00")
            let shop = Shop(
                admin: admin, barberToken: try await api.login("first@shop.test", "barber-password"), barbers: [first, second],
                alice: alice, bob: bob, a: a, b: b, c: c, d: d)
            try await body(api, shop)
        }
    }

    @Test func theAnswerIsAnObjectWithAppointmentsInStartOrder() async throws {
        try await withShop { api, shop async throws in
            let response = try await api.send(.get, "/api/v2/appointments", token: shop.admin)
            #expect(response.status == .ok)
            #expect(Set(response.object.keys) == ["appointments"])
            #expect(response.list("appointments").allSatisfy { BookingRequestTests.fields.isSubset(of: Set($0.keys).union(["notes"])) })
            #expect(response.list("appointments").compactMap { $0["id"] as? Int } == [shop.a, shop.c, shop.b, shop.d])
        }
    }

    @Test func aClientSeesOnlyTheirOwn() async throws {
        try await withShop { api, shop async throws in
            #expect(try await api.listedIDs(shop.alice.token) == [shop.a, shop.c])
            #expect(try await api.listedIDs(shop.bob.token) == [shop.b, shop.d])
            let carol = try await api.register("carol@example.com")
            #expect(try await api.listedIDs(carol.token).isEmpty)
            #expect(try await api.listedIDs(shop.alice.token, "barber_id=\(shop.barbers[1])") == [shop.c])
        }
    }

    @Test func aBarberSeesOnlyTheirOwnCalendar() async throws {
        try await withShop { api, shop async throws in
            #expect(try await api.listedIDs(shop.barberToken) == [shop.a, shop.b])
            #expect(try await api.listedIDs(shop.barberToken, "barber_id=\(shop.barbers[0])") == [shop.a, shop.b])
            let other = try await api.send(.get, "/api/v2/appointments?barber_id=\(shop.barbers[1])", token: shop.barberToken)
            expectError(other, .forbidden, "forbidden")
        }
    }

    @Test func anAdminSeesAllAndMayFilterByBarber() async throws {
        try await withShop { api, shop async throws in
            #expect(try await api.listedIDs(shop.admin) == [shop.a, shop.c, shop.b, shop.d])
            #expect(try await api.listedIDs(shop.admin, "barber_id=\(shop.barbers[1])") == [shop.c, shop.d])
        }
    }

    @Test func listingNeedsAToken() async throws {
        try await withShop { api, _ async throws in
            expectError(try await api.send(.get, "/api/v2/appointments"), .unauthorized, "unauthorized")
        }
    }

    @Test func fromAndToSelectAppointmentsOverlappingTheHalfOpenRange() async throws {
        try await withShop { api, shop async throws in
            // Dates are shop-local midnights.
            #expect(try await api.listedIDs(shop.admin, "from=2027-03-03&to=2027-03-04") == [shop.a, shop.c, shop.b])
            #expect(try await api.listedIDs(shop.admin, "from=2027-03-04") == [shop.d])
            #expect(try await api.listedIDs(shop.admin, "to=2027-03-03").isEmpty)
            #expect(try await api.listedIDs(shop.admin, "from=2027-03-05").isEmpty)
            // Instants: a (09:00-09:30) overlaps [09:15, 09:30); c starts at 09:30 and is out.
            #expect(try await api.listedIDs(shop.admin, "from=2027-03-03T09:15:00-05:00&to=2027-03-03T09:30:00-05:00") == [shop.a])
            // An appointment ending exactly at `from` is out; one starting exactly at `to` is out.
            #expect(try await api.listedIDs(shop.admin, "from=2027-03-03T14:30:00Z&to=2027-03-03T15:00:00Z") == [shop.c])
            #expect(try await api.listedIDs(shop.admin, "from=2027-03-03T15:00:00%2B00:00&to=2027-03-03T15:30:00%2B00:00") == [shop.b])
            #expect(try await api.listedIDs(shop.alice.token, "from=2027-03-03T09:20:00-05:00") == [shop.a, shop.c])
            #expect(try await api.listedIDs(shop.barberToken, "to=2027-03-03T10:00:00-05:00") == [shop.a])
        }
    }

    @Test func theStatusFilterSelectsOneStatus() async throws {
        try await withShop { api, shop async throws in
            #expect(try await api.send(.post, "/api/v2/appointments/\(shop.b)/cancel", token: shop.admin).status == .ok)
            #expect(try await api.send(.post, "/api/v2/appointments/\(shop.a)/complete", token: shop.admin).status == .ok)
            #expect(try await api.send(.post, "/api/v2/appointments/\(shop.c)/no-show", token: shop.admin).status == .ok)
            #expect(try await api.listedIDs(shop.admin, "status=cancelled") == [shop.b])
            #expect(try await api.listedIDs(shop.admin, "status=completed") == [shop.a])
            #expect(try await api.listedIDs(shop.admin, "status=no_show") == [shop.c])
            #expect(try await api.listedIDs(shop.admin, "status=confirmed") == [shop.d])
            #expect(try await api.listedIDs(shop.bob.token, "status=cancelled") == [shop.b])
            // Without a status filter cancelled ones are listed too.
            #expect(try await api.listedIDs(shop.admin) == [shop.a, shop.c, shop.b, shop.d])
        }
    }

    @Test(arguments: [
        "status=canceled", "status=CONFIRMED", "status=", "from=yesterday", "from=2027-03-03T09:00:00", "to=2027-13-01",
        "barber_id=abc", "limit=0", "limit=-1", "limit=ten", "after_id=x", "after_id=0",
    ])
    func malformedQueryParametersAre400(query: String) async throws {
        try await withShop { api, shop async throws in
            expectError(try await api.send(.get, "/api/v2/appointments?\(query)", token: shop.admin), .badRequest, "bad_request")
        }
    }
}
