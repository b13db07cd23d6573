import Hummingbird

/// Counts and times every request by route pattern, method and status class (`ServerMetrics`),
/// and tracks the requests in flight. `RequestPipeline` starts it first and finishes it last, so
/// every answer is counted, errors and 503s included; the time runs until the response is handed
/// to the server for writing (every body of this API is a buffer ready at that point).
///
/// The route is the pattern the router matched (`/api/v2/appointments/{id}`), never the raw
/// path, so a client cannot create new label values; unmatched paths count as `unmatched`.
struct RequestMetering: Sendable {
    let metrics: ServerMetrics
    /// The handles of the routes the router serves (`ServerMetrics.handleTable(for:)`).
    let table: RequestHandleTable

    /// A request begins: one more in flight; its start time.
    func started() -> ContinuousClock.Instant {
        metrics.requestStarted()
        return .now
    }

    /// A request that began at `started` ends with `status`.
    func finished(_ request: Request, context: AppRequestContext, status: Int, started: ContinuousClock.Instant) {
        metrics.requestFinished(
            route: Self.route(context), method: request.method.rawValue, status: status, duration: .now - started, table: table)
    }

    /// The matched route pattern; the router's marker for no match (e.g. "NotFound") and an
    /// absent path both become `unmatched`.
    static func route(_ context: AppRequestContext) -> String {
        guard let path = context.endpointPath, path.hasPrefix("/") else { return "unmatched" }
        return path
    }
}
