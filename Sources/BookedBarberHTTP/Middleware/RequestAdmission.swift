import Hummingbird

/// A check every request passes before authentication and the routes, refusing it by throwing
/// the contract's error: rate limiting, the header limit, readiness, the read-only disk.
///
/// A check only reads the request; whatever it refuses, `ErrorMiddleware` (outside
/// `AdmissionMiddleware`) turns into the contract's body.
protocol RequestAdmission: Sendable {
    func admit(_ request: Request, context: AppRequestContext) throws(APIError)
}

/// Runs the admission checks in the order given, in one middleware, and lets the request on
/// only if every one admits it.
///
/// One layer for all of them, not one middleware each: every middleware is an async call
/// through Hummingbird's responder chain with a frame of its own, and the four of them had cost
/// 5–14 % of `/health`'s and `/auth/me`'s throughput (BENCHMARKS.md, sixth session) for checks
/// that never wait and never touch the response.
struct AdmissionMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let checks: [any RequestAdmission]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        for check in checks { try check.admit(request, context: context) }
        return try await next(request, context)
    }
}
