import HTTPTypes
import Hummingbird

/// Cross-origin access for the origins of `ServerConfiguration.CORS.allowedOrigins` only.
///
/// Hummingbird's `CORSMiddleware` answers every `OPTIONS` itself, whatever the origin; here a
/// request from an origin not on the list passes through untouched, so its preflight gets the
/// router's 405 `method_not_allowed` (no grant) and its answer no `Access-Control-*` header.
/// - A preflight (`OPTIONS` with `Origin` and `Access-Control-Request-Method`) from a listed
///   origin: 204 with the allowed methods, the request headers the API reads, and `Max-Age`.
/// - Any other request from a listed origin: its answer (errors included, so scripts can read a
///   429) with `Access-Control-Allow-Origin` and the headers a script may read.
/// Every answer carries `Vary: Origin`, since it depends on that header. Credentials (cookies)
/// are never allowed: the API authenticates with bearer tokens.
///
/// Used only when the list is not empty; `RequestPipeline` asks it for a preflight's answer
/// before anything else and decorates every other answer after `ErrorAnswers`.
struct CORSAllowList: Sendable {
    let allowedOrigins: Set<String>
    let maxAgeSeconds: String

    static let allowedMethods = "GET, HEAD, POST, PUT, PATCH, DELETE"
    static let allowedHeaders = "Authorization, Content-Type, Idempotency-Key, X-Request-Id"
    static let exposedHeaders = "Retry-After, X-Request-Id"

    init(_ configuration: ServerConfiguration.CORS) {
        self.allowedOrigins = Set(configuration.allowedOrigins.map(Self.normalized))
        self.maxAgeSeconds = String(configuration.maxAge.components.seconds)
    }

    /// Origins compare as browsers send them: lowercase, no trailing slash.
    static func normalized(_ origin: String) -> String {
        var origin = origin.lowercased()
        while origin.hasSuffix("/") { origin.removeLast() }
        return origin
    }

    /// The 204 grant of a preflight from a listed origin; nil for every other request.
    func preflight(_ request: Request) -> Response? {
        guard request.method == .options, request.headers[.accessControlRequestMethod] != nil,
            let origin = allowedOrigin(of: request)
        else { return nil }
        return Response(
            status: .noContent,
            headers: [
                .accessControlAllowOrigin: origin,
                .accessControlAllowMethods: Self.allowedMethods,
                .accessControlAllowHeaders: Self.allowedHeaders,
                .accessControlMaxAge: maxAgeSeconds,
                .vary: "Origin",
            ])
    }

    /// `Vary: Origin` on every answer; the grant and the readable headers for a listed origin.
    func decorate(_ response: inout Response, for request: Request) {
        if let origin = allowedOrigin(of: request) {
            response.headers[.accessControlAllowOrigin] = origin
            response.headers[.accessControlExposeHeaders] = Self.exposedHeaders
        }
        response.headers.append(HTTPField(name: .vary, value: "Origin"))
    }

    /// The request's `Origin` as sent, if it is on the list.
    private func allowedOrigin(of request: Request) -> String? {
        guard let origin = request.headers[.origin], allowedOrigins.contains(Self.normalized(origin)) else { return nil }
        return origin
    }
}
