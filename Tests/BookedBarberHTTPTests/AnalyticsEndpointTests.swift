import Foundation
import Hummingbird
import Testing

/// `GET /api/v2/analytics/summary` and `/daily.csv`: every field of the contract for a small day
/// worked out by hand, the role rules, and 400 for bad ranges.
@Suite struct AnalyticsEndpointTests {
    /// Barber 1 (login own@shop.test) and barber 2 work 09:00-17:00; one 30-minute service at
    /// 2,500 cents. On Wednesday 2027-03-03 (New York): client A at 10:00 with barber 1
    /// (completed), A at 11:00 with barber 2 (confirmed), B at 12:00 with barber 1 (cancelled).
    struct Day {
        var admin: String
        var barberToken: String
        var clientToken: String
        var barbers: (Int, Int)
        var service: Int
    }

    func setUp(_ api: APIClient) async throws -> Day {
        let admin = try await api.adminToken()
        let first = try await api.createBarber(adminToken: admin, email: "own@shop.test")
        let second = try await api.createBarber(adminToken: admin)
        let service = try await api.createService(adminToken: admin)
        let a = try await api.register("a@example.com")
        let b = try await api.register("b@example.com")
        let done = try await api.book(a.token, barber: first, service: service, start: "2027-03-03T10:00:00-05:00")
        _ = try await api.book(a.token, barber: second, service: service, start: "2027-03-03T11:00:00-05:00")
        let cancelled = try await api.book(b.token, barber: first, service: service, start: "2027-03-03T12:00:00-05:00")
        #expect(try await api.send(.post, "/api/v2/appointments/\(done.id)/complete", token: admin).status == .ok)
        #expect(try await api.send(.post, "/api/v2/appointments/\(cancelled.id)/cancel", token: admin).status == .ok)
        return Day(admin: admin, barberToken: try await api.login("own@shop.test", "barber-password"), clientToken: a.token,
                   barbers: (first, second), service: service)
    }

