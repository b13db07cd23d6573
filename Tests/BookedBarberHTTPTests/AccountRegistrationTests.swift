import Foundation
import Hummingbird
import Testing

/// `POST /api/v2/auth/register`: who may register, with what, and what comes back.
@Suite struct AccountRegistrationTests {
    @Test func registeringAnswers201WithATokenAndTheUser() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let response = try await api.send(
                .post, "/api/v2/auth/register",
                json: ["email": "Dana@Example.com", "password": "password123", "name": "Dana", "phone": "+1 555 0100"])
            #expect(response.status == .created, "\(response.raw)")
            let token = response["token"] as? String ?? ""
            #expect(!token.isEmpty)
            let user = try #require(response["user"] as? [String: Any])
            #expect(Set(user.keys) == ["id", "email", "name", "role", "phone"])
            #expect((user["id"] as? Int ?? 0) > 0)
            #expect(user["email"] as? String == "dana@example.com")
            #expect(user["name"] as? String == "Dana")
            #expect(user["role"] as? String == "client")
            #expect(user["phone"] as? String == "+1 555 0100")

            let me = try await api.send(.get, "/api/v2/auth/me", token: token)
            #expect(me.status == .ok)
            #expect(me["id"] as? Int == user["id"] as? Int)
        }
    }

    @Test func theRoleIsAlwaysClientWhateverTheBodySays() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let response = try await api.send(
                .post, "/api/v2/auth/register",
                json: ["email": "mallory@example.com", "password": "password123", "name": "M", "role": "admin"])
            #expect(response.status == .created)
            #expect((response["user"] as? [String: Any])?["role"] as? String == "client")
            let token = response["token"] as? String
            #expect((try await api.send(.get, "/api/v2/auth/me", token: token))["role"] as? String == "client")
            expectError(try await api.send(.patch, "/api/v2/shop", token: token, json: ["name": "Mine"]), .forbidden, "forbidden")
        }
    }

    @Test func passwordsOf8To128CharactersAreAcceptedAndOthersAre422() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            for (index, length) in [8, 128].enumerated() {
                let response = try await api.send(
                    .post, "/api/v2/auth/register",
                    json: ["email": "ok\(index)@example.com", "password": String(repeating: "p", count: length), "name": "Ok"])
                #expect(response.status == .created, "length \(length): \(response.raw)")
            }
            for (index, length) in [0, 7, 129, 500].enumerated() {
                let response = try await api.send(
                    .post, "/api/v2/auth/register",
                    json: ["email": "bad\(index)@example.com", "password": String(repeating: "p", count: length), "name": "Bad"])
                expectError(response, .unprocessableContent, "validation_failed")
            }
            // None of the refused attempts created an account.
            let login = try await api.send(.post, "/api/v2/auth/login", json: ["email": "bad1@example.com", "password": "ppppppp"])
            expectError(login, .unauthorized, "unauthorized")
        }
    }

    @Test(arguments: ["not-an-email", "no-at-sign.example.com", "@example.com", "two@@example.com", "user@localhost",
                      "sp ace@example.com", ""])
    func aMalformedEmailIs422(email: String) async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let response = try await api.send(
                .post, "/api/v2/auth/register", json: ["email": email, "password": "password123", "name": "X"])
            expectError(response, .unprocessableContent, "validation_failed")
        }
    }

    @Test func anEmptyNameIs422() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let response = try await api.send(
                .post, "/api/v2/auth/register", json: ["email": "x@example.com", "password": "password123", "name": "  "])
            expectError(response, .unprocessableContent, "validation_failed")
        }
    }

    @Test func aDuplicateEmailIs409EmailTakenWhateverItsCase() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            _ = try await api.register("erin@example.com")
            for email in ["erin@example.com", "ERIN@Example.COM", "  erin@example.com ", APIHarness.adminEmail.uppercased()] {
                let response = try await api.send(
                    .post, "/api/v2/auth/register", json: ["email": email, "password": "another-password", "name": "Erin 2"])
                expectError(response, .conflict, "email_taken")
            }
            // The first account keeps its password.
            _ = try await api.login("erin@example.com", "password123")
        }
    }

    @Test func concurrentRegistrationsOfOneEmailCreateOneAccount() async throws {
        let harness = try await APIHarness.make()
        let statuses = try await harness.run { api in
            try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for index in 0..<20 {
                    group.addTask {
                        try await api.send(
                            .post, "/api/v2/auth/register",
                            json: ["email": "race@example.com", "password": "password-\(index)", "name": "Racer"]
                        ).status
                    }
                }
                return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
            }
        }
        #expect(statuses.filter { $0 == .created }.count == 1)
        #expect(statuses.filter { $0 == .conflict }.count == 19)
    }

    @Test(arguments: [
        #"{"email":"a@example.com","password":"password123"}"#,
        #"{"email":"a@example.com","name":"A"}"#,
        #"{"email":42,"password":"password123","name":"A"}"#,
        #"{"email":"a@example.com","password":"password123","name":"A""#,
        "[]",
        "",
    ])
    func aBodyOfTheWrongShapeIs400(body: String) async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            expectError(try await api.send(.post, "/api/v2/auth/register", rawBody: body), .badRequest, "bad_request")
        }
    }
}
