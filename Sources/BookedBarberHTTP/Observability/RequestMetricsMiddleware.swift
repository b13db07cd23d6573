import Hummingbird

/// Counts and times every request by route pattern, method and status class (`ServerMetrics`),
/// and tracks the requests in flight. Outermost middleware, so every answer is counted, errors
/// and 503s included; the time runs until the response is handed to the server for writing
/// (every body of this API is a buffer ready at that point).
///
/// The route is the pattern the router matched (`/api/v2/appointments/{id}`), never the raw
/// path, so a client cannot create new label values; unmatched paths count as `unmatched`.
struct RequestMetricsMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    let metrics: ServerMetrics
    /// The handles of the routes the router serves (`ServerMetrics.handleTable(for:)`).
    let table: RequestHandleTable

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        metrics.requestStarted()
        let method = request.method.rawValue
        do {
            let response = try await next(request, context)
            metrics.requestFinished(route: Self.route(context), method: method, status: response.status.code, duration: .now - started, table: table)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            metrics.requestFinished(route: Self.route(context), method: method, status: status, duration: .now - started, table: table)
            throw error
        }
    }

    /// The matched route pattern; the router's marker for no match (e.g. "NotFound") and an
    /// absent path both become `unmatched`.
    static func route(_ context: Context) -> String {
        guard let path = context.endpointPath, path.hasPrefix("/") else { return "unmatched" }
        return path
    }
}
