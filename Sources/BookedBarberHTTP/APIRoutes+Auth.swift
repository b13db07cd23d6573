import BookingCore
import BookingEngine
import Foundation
import Hummingbird

extension APIRoutes {
    struct RegisterBody: Decodable {
        var email: String
        var password: String
        var name: String
        var phone: String?
    }

    struct LoginBody: Decodable {
        var email: String
        var password: String
    }

    func registerAuth(_ routes: RouteTable) {
        routes.on(.post, "/api/v2/auth/register") { request, context in
            var request = request
            let body = try await request.decodeJSON(RegisterBody.self, context: context)
            try Self.validateAccount(email: body.email, password: body.password, name: body.name)
            _ = try Input.text(body.phone, field: "phone", max: 40)
            if await engine.user(email: body.email) != nil { throw APIError(BookingError.emailTaken) }
            let hash = await passwords.hash(body.password)
            let user = try await run { () async throws(BookingError) in
                try await engine.createUser(email: body.email, name: body.name, phone: body.phone, role: .client, passwordHash: hash)
            }
            return try jsonResponse(TokenJSON(token: try await tokens.issue(for: user, barberID: nil), user: UserJSON(user)), status: .created)
        }

        routes.on(.post, "/api/v2/auth/login") { request, context in
            var request = request
            let body = try await request.decodeJSON(LoginBody.self, context: context)
            let user = await engine.user(email: body.email)
            guard await passwords.verify(body.password, hash: user?.passwordHash), let user else {
                throw APIError.unauthorized("wrong email or password")
            }
            let barberID = engine.catalog.barberIDByUser[user.id]
            return try jsonResponse(TokenJSON(token: try await tokens.issue(for: user, barberID: barberID), user: UserJSON(user)))
        }

        routes.on(.get, "/api/v2/auth/me") { _, context in
            let requester = try context.requester()
            guard let user = await engine.user(id: requester.userID) else { throw APIError.unauthorized("unknown user") }
            return try jsonResponse(UserJSON(user))
        }
    }

    /// The contract's account rules: an email with one `@`, a password of 8 to 128 characters, a name.
    static func validateAccount(email: String, password: String, name: String) throws(APIError) {
        let normalized = User.normalizedEmail(email)
        let parts = normalized.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), normalized.count <= 254,
            !normalized.contains(where: \.isWhitespace)
        else { throw APIError(BookingError.validationFailed("email is not a valid address")) }
        guard (8...128).contains(password.count) else {
            throw APIError(BookingError.validationFailed("password must be 8 to 128 characters"))
        }
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty, name.count <= 200 else {
            throw APIError(BookingError.validationFailed("name must be 1 to 200 characters"))
        }
    }
}
