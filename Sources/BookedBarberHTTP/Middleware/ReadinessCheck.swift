import Hummingbird

/// Answers 503 `unavailable` to everything but the operations routes while the server is
/// recovering or draining (`ServerRuntime.phase`), with `Retry-After: 1`.
struct ReadinessCheck: RequestAdmission {
    let runtime: ServerRuntime
    static let alwaysServed: Set<String> = ["/health", "/readiness", "/metrics", "/openapi.json"]

    func admit(_ request: Request, context: AppRequestContext) throws(APIError) {
        let phase = runtime.phase
        guard phase == .ready || Self.alwaysServed.contains(request.uri.path) else {
            throw APIError(
                .serviceUnavailable, "unavailable",
                phase == .recovering ? "the server is recovering its state" : "the server is shutting down",
                headers: [.retryAfter: "1"])
        }
    }
}
