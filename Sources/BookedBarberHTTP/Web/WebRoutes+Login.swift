import BookingCore
import Foundation
import HTTPTypes
import Hummingbird

/// `/login` and `/logout`: signing in sets the `bb_session` cookie (the API's token) and goes on
/// to `next` or the visitor's own page; signing out ends it.
extension WebRoutes {
    struct LoginForm: Decodable {
        var email: String
        var password: String
        var next: String?
    }

    struct LoginModel {
        var frame: PageFrame
        var email: String
        var next: String
        var error: String
        var hasError: Bool
    }

    func registerLogin(_ routes: RouteTable) {
        page(routes, .get, "/login") { web in
            if let requester = web.visitor.requester { return Self.seeOther(Self.localPath(web.query("next")) ?? Self.home(of: requester.role)) }
            return loginPage(web, email: "", next: web.query("next") ?? "", error: nil, status: .ok)
        }
        page(routes, .post, "/login") { web in
            let form = try web.form(LoginForm.self)
            let user: User
            let token: String
            do {
                (user, token) = try await accounts.login(email: form.email, password: form.password)
            } catch let error as APIError {
                return loginPage(web, email: form.email, next: form.next ?? "", error: error.message, status: error.status)
            }
            var response = Self.seeOther(Self.localPath(form.next) ?? Self.home(of: user.role))
            response.setCookie(sessions.sessionCookie(token, secure: web.visitor.secure))
            return response
        }
        page(routes, .post, "/logout") { web in
            var response = Self.seeOther("/")
            response.setCookie(sessions.endedSessionCookie(secure: web.visitor.secure))
            return response
        }
    }

    func loginPage(_ web: WebRequest, email: String, next: String, error: String?, status: HTTPResponse.Status) -> Response {
        let model = LoginModel(
            frame: frame("Sign in", visitor: web.visitor, section: "login"), email: email, next: Self.localPath(next) ?? "",
            error: error ?? "", hasError: error != nil)
        return renderer.page("login", model, status: status)
    }

    /// `next` if it is a path on this server (`/me`), never another site (`//evil.example`).
    static func localPath(_ next: String?) -> String? {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\")
        else { return nil }
        return next
    }
}
