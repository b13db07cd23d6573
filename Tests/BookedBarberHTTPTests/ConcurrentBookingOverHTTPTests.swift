import Foundation
import Hummingbird
import Testing

/// "Two requests for overlapping intervals of one barber never both succeed, however concurrent",
/// through the whole HTTP stack.
@Suite struct ConcurrentBookingOverHTTPTests {
    @Test func aHundredConcurrentRequestsForOneSlotBookItExactlyOnce() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let (barber, service) = try await api.setUpBarberAndService(adminToken: admin)
            let clients = try await api.registerClients(100, prefix: "rush")
            let outcomes = try await withThrowingTaskGroup(of: (HTTPResponse.Status, String?, Int).self) { group in
                for client in clients {
                    group.addTask {
                        let response = try await api.book(client.token, barber: barber, service: service, start: "2027-03-03T10:00:00-05:00")
                        return (response.status, response.errorCode, response.id)
                    }
                }
                return try await group.reduce(into: [(HTTPResponse.Status, String?, Int)]()) { $0.append($1) }
            }
            #expect(outcomes.count == 100)
            #expect(outcomes.filter { $0.0 == .created }.count == 1)
            #expect(outcomes.filter { $0.0 == .conflict && $0.1 == "slot_taken" }.count == 99)
            let winner = try #require(outcomes.first { $0.0 == .created })
            let all = try await api.send(.get, "/api/v2/appointments", token: admin).list("appointments")
            #expect(all.compactMap { $0["id"] as? Int } == [winner.2])
            #expect(!(try await api.slotStarts(service: service, date: "2027-03-03", barber: barber)).contains("2027-03-03T10:00:00-05:00"))
        }
    }

    @Test func concurrentOverlappingRequestsAtDifferentStartsNeverBothSucceed() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let (barber, service) = try await api.setUpBarberAndService(adminToken: admin)
            let clients = try await api.registerClients(40, prefix: "overlap")
            let starts = ["10:00", "10:15", "10:30", "10:45"]
            let created = try await withThrowingTaskGroup(of: Bool.self) { group in
                for (index, client) in clients.enumerated() {
                    group.addTask {
                        let start = "2027-03-03T\(starts[index % starts.count]):00-05:00"
                        return try await api.book(client.token, barber: barber, service: service, start: start).status == .created
                    }
                }
                return try await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
            }
            let all = try await api.send(.get, "/api/v2/appointments", token: admin).list("appointments")
            #expect(all.count == created)
            // At most two 30-minute appointments fit between 10:00 and 11:15 without overlapping.
            #expect((1...2).contains(created))
            let intervals = all.compactMap { a -> (String, String)? in
                guard let s = a["start"] as? String, let e = a["end"] as? String else { return nil }
                return (s, e)
            }.sorted { $0.0 < $1.0 }
            for (a, b) in zip(intervals, intervals.dropFirst()) { #expect(a.1 <= b.0, "\(a) overlaps \(b)") }
        }
    }
}
