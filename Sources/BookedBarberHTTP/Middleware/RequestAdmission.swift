import Hummingbird

/// A check every request passes before authentication and the routes, refusing it by throwing
/// the contract's error: rate limiting, the header limit, readiness, the read-only disk.
///
/// A check only reads the request; `RequestPipeline` runs the checks in order, and whatever one
/// refuses, `ErrorAnswers` turns into the contract's body.
protocol RequestAdmission: Sendable {
    func admit(_ request: Request, context: AppRequestContext) throws(APIError)
}
