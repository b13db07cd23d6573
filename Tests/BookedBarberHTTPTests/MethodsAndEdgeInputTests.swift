import Foundation
import HTTPTypes
import Hummingbird
import Testing

@Suite struct MethodsAndEdgeInputTests {
    @Test func headAnswersLikeGetWithoutABodyAndOtherMethodsAre405WithAllow() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let head = try await api.send(.head, "/api/v2/shop")
            #expect(head.status == .ok)
            #expect(head.raw.isEmpty)
            for method in [HTTPRequest.Method.options, .trace, .delete] {
                let response = try await api.send(method, "/api/v2/shop")
                expectError(response, .methodNotAllowed, "method_not_allowed")
                #expect(response.headers[.allow] == "GET, HEAD, PATCH")
            }
            let headOnPost = try await api.send(.head, "/api/v2/auth/login")
            #expect(headOnPost.status == .methodNotAllowed)
        }
    }

    @Test func instantsOutsideTheSupportedYearsAreRefusedAsMalformed() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let (barber, _) = try await api.setUpBarberAndService(adminToken: admin)
            for start in ["0001-01-01T00:00:00+23:59", "1899-12-31T23:59:59Z", "9999-12-31T00:00:00Z"] {
                let response = try await api.send(
                    .post, "/api/v2/barbers/\(barber)/time-off", token: admin, json: ["start": start, "end": "2027-03-03T10:00:00Z"])
                expectError(response, .badRequest, "bad_request")
            }
        }
    }

    @Test func etcZonesOfTzdataAreAcceptedAndAbbreviationsAreNot() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let accepted = try await api.send(.patch, "/api/v2/shop", token: admin, json: ["time_zone": "Etc/GMT+12"])
            #expect(accepted.status == .ok)
            #expect(accepted["time_zone"] as? String == "Etc/GMT+12")
            expectError(try await api.send(.patch, "/api/v2/shop", token: admin, json: ["time_zone": "EST"]), .unprocessableContent, "validation_failed")
        }
    }
}
