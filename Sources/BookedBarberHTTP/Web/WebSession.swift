import BookingCore
import Foundation
import HTTPTypes
import Hummingbird

/// Who is looking at a page: the signed-in user from the `bb_session` cookie (the same JWT the API
/// issues, verified the same way), and the CSRF token their forms carry.
struct WebVisitor: Sendable {
    var requester: Requester?
    var user: User?
    /// What the CSRF token is bound to: the session token, or the `bb_visitor` id.
    var csrfSubject: String
    /// The token every state-changing form of this visitor carries (`CSRFGuard`).
    var csrf: String
    /// A new `bb_visitor` value to set on the answer, when the visitor had none.
    var newVisitorID: String?
    /// The request came over TLS (through a trusted proxy): cookies get `Secure`.
    var secure: Bool

    var isSignedIn: Bool { requester != nil }

    init(requester: Requester?, user: User?, subject: String, csrf guard: CSRFGuard, newVisitorID: String?, secure: Bool) {
        self.requester = requester
        self.user = user
        self.csrfSubject = subject
        self.csrf = `guard`.token(for: subject)
        self.newVisitorID = newVisitorID
        self.secure = secure
    }
}

/// The session cookies: `bb_session` holds the JWT (`HttpOnly`, `SameSite=Lax`, `Secure` over
/// TLS); `bb_visitor` is a random id that anchors the CSRF token of a visitor not signed in yet
/// (the sign-in and register forms).
struct WebSessions: Sendable {
    static let sessionCookie = "bb_session"
    static let visitorCookie = "bb_visitor"
    static let forwardedProto = HTTPField.Name("X-Forwarded-Proto")!

    let tokens: TokenIssuer
    let csrf: CSRFGuard
    /// The proxies whose `X-Forwarded-Proto` is believed (`--trusted-proxy`).
    let clientAddress: ClientAddress

    func visitor(_ request: Request, context: AppRequestContext, users: (UserID) -> User?) async -> WebVisitor {
        let secure = isTLS(request, context: context)
        let cookies = request.cookies
        if let token = cookies[Self.sessionCookie]?.value, case .success(let requester) = await tokens.verify(token),
            let user = users(requester.userID)
        {
            return WebVisitor(requester: requester, user: user, subject: "session:" + token, csrf: csrf, newVisitorID: nil, secure: secure)
        }
        if let id = cookies[Self.visitorCookie]?.value, Data(base64URL: id)?.count == 18 {
            return WebVisitor(requester: nil, user: nil, subject: "visitor:" + id, csrf: csrf, newVisitorID: nil, secure: secure)
        }
        let id = Data((0..<18).map { _ in UInt8.random(in: 0...255) }).base64URL
        return WebVisitor(requester: nil, user: nil, subject: "visitor:" + id, csrf: csrf, newVisitorID: id, secure: secure)
    }

    /// `X-Forwarded-Proto: https` from a trusted proxy.
    func isTLS(_ request: Request, context: AppRequestContext) -> Bool {
        guard let peer = context.remoteAddress.flatMap(IPAddress.init),
            clientAddress.trustedProxies.contains(where: { $0.contains(peer) })
        else { return false }
        return request.headers[Self.forwardedProto]?.lowercased() == "https"
    }

    func sessionCookie(_ token: String, secure: Bool) -> Cookie {
        Cookie(name: Self.sessionCookie, value: token, maxAge: Int(tokens.lifetime.components.seconds), path: "/", secure: secure,
               httpOnly: true, sameSite: .lax)
    }

    func endedSessionCookie(secure: Bool) -> Cookie {
        Cookie(name: Self.sessionCookie, value: "", maxAge: 0, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }

    func visitorCookie(_ id: String, secure: Bool) -> Cookie {
        Cookie(name: Self.visitorCookie, value: id, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }
}
