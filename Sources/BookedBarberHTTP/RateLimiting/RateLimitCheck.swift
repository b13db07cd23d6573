import HTTPTypes
import Hummingbird

/// Answers 429 `rate_limited` with `Retry-After` to a client over its budget
/// (`ServerConfiguration.RateLimit`).
///
/// Every request takes a token from its client's general bucket; `POST /api/v2/auth/login` and
/// `/register` also take one from a much smaller bucket of their own, against password guessing.
/// The operations probes (`/health`, `/readiness`, `/metrics`) are never limited. Clients are
/// told apart by `ClientAddress` (the peer, or a trusted proxy's `X-Forwarded-For`); requests with
/// no IP peer (the router tests) all share the bucket of `IPAddress.unknown`.
///
/// The first of `RequestPipeline`'s admission checks; `ErrorAnswers` turns the thrown
/// `APIError` into the contract's body.
struct RateLimitCheck: RequestAdmission {
    let clients: ClientAddress
    let general: RateLimiter
    let auth: RateLimiter

    static let unlimitedPaths: Set<String> = ["/health", "/readiness", "/metrics"]
    static let authPaths: Set<String> = ["/api/v2/auth/login", "/api/v2/auth/register"]

    init(_ configuration: ServerConfiguration.RateLimit) {
        self.clients = ClientAddress(trustedProxies: configuration.trustedProxies)
        self.general = RateLimiter(
            policy: configuration.generalPolicy, maxClients: configuration.maxTrackedClients, clock: configuration.clock)
        self.auth = RateLimiter(
            policy: configuration.authPolicy, maxClients: configuration.maxTrackedClients, clock: configuration.clock)
    }

    func admit(_ request: Request, context: AppRequestContext) throws(APIError) {
        let path = Self.routePath(request.uri.path)
        if Self.unlimitedPaths.contains(path) { return }
        let client = clients.resolve(peer: context.remoteAddress, headers: request.headers)
        let key = ClientAddress.bucketKey(client)
        if case .limited(let seconds) = general.take(key) {
            throw Self.rateLimited(retryAfter: seconds, "too many requests from this address")
        }
        if request.method == .post, Self.authPaths.contains(path), case .limited(let seconds) = auth.take(key) {
            throw Self.rateLimited(retryAfter: seconds, "too many sign-in attempts from this address")
        }
    }

    static func rateLimited(retryAfter seconds: Int, _ what: String) -> APIError {
        APIError(
            .tooManyRequests, "rate_limited", "\(what); retry after \(seconds) s", headers: [.retryAfter: String(seconds)])
    }

    /// The path as the router matches it: empty segments do not count, so `//api/v2/auth/login/`
    /// reaches the login route and must take from the same bucket. The common case allocates nothing.
    static func routePath(_ path: String) -> String {
        guard path.utf8.count > 1, path.utf8.last == UInt8(ascii: "/") || hasEmptySegment(path) else { return path }
        return "/" + path.split(separator: "/").joined(separator: "/")
    }

    /// Whether `path` holds "//", by a byte scan (`String.contains` costs far more per request).
    private static func hasEmptySegment(_ path: String) -> Bool {
        var previous: UInt8 = 0
        for byte in path.utf8 {
            if byte == UInt8(ascii: "/"), previous == UInt8(ascii: "/") { return true }
            previous = byte
        }
        return false
    }
}
