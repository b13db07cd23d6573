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
            let (user, token) = try await accounts.register(email: body.email, password: body.password, name: body.name, phone: body.phone)
            return EditedResponse(status: .created, response: TokenJSON(token: token, user: UserJSON(user)))
        }

        routes.on(.post, "/api/v2/auth/login") { request, context in
            let body = try await request.decode(as: LoginBody.self, context: context)
            let (user, token) = try await accounts.login(email: body.email, password: body.password)
            return TokenJSON(token: token, user: UserJSON(user))
        }

        routes.on(.get, "/api/v2/auth/me") { _, context in
            let requester = try context.requester()
            guard let user = engine.user(id: requester.userID) else { throw APIError.unauthorized("unknown user") }
            return Response.json(UserJSON.buffer(user))
        }
    }

    var accounts: AccountAccess { AccountAccess(runtime: runtime, tokens: tokens, passwords: passwords) }

    /// The contract's account rules (`AccountRules`), as a 422 answer.
    static func validateAccount(email: String, password: String, name: String) throws(APIError) {
        if let violation = AccountRules.violation(email: email, password: password, name: name) { throw APIError(violation) }
    }
}