    @Test func summaryOfADayHasEveryFieldAsDefined() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let day = try await setUp(api)
            let response = try await api.send(.get, "/api/v2/analytics/summary?from=2027-03-03&to=2027-03-03", token: day.admin)
            #expect(response.status == .ok, "\(response.raw)")
            #expect(Set(response.object.keys) == ["from", "to", "time_zone", "totals", "days", "barbers", "services", "hours"])
            #expect(response["from"] as? String == "2027-03-03" && response["to"] as? String == "2027-03-03")
            #expect(response["time_zone"] as? String == "America/New_York")
            let totals = try #require(response["totals"] as? [String: Any])
            let expected: [String: Any] = [
                "appointments": 3, "confirmed": 1, "completed": 1, "cancelled": 1, "no_show": 0,
                "revenue_booked_cents": 5000, "revenue_completed_cents": 2500, "average_ticket_cents": 2500,
                "cancellation_rate": 0.3333, "no_show_rate": 0, "new_clients": 1, "returning_clients": 0,
                "rebooking_rate": 1, "booked_minutes": 60, "working_minutes": 960, "utilisation": 0.0625,
            ]
            #expect(Set(totals.keys) == Set(expected.keys))
            for (key, value) in expected {
                #expect((totals[key] as? NSNumber)?.doubleValue == (value as? NSNumber)?.doubleValue, "totals.\(key): \(totals[key] ?? "missing")")
            }
            let days = response.list("days")
            #expect(days.count == 1)
            #expect(days.first.map { NSDictionary(dictionary: $0) } == NSDictionary(dictionary: [
                "date": "2027-03-03", "appointments": 3, "completed": 1, "cancelled": 1, "no_show": 0,
                "revenue_booked_cents": 5000, "revenue_completed_cents": 2500,
            ]))
            let barbers = response.list("barbers")
            #expect(barbers.map { NSDictionary(dictionary: $0) } == [
                NSDictionary(dictionary: [
                    "barber_id": day.barbers.0, "appointments": 2, "completed": 1, "no_show": 0, "revenue_completed_cents": 2500,
                    "booked_minutes": 30, "working_minutes": 480, "utilisation": 0.0625,
                ]),
                NSDictionary(dictionary: [
                    "barber_id": day.barbers.1, "appointments": 1, "completed": 0, "no_show": 0, "revenue_completed_cents": 0,
                    "booked_minutes": 30, "working_minutes": 480, "utilisation": 0.0625,
                ]),
            ])
            #expect(response.list("services").map { NSDictionary(dictionary: $0) } == [
                NSDictionary(dictionary: ["service_id": day.service, "appointments": 3, "revenue_completed_cents": 2500])
            ])
            let hours = try #require(response["hours"] as? [[Int]])
            #expect(hours.count == 7 && hours.allSatisfy { $0.count == 24 })
            var expectedHours = [[Int]](repeating: [Int](repeating: 0, count: 24), count: 7)
            expectedHours[2][10] = 1  // Wednesday, monday first
            expectedHours[2][11] = 1
            #expect(hours == expectedHours, "the cancelled 12:00 is not live")
        }
    }

    @Test func aBarberGetsTheirOwnFiguresWhateverBarberIDSays() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let day = try await setUp(api)
            for query in ["", "&barber_id=\(day.barbers.1)"] {
                let response = try await api.send(
                    .get, "/api/v2/analytics/summary?from=2027-03-01&to=2027-03-07" + query, token: day.barberToken)
                #expect(response.status == .ok, "\(response.raw)")
                let totals = response["totals"] as? [String: Any] ?? [:]
                #expect(totals["appointments"] as? Int == 2 && totals["working_minutes"] as? Int == 7 * 480)
                #expect(totals["rebooking_rate"] as? Int == 0, "the rebooking was with the other barber")
                #expect(response.list("barbers").compactMap { $0["barber_id"] as? Int } == [day.barbers.0])
                #expect(response.list("days").count == 7)
            }
            let other = try await api.send(
                .get, "/api/v2/analytics/summary?from=2027-03-03&to=2027-03-03&barber_id=\(day.barbers.1)", token: day.admin)
            #expect((other["totals"] as? [String: Any])?["appointments"] as? Int == 1)
            #expect(other.list("barbers").compactMap { $0["barber_id"] as? Int } == [day.barbers.1])
            expectError(
                try await api.send(.get, "/api/v2/analytics/summary?from=2027-03-03&to=2027-03-03&barber_id=99", token: day.admin),
                .notFound, "not_found")
        }
    }

    @Test func clientsAre403AndStrangers401() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let day = try await setUp(api)
            for path in ["/api/v2/analytics/summary", "/api/v2/analytics/daily.csv"] {
                expectError(try await api.send(.get, path + "?from=2027-03-03&to=2027-03-03", token: day.clientToken), .forbidden, "forbidden")
                expectError(try await api.send(.get, path + "?from=2027-03-03&to=2027-03-03"), .unauthorized, "unauthorized")
            }
        }
    }

    @Test(arguments: [
        "", "?from=2027-03-03", "?to=2027-03-03", "?from=2027-02-30&to=2027-03-03", "?from=2027-03-03&to=03/04/2027",
        "?from=2027-03-04&to=2027-03-03", "?from=2027-01-01&to=2028-01-02", "?from=2027-03-03&to=2027-03-03&barber_id=x",
        "?from=2027-03-03&to=2027-03-03&barber_id=0",
    ])
    func badRangesAre400(_ query: String) async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            expectError(try await api.send(.get, "/api/v2/analytics/summary" + query, token: admin), .badRequest, "bad_request")
            expectError(try await api.send(.get, "/api/v2/analytics/daily.csv" + query, token: admin), .badRequest, "bad_request")
        }
    }

    @Test func rangesAtTheirBoundsAreServed() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let day = try await setUp(api)
            let year = try await api.send(.get, "/api/v2/analytics/summary?from=2027-01-01&to=2028-01-01", token: day.admin)
            #expect(year.status == .ok, "\(year.raw)")
            #expect(year.list("days").count == 366)
            #expect(year.list("days").first?["date"] as? String == "2027-01-01" && year.list("days").last?["date"] as? String == "2028-01-01")
            #expect((year["totals"] as? [String: Any])?["appointments"] as? Int == 3)
            let before = try await api.send(.get, "/api/v2/analytics/summary?from=2027-03-02&to=2027-03-02", token: day.admin)
            let after = try await api.send(.get, "/api/v2/analytics/summary?from=2027-03-04&to=2027-03-04", token: day.admin)
            for response in [before, after] {
                let totals = response["totals"] as? [String: Any] ?? [:]
                #expect(totals["appointments"] as? Int == 0 && totals["average_ticket_cents"] as? Int == 0)
                #expect(totals["cancellation_rate"] as? Int == 0 && totals["rebooking_rate"] as? Int == 0)
                #expect(response.list("services").isEmpty)
            }
        }
    }

    @Test func dailyCSVHasTheNumbersOfDays() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let day = try await setUp(api)
            let csv = try await api.send(.get, "/api/v2/analytics/daily.csv?from=2027-03-02&to=2027-03-04", token: day.admin)
            #expect(csv.status == .ok)
            #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(csv.raw == [
                "date,appointments,completed,cancelled,no_show,revenue_booked_cents,revenue_completed_cents",
                "2027-03-02,0,0,0,0,0,0", "2027-03-03,3,1,1,0,5000,2500", "2027-03-04,0,0,0,0,0,0", "",
            ].joined(separator: "\r\n"))
            let own = try await api.send(.get, "/api/v2/analytics/daily.csv?from=2027-03-03&to=2027-03-03", token: day.barberToken)
            #expect(own.raw.split(separator: "\r\n").last == "2027-03-03,2,1,1,0,2500,2500")
        }
    }
}
