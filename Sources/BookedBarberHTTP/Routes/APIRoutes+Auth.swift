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
            let body = try await request.decode(as: RegisterBody.self, context: context)
            try Self.validateAccount(email: body.email, password: body.password, name: body.name)
            _ = try Input.text(body.phone, field: "phone", max: TextLimits.phone)
            if await engine.user(email: body.email) != nil { throw APIError(BookingError.emailTaken) }
            let hash = await passwords.hash(body.password)
            let user = try await engine.createUser(email: body.email, name: body.name, phone: body.phone, role: .client, passwordHash: hash)
            return EditedResponse(status: .created, response: TokenJSON(token: try await tokens.issue(for: user, barberID: nil), user: UserJSON(user)))
        }

        routes.on(.post, "/api/v2/auth/login") { request, context in
            let body = try await request.decode(as: LoginBody.self, context: context)
            let user = await engine.user(email: body.email)
            guard await passwords.verify(body.password, hash: user?.passwordHash), let user else {
                throw APIError.unauthorized("wrong email or password")
            }
            let barberID = engine.catalog.barberIDByUser[user.id]
            return TokenJSON(token: try await tokens.issue(for: user, barberID: barberID), user: UserJSON(user))
        }

        routes.on(.get, "/api/v2/auth/me") { _, context in
            let requester = try context.requester()
            guard let user = await engine.user(id: requester.userID) else { throw APIError.unauthorized("unknown user") }
            return UserJSON(user)
        }
    }

    /// The contract's account rules (`AccountRules`), as a 422 answer.
    static func validateAccount(email: String, password: String, name: String) throws(APIError) {
        if let violation = AccountRules.violation(email: email, password: password, name: name) { throw APIError(violation) }
    }
}
