import BookingCore
import BookingEngine
import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import ServiceLifecycle

/// Assembles the server: engine, auth, routes and middleware, and the start-up steps of the
/// contract's "Starting the server" table (admin bootstrap, `--demo`).
public struct BookedBarberApp: Sendable {
    public let configuration: ServerConfiguration
    public let runtime: ServerRuntime
    public let tokens: TokenIssuer
    public let passwords: PasswordHasher
    public let metrics: ServerMetrics
    /// The one notion of now of the engine, tokens and idempotency answers.
    let clock: @Sendable () -> Instant
    /// The pages' templates and assets, loaded once.
    let renderer: PageRenderer
    let csrf: CSRFGuard

    /// The engine, once ready.
    public var engine: ShopEngine { runtime.engine }

    /// An app serving an in-memory engine at once (no log): what the HTTP tests drive.
    /// - Parameter clock: the engine's notion of now; the wall clock unless a test drives it.
    public init(configuration: ServerConfiguration, clock: @escaping @Sendable () -> Instant = { Instant(Date()) }) async throws {
        try await self.init(configuration: configuration, runtime: ServerRuntime(serving: ShopEngine(clock: clock)), clock: clock)
    }

    /// An app around `runtime`, which may still be recovering, recording into `metrics`.
    /// - Parameter clock: the notion of now of tokens and idempotency answers, the engine's clock.
    public init(
        configuration: ServerConfiguration, runtime: ServerRuntime, metrics: ServerMetrics = ServerMetrics(),
        clock: @escaping @Sendable () -> Instant = { Instant(Date()) }
    ) async throws {
        self.configuration = configuration
        self.runtime = runtime
        self.metrics = metrics
        self.clock = clock
        let secret =
            configuration.auth.jwtSecret.isEmpty
            ? try JWTSecretFile.loadOrCreate(in: configuration.dataDirectory, fileSystem: configuration.fileSystem) : configuration.auth.jwtSecret
        self.tokens = await TokenIssuer(secret: secret, lifetime: configuration.auth.tokenLifetime, clock: clock)
        self.passwords = PasswordHasher(cost: configuration.auth.bcryptCost)
        self.csrf = CSRFGuard(secret: secret)
        self.renderer = try await PageRenderer.load(assets: try WebAssets.load())
    }

    /// The router with every route and middleware; what `app.test(.router)` drives in tests.
    public func makeRouter() -> Router<AppRequestContext> { buildRouter().router }

    /// The router and the (method, path) of every route it serves.
    func buildRouter() -> (router: Router<AppRequestContext>, routes: [RouteTable.Entry]) {
        let api = APIRoutes(
            runtime: runtime, tokens: tokens, passwords: passwords, idempotency: IdempotencyStore(clock: clock), metrics: metrics,
            startedAt: .now, version: configuration.version, fsync: configuration.durability.fsync,
            webhookTargets: WebhookTarget(allowPrivate: configuration.notifications.allowPrivateWebhooks),
            eventStreams: EventStreamLimit(perKey: configuration.notifications.maxStreamsPerUser),
            boardStreams: EventStreamLimit(perKey: configuration.notifications.maxBoardStreams))
        // The route table first (on a router of its own), so the metric handles of every route
        // exist before the first request.
        let pages = WebRoutes(
            runtime: runtime, accounts: AccountAccess(runtime: runtime, tokens: tokens, passwords: passwords),
            sessions: WebSessions(tokens: tokens, csrf: csrf, clientAddress: ClientAddress(trustedProxies: configuration.rateLimit.trustedProxies)),
            renderer: renderer, metrics: metrics, webhookTargets: api.webhookTargets)
        let routes = api.register(on: Router(context: AppRequestContext.self), pages: pages)
        let served = routes.flatMap { route in
            let pattern = RouterPath(route.path).description
            return route.method == .get ? [(route.method.rawValue, pattern), ("HEAD", pattern)] : [(route.method.rawValue, pattern)]
        }
        let router = Router(context: AppRequestContext.self, options: .autoGenerateHeadEndpoints)
        let requestLines: Logger.Level = configuration.http.accessLog ? .info : .debug
        if requestLines >= configuration.http.logLevel { router.add(middleware: LogRequestsMiddleware(requestLines)) }
        let rateLimit: [any RequestAdmission] = configuration.rateLimit.enabled ? [RateLimitCheck(configuration.rateLimit)] : []
        router.add(
            middleware: RequestPipeline(
                metering: RequestMetering(metrics: metrics, table: metrics.handleTable(for: served)),
                cors: configuration.cors.allowedOrigins.isEmpty ? nil : CORSAllowList(configuration.cors),
                compression: configuration.compression.enabled ? ResponseCompression(minimumBytes: configuration.compression.minimumBytes) : nil,
                errors: ErrorAnswers(bodyLimit: configuration.http.maxBodyBytes),
                assets: renderer.assets,
                admission: rateLimit + [
                    HeaderLimit(limit: configuration.http.maxHeaderBytes), ReadinessCheck(runtime: runtime),
                    ReadOnlyCheck(diskSpace: runtime.diskSpace),
                ],
                authentication: BearerAuthentication(tokens: tokens)))
        api.register(on: router, pages: pages)
        return (router, routes)
    }

    /// The HTTP application; `services` (the storage) run in its service group, started before
    /// the server and shut down after it. The limits of `configuration.http` apply: idle
    /// connections are closed after `idleTimeout`, a request must arrive within `requestTimeout`,
    /// at most `maxConnections` are open, and the decoder refuses oversized headers.
    /// `onServerRunning` is given the listening channel once it is bound.
    public func makeApplication(
        services: [any ServiceLifecycle.Service], logger: Logger,
        onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let http = configuration.http
        let decoderLimit = HeaderLimit.decoderLimit(for: http.maxHeaderBytes)
        let metrics = metrics
        let channel = HTTP1Channel.Configuration(
            additionalChannelHandlers: [RequestEndHandler()],
            idleTimeout: .seconds(http.idleTimeout.components.seconds),
            httpDecoderConfiguration: .init(maxHeaderFieldSize: decoderLimit, maxHeaderListSize: decoderLimit, maxHeaderFieldCount: 1000))
        return Application(
            router: makeRouter(),
            server: .guardedHTTP1(configuration: channel, requestTimeout: http.requestTimeout) { metrics.requestTimedOut() },
            configuration: .init(
                address: .hostname(http.host, port: http.port), serverName: nil,
                availableConnectionsDelegate: ConnectionLimit(maximum: http.maxConnections, metrics: metrics)),
            services: services,
            onServerRunning: onServerRunning,
            logger: logger)
    }

    /// Creates the configured admin in `engine` if no user has that email yet.
    public func bootstrapAdmin(into engine: ShopEngine, logger: Logger) async throws {
        guard let email = configuration.bootstrap.adminEmail else { return }
        guard let password = configuration.bootstrap.adminPassword else {
            throw ConfigurationError("--admin-email needs --admin-password")
        }
        if await engine.user(email: email) != nil { return }
        try APIRoutes.validateAccount(email: email, password: password, name: "Admin")
        let hash = await passwords.hash(password)
        let admin = try await engine.createUser(email: email, name: "Admin", phone: nil, role: .admin, passwordHash: hash)
        logger.info("created admin", metadata: ["email": "\(admin.email)", "user_id": "\(admin.id)"])
    }
}
