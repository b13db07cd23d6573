import BookingCore
import BookingEngine
import Foundation
import HTTPTypes
import Hummingbird
import Mustache

/// The web pages of ../shared/API.md ("Web pages"): `/` (book), `/login`, `/me`, `/barber`,
/// `/admin`, `/queue`. Each page's routes live in an extension named after it (`WebRoutes+Book.swift`, …).
/// Pages call the same `ShopEngine` as the API, with the requester from the session cookie, so
/// every booking and role rule is the engine's, applied once.
struct WebRoutes: Sendable {
    let runtime: ServerRuntime
    let accounts: AccountAccess
    let sessions: WebSessions
    let renderer: PageRenderer
    let metrics: ServerMetrics
    /// Which webhook URLs the webhook pages accept (`--allow-private-webhooks`), as the API.
    let webhookTargets: WebhookTarget
    /// The one-time showings of new webhook secrets (`WebhookSecretReveals`).
    let secretReveals = WebhookSecretReveals()

    var engine: ShopEngine { runtime.engine }
    var format: PageFormat { PageFormat(time: engine.catalog.shopTime) }

    func register(_ routes: RouteTable) {
        registerBook(routes)
        registerLogin(routes)
        registerMyAppointments(routes)
        registerBarber(routes)
        registerAdmin(routes)
        registerClientPages(routes)
        registerAnalyticsPage(routes)
        registerWebhookPages(routes)
        registerWaitlist(routes)
        registerCalendarFeeds(routes)
        registerQueue(routes)
    }

    typealias PageHandler = @Sendable (inout WebRequest) async throws -> Response

    /// Registers a page route. Every page gets the visitor from the session cookie; every `POST`
    /// must carry the visitor's CSRF token in its `csrf` field (else 403, an HTML page that says
    /// why). A domain error the handler does not turn into a form message is shown as an HTML
    /// page with the contract's status (403 for another client's appointment, 404, …).
    func page(_ routes: RouteTable, _ method: HTTPRequest.Method, _ path: String, _ handler: @escaping PageHandler) {
        routes.on(method, path) { request, context in
            let visitor = await sessions.visitor(request, context: context) { engine.user(id: $0) }
            var response: Response
            do {
                var web = WebRequest(request: request, context: context, visitor: visitor, queryFields: try QueryFields(request.uri.query ?? ""))
                if method == .post {
                    web.formBody = String(buffer: try await request.body.collect(upTo: context.maxUploadSize))
                    let field = try? URLEncodedFormDecoder().decode(CSRFField.self, from: web.formBody)
                    guard sessions.csrf.accepts(field?.csrf, for: visitor.csrfSubject) else {
                        throw failure(
                            .forbidden, code: "forbidden", title: "This form has expired",
                            message: "The form was sent without a valid security token, so nothing was changed. "
                                + "This happens when a page was open across a sign-in or sign-out, or came from another site. "
                                + "Go back, reload the page and try again.",
                            visitor: visitor)
                    }
                }
                response = try await handler(&web)
            } catch let error as BookingError {
                throw failure(APIError(error), visitor: visitor)
            } catch let error as APIError where error.status != .contentTooLarge {
                throw failure(error, visitor: visitor)
            }
            if let id = visitor.newVisitorID { response.setCookie(sessions.visitorCookie(id, secure: visitor.secure)) }
            return response
        }
    }

    /// The HTML error page for a contract error.
    func failure(_ error: APIError, visitor: WebVisitor) -> WebPageError {
        let title =
            switch error.code {
            case "forbidden": "Not allowed"
            case "not_found": "Not found"
            case "unauthorized": "Please sign in"
            default: "Something is not right"
            }
        return failure(error.status, code: error.code, title: title, message: error.message, visitor: visitor)
    }

    func failure(_ status: HTTPResponse.Status, code: String, title: String, message: String, visitor: WebVisitor) -> WebPageError {
        struct Model {
            var frame: PageFrame
            var title: String
            var message: String
            var code: String
        }
        let model = Model(frame: frame(title, visitor: visitor), title: title, message: message, code: code)
        return WebPageError(status: status, headers: [:], html: renderedText(model, "error"))
    }

