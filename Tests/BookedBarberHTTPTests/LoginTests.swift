import Foundation
import Hummingbird
import Testing

/// `POST /api/v2/auth/login`: the right credentials give a token; every wrong pair gives one and
/// the same 401.
@Suite struct LoginTests {
    @Test func theRightPasswordGives200WithATokenAndTheUser() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let registered = try await api.register("fay@example.com", password: "correct-horse")
            let response = try await api.send(.post, "/api/v2/auth/login", json: ["email": "FAY@example.com", "password": "correct-horse"])
            #expect(response.status == .ok, "\(response.raw)")
            let user = try #require(response["user"] as? [String: Any])
            #expect(user["id"] as? Int == registered.id)
            #expect(user["email"] as? String == "fay@example.com")
            #expect(user["role"] as? String == "client")
            let me = try await api.send(.get, "/api/v2/auth/me", token: response["token"] as? String)
            #expect(me.status == .ok)
            #expect(me["email"] as? String == "fay@example.com")
        }
    }

    @Test func theAdminLogsInWithRoleAdmin() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let response = try await api.send(
                .post, "/api/v2/auth/login", json: ["email": APIHarness.adminEmail, "password": APIHarness.adminPassword])
            #expect(response.status == .ok)
            #expect((response["user"] as? [String: Any])?["role"] as? String == "admin")
        }
    }

    @Test func aWrongPasswordAndAnUnknownEmailGetTheSame401() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            _ = try await api.register("gus@example.com", password: "right-password")
            let wrongPassword = try await api.send(
                .post, "/api/v2/auth/login", json: ["email": "gus@example.com", "password": "wrong-password"])
            let unknownEmail = try await api.send(
                .post, "/api/v2/auth/login", json: ["email": "nobody@example.com", "password": "right-password"])
            expectError(wrongPassword, .unauthorized, "unauthorized")
            expectError(unknownEmail, .unauthorized, "unauthorized")
            #expect(wrongPassword.canonical == unknownEmail.canonical)
            #expect(wrongPassword.headers[.wwwAuthenticate] == unknownEmail.headers[.wwwAuthenticate])
            #expect(wrongPassword["token"] == nil)
        }
    }

    /// bcrypt reads only the first 72 bytes of its input: a password of up to 128 characters must
    /// still be checked whole, so one that differs only after byte 72 is wrong.
    @Test func aPasswordDifferingOnlyAfterItsFirst72BytesIsRefused() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let prefix = String(repeating: "a", count: 72)
            _ = try await api.register("long@example.com", password: prefix + "-the-real-ending")
            let response = try await api.send(
                .post, "/api/v2/auth/login", json: ["email": "long@example.com", "password": prefix + "-another-ending"])
            expectError(response, .unauthorized, "unauthorized")
        }
    }

    @Test func aBodyWithoutPasswordIs400() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            expectError(try await api.send(.post, "/api/v2/auth/login", json: ["email": "x@example.com"]), .badRequest, "bad_request")
        }
    }
}
