import BookingCore
import BookingEngine
import BookingLog
import Foundation
import HTTPTypes
import Hummingbird

/// The handlers of ../shared/API.md. Each resource's routes live in an extension named after it
/// (`APIRoutes+Appointments.swift`, …); this type holds what they share.
struct APIRoutes: Sendable {
    let runtime: ServerRuntime
    let tokens: TokenIssuer
    let passwords: PasswordHasher
    let idempotency: IdempotencyStore
    let metrics: ServerMetrics
    let startedAt: ContinuousClock.Instant
    let version: String
    /// The log's fsync mode, reported by `/readiness`.
    let fsync: FsyncMode
    /// Which webhook URLs are accepted (`--allow-private-webhooks`).
    let webhookTargets: WebhookTarget
    /// The bound on open event streams per user.
    let eventStreams: EventStreamLimit<UserID>
    /// The bound on open anonymous board streams (`/api/v2/queue/stream`), all together.
    let boardStreams: EventStreamLimit<BoardStreams>

    /// Registers every route (and the web pages' routes, `pages`) and, for each known path, 405
    /// for the methods it does not serve. Returns the (method, path) table, which the OpenAPI
    /// document is checked against.
    @discardableResult
    func register(on router: Router<AppRequestContext>, pages: WebRoutes) -> [RouteTable.Entry] {
        let routes = RouteTable(router: router)
        registerAuth(routes)
        registerShop(routes)
        registerBarbers(routes)
        registerServices(routes)
        registerAppointments(routes)
        registerWaitlist(routes)
        registerQueue(routes)
        registerAnalytics(routes)
        registerClients(routes)
        registerOperations(routes)
        registerWebhooks(routes)
        registerCalendarFeeds(routes)
        registerEventStream(routes)
        pages.register(routes)
        routes.registerMethodNotAllowed()
        return routes.entries
    }

    /// The engine; handlers run only once it is ready (`ReadinessCheck`).
    var engine: ShopEngine { runtime.engine }

    var shopTime: ShopTime { engine.catalog.shopTime }
}

/// Registers routes on the router and remembers them, so every known path answers its other
/// methods with 405 `method_not_allowed` and an `Allow` header (through the router itself).
final class RouteTable {
    struct Entry: Hashable, Sendable {
        var method: HTTPRequest.Method
        var path: String
    }

    private let router: Router<AppRequestContext>
    private(set) var entries: [Entry] = []

    init(router: Router<AppRequestContext>) { self.router = router }

    func on<Output: ResponseGenerator>(
        _ method: HTTPRequest.Method, _ path: String, _ handler: @escaping @Sendable (Request, AppRequestContext) async throws -> Output
    ) {
        entries.append(Entry(method: method, path: path))
        router.on(RouterPath(path), method: method, use: handler)
    }

    /// HEAD is answered for every GET route by the router itself (`autoGenerateHeadEndpoints`).
    func registerMethodNotAllowed() {
        let all: [HTTPRequest.Method] = [.get, .head, .post, .put, .patch, .delete, .options, .trace]
        var paths: [String] = []
        for entry in entries where !paths.contains(entry.path) { paths.append(entry.path) }
        for path in paths {
            var served = Set(entries.filter { $0.path == path }.map(\.method))
            if served.contains(.get) { served.insert(.head) }
            let allow = all.filter(served.contains).map(\.rawValue).joined(separator: ", ")
            for method in all where !served.contains(method) {
                router.on(RouterPath(path), method: method) { _, _ -> Response in
                    throw APIError(
                        .methodNotAllowed, "method_not_allowed", "\(method.rawValue) is not served here; use \(allow)",
                        headers: [.allow: allow])
                }
            }
        }
    }
}