    func renderedText(_ model: Any, _ template: String) -> String {
        renderer.library.render(model, withTemplate: template) ?? ""
    }

    /// The part of every page around its content: title, stylesheet, scripts, the navigation for
    /// the visitor's role and the sign-out form.
    func frame(_ title: String, visitor: WebVisitor, scripts: [String] = [], section: String = "") -> PageFrame {
        let role = visitor.requester?.role
        return PageFrame(
            title: title, shopName: engine.catalog.settings.name, stylesheet: renderer.assets.path("app.css"),
            icon: renderer.assets.path("favicon.svg"),
            scripts: scripts.map { PageFrame.Script(src: renderer.assets.path($0)) },
            signedIn: visitor.isSignedIn, userName: visitor.user?.name ?? "",
            isClient: role == .client, isBarber: role == .barber, isAdmin: role == .admin, csrf: visitor.csrf,
            onBook: section == "book", onMe: section == "me", onBarber: section == "barber", onAdmin: section == "admin",
            onLogin: section == "login", isStaff: role == .barber || role == .admin, onClients: section == "clients",
            onAnalytics: section == "analytics", onQueue: section == "queue")
    }

    /// The signed-in requester, or a redirect to `/login` that comes back to `next`.
    func signedIn(_ web: WebRequest) throws -> (Requester, User) {
        guard let requester = web.visitor.requester, let user = web.visitor.user else {
            throw WebPageError.redirect(Self.signInHref(next: web.request.uri.path))
        }
        return (requester, user)
    }

    /// The sign-in page, coming back to `next` (a path with its query, if any) afterwards.
    static func signInHref(next: String) -> String { "/login?next=" + urlComponent(next) }

    /// The visitor's own start page after signing in.
    static func home(of role: Role) -> String {
        switch role {
        case .client: "/me"
        case .barber: "/barber"
        case .admin: "/admin"
        }
    }

    static func seeOther(_ location: String) -> Response { Response(status: .seeOther, headers: [.location: location]) }
}

/// The hidden field every state-changing form carries.
struct CSRFField: Decodable {
    var csrf: String?
}

/// One page request: the request, its context, the visitor, its query string's fields and, for a
/// `POST`, the form body. Pages read queries and forms here only, both decoded as forms (`+` is a
/// space): `query(_:)` and `form(_:)`.
struct WebRequest: Sendable {
    var request: Request
    var context: AppRequestContext
    var visitor: WebVisitor
    /// The query string, decoded once (`QueryFields`); a query that does not decode is 400.
    let queryFields: QueryFields
    var formBody = ""

    /// The form decoded with Hummingbird's `URLEncodedFormDecoder`; a body that does not fit is
    /// 400 `bad_request`.
    func form<Form: Decodable>(_ type: Form.Type) throws(APIError) -> Form {
        do {
            return try URLEncodedFormDecoder().decode(Form.self, from: formBody)
        } catch {
            throw .badRequest("the form could not be read: \(error)")
        }
    }

    /// The query field `name`; empty is none.
    func query(_ name: String) -> String? {
        guard let value = queryFields[name], !value.isEmpty else { return nil }
        return value
    }

    /// An optional positive integer query field (a page's `after_id`); present but not one is 400.
    func queryID(_ name: String) throws(APIError) -> Int? {
        guard let text = query(name) else { return nil }
        guard let value = Int(text), value > 0 else { throw .badRequest("\(name): expected a positive integer") }
        return value
    }
}

/// The model of the shared `head` and `foot` partials.
struct PageFrame {
    struct Script {
        var src: String
    }

    var title: String
    var shopName: String
    var stylesheet: String
    var icon: String
    var scripts: [Script]
    var signedIn: Bool
    var userName: String
    var isClient: Bool
    var isBarber: Bool
    var isAdmin: Bool
    var csrf: String
    var onBook: Bool
    var onMe: Bool
    var onBarber: Bool
    var onAdmin: Bool
    var onLogin: Bool
    var isStaff: Bool
    var onClients: Bool
    var onAnalytics: Bool
    var onQueue: Bool
}
