import Foundation
import Hummingbird
import Testing

/// Paging `GET /api/v2/appointments` with `limit` and `after_id` returns every appointment once,
/// in (start, id) order.
@Suite struct AppointmentPagingTests {
    @Test func pagesOfTenWalkThrough25AppointmentsInStartThenIdOrder() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let barbers = [
                try await api.createBarber(adminToken: admin), try await api.createBarber(adminToken: admin),
                try await api.createBarber(adminToken: admin),
            ]
            let service = try await api.createService(adminToken: admin)
            let client = try await api.register("pager@example.com")
            // Booked out of order, with equal starts on different barbers so the id breaks ties.
            var expected: [(start: String, id: Int)] = []
            let times = ["15:00", "09:00", "12:30", "10:00", "16:00", "11:00", "09:30", "14:00"]
            for index in 0..<25 {
                let barber = barbers[index % 3]
                let start = "2027-03-0\(3 + index % 2)T\(times[index / 6]):00-05:00"
                let response = try await api.book(admin, barber: barber, service: service, start: start, clientID: client.id)
                #expect(response.status == .created, "\(index) \(start): \(response.raw)")
                expected.append((start, response.id))
            }
            let order = expected.sorted { ($0.start, $0.id) < ($1.start, $1.id) }.map(\.id)

            for token in [admin, client.token] {
                var seen: [Int] = []
                var cursor: Int?
                var pages = 0
                while true {
                    let query = "limit=10" + (cursor.map { "&after_id=\($0)" } ?? "")
                    let page = try await api.listedIDs(token, query)
                    #expect(page.count <= 10)
                    if page.isEmpty { break }
                    pages += 1
                    seen += page
                    cursor = page.last
                    if pages > 5 { break }
                }
                #expect(pages == 3)
                #expect(seen == order)
                #expect(Set(seen).count == 25)
            }
            #expect(try await api.listedIDs(admin, "limit=7") == Array(order.prefix(7)))
            #expect(try await api.listedIDs(admin, "after_id=\(order[20])") == Array(order.suffix(4)))
            #expect(try await api.listedIDs(admin, "limit=100").count == 25)
            #expect(try await api.listedIDs(admin, "after_id=\(order[24])").isEmpty)
        }
    }

    @Test func pagingCombinesWithFilters() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let (barber, service) = try await api.setUpBarberAndService(adminToken: admin)
            let client = try await api.register("c@example.com")
            var ids: [Int] = []
            for hour in 9...16 {
                let response = try await api.book(admin, barber: barber, service: service, start: "2027-03-03T\(String(format: "%02d", hour)):00:00-05:00", clientID: client.id)
                ids.append(response.id)
            }
            _ = try await api.send(.post, "/api/v2/appointments/\(ids[2])/cancel", token: admin)
            let confirmed = ids.filter { $0 != ids[2] }
            let first = try await api.listedIDs(admin, "status=confirmed&limit=3")
            #expect(first == Array(confirmed.prefix(3)))
            let second = try await api.listedIDs(admin, "status=confirmed&limit=3&after_id=\(first.last ?? 0)")
            #expect(second == Array(confirmed[3..<6]))
            let windowed = try await api.listedIDs(admin, "from=2027-03-03T12:00:00-05:00&limit=2")
            #expect(windowed == [ids[3], ids[4]])
        }
    }
}
