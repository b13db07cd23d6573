import BookingCore
import Foundation
import Hummingbird
import TestSupport
import Testing

/// `Idempotency-Key` on `POST /api/v2/appointments`: a repeat by the same user returns the first
/// answer (same status, same body) and books nothing more.
@Suite struct IdempotencyKeyTests {
    static let start = "2027-03-03T10:00:00-05:00"

    @Test func aRepeatBySameUserReturnsTheFirstAnswerByteForByteAndBooksOnce() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let (barber, service) = try await api.setUpBarberAndService(adminToken: admin)
            let client = try await api.register("c@example.com")
            let key: HTTPFields = [.idempotencyKey: "book-7f3a"]
            let first = try await api.book(client.token, barber: barber, service: service, start: Self.start, headers: key)
            #expect(first.status == .created, "\(first.raw)")
            // A later repeat, even after time moves on, gets the stored answer.
            harness.clock.set(harness.clock.now.adding(minutes: 5))
            for _ in 0..<3 {
                let repeated = try await api.book(client.token, barber: barber, service: service, start: Self.start, headers: key)
                #expect(repeated.status == .created)
                #expect(repeated.raw == first.raw)
            }
            #expect(try await api.listedIDs(admin) == [first.id])
        }
    }

    @Test func theSameKeyFromAnotherUserIsIndependent() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let (barber, service) = try await api.setUpBarberAndService(adminToken: admin)
            let alice = try await api.register("alice@example.com")
            let bob = try await api.register("bob@example.com")
            let key: HTTPFields = [.idempotencyKey: "shared-key"]
            let first = try await api.book(alice.token, barber: barber, service: service, start: Self.start, headers: key)
            #expect(first.status == .created)
            let second = try await api.book(bob.token, barber: barber, service: service, start: "2027-03-03T11:00:00-05:00", headers: key)
            #expect(second.status == .created, "\(second.raw)")
            #expect(second.id != first.id)
            #expect(second["client_id"] as? Int == bob.id)
            // Bob's key does not replay Alice's answer for the same slot either.
            let third = try await api.book(
                bob.token, barber: barber, service: service, start: Self.start, headers: [.idempotencyKey: "alice-only"])
            expectError(third, .conflict, "slot_taken")
            #expect(Set(try await api.listedIDs(admin)) == [first.id, second.id])
        }
    }

    @Test func aDifferentKeyBySameUserBooksAgain() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let (barber, service) = try await api.setUpBarberAndService(adminToken: admin)
            let client = try await api.register("c@example.com")
            let first = try await api.book(client.token, barber: barber, service: service, start: Self.start, headers: [.idempotencyKey: "k1"])
            let second = try await api.book(
                client.token, barber: barber, service: service, start: "2027-03-03T11:00:00-05:00", headers: [.idempotencyKey: "k2"])
            #expect(first.status == .created)
            #expect(second.status == .created)
            #expect(try await api.listedIDs(admin).count == 2)
        }
    }

    @Test func aKeyWhoseFirstAnswerWas409Returns409AgainEvenOnceTheSlotIsFree() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let (barber, service) = try await api.setUpBarberAndService(adminToken: admin)
            let holder = try await api.register("holder@example.com")
            let client = try await api.register("c@example.com")
            let held = try await api.book(holder.token, barber: barber, service: service, start: Self.start)
            let key: HTTPFields = [.idempotencyKey: "retry-me"]
            let first = try await api.book(client.token, barber: barber, service: service, start: Self.start, headers: key)
            expectError(first, .conflict, "slot_taken")

            #expect(try await api.send(.post, "/api/v2/appointments/\(held.id)/cancel", token: holder.token).status == .ok)
            let repeated = try await api.book(client.token, barber: barber, service: service, start: Self.start, headers: key)
            #expect(repeated.status == .conflict)
            #expect(repeated.raw == first.raw)
            #expect(try await api.listedIDs(client.token).isEmpty)
            // Without the key the now free slot books.
            #expect(try await api.book(client.token, barber: barber, service: service, start: Self.start).status == .created)
        }
    }

    @Test func aKeyWhoseFirstAnswerWas422Returns422Again() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let (barber, service) = try await api.setUpBarberAndService(adminToken: admin)
            let client = try await api.register("c@example.com")
            let key: HTTPFields = [.idempotencyKey: "too-early"]
            let first = try await api.book(client.token, barber: barber, service: service, start: "2027-03-01T07:30:00-05:00", headers: key)
            expectError(first, .unprocessableContent, "too_soon")
            let repeated = try await api.book(client.token, barber: barber, service: service, start: "2027-03-01T07:30:00-05:00", headers: key)
            #expect(repeated.status == first.status)
            #expect(repeated.raw == first.raw)
        }
    }

    @Test func concurrentRepeatsOfOneKeyBookOnceAndAllGetTheSameAnswer() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let (barber, service) = try await api.setUpBarberAndService(adminToken: admin)
            let client = try await api.register("c@example.com")
            let answers = try await withThrowingTaskGroup(of: (HTTPResponse.Status, String).self) { group in
                for index in 0..<50 {
                    group.addTask {
                        // Half ask for another start: the key, not the body, decides.
                        let start = index % 2 == 0 ? Self.start : "2027-03-03T12:00:00-05:00"
                        let response = try await api.book(
                            client.token, barber: barber, service: service, start: start, headers: [.idempotencyKey: "double-click"])
                        return (response.status, response.raw)
                    }
                }
                return try await group.reduce(into: [(HTTPResponse.Status, String)]()) { $0.append($1) }
            }
            #expect(answers.allSatisfy { $0.0 == .created })
            #expect(Set(answers.map(\.1)).count == 1)
            #expect(try await api.listedIDs(admin).count == 1)
        }
    }

    @Test func anEmptyOrOverlongKeyIs400() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let (barber, service) = try await api.setUpBarberAndService(adminToken: admin)
            let client = try await api.register("c@example.com")
            for key in ["", String(repeating: "k", count: 256)] {
                let response = try await api.book(client.token, barber: barber, service: service, start: Self.start, headers: [.idempotencyKey: key])
                expectError(response, .badRequest, "bad_request")
            }
            #expect(try await api.listedIDs(admin).isEmpty)
        }
    }
}
