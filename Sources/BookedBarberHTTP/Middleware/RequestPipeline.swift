import Hummingbird

/// The server's own work around every route, as one middleware, in this order:
/// 1. `RequestMetering` starts the request's clock (and finishes it last, thrown errors included);
/// 2. `ResponseHeaders` takes the request id (a client's own goes into the logger);
/// 3. `CORSAllowList` (when configured) answers a listed origin's preflight;
/// 4. `WebAssets` answers `/static/…`; the `RequestAdmission` checks run in the order given
///    (rate limit, header limit, readiness, read-only disk); `BearerAuthentication` puts the
///    token's requester in the context; the router runs the route;
/// 5. `ErrorAnswers` turns whatever step 4 threw into the contract's error body;
/// 6. `CORSAllowList` decorates the answer, `ResponseCompression` (when enabled) gzips it,
///    `ResponseHeaders` adds the request id and the security headers.
///
/// One middleware, not one per step: every middleware is an async call through Hummingbird's
/// responder chain (the middleware, its `next` closure, the next responder), and these steps
/// never wait except for a token's first verification, the route and a large body's gzip. As
/// separate layers they cost a measurable share of a small answer's throughput (BENCHMARKS.md,
/// sixth and twelfth sessions).
struct RequestPipeline: RouterMiddleware {
    typealias Context = AppRequestContext
    let metering: RequestMetering
    let cors: CORSAllowList?
    let compression: ResponseCompression?
    let errors: ErrorAnswers
    let assets: WebAssets
    let admission: [any RequestAdmission]
    let authentication: BearerAuthentication

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = metering.started()
        do {
            let response = try await answer(request, context: context, next: next)
            metering.finished(request, context: context, status: response.status.code, started: started)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            metering.finished(request, context: context, status: status, started: started)
            throw error
        }
    }

    /// Steps 2 to 6.
    private func answer(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let requestID = ResponseHeaders.requestID(of: request, context: &context)
        context.bodyLimit = errors.bodyLimit
        var response: Response
        if let preflight = cors?.preflight(request) {
            response = preflight
        } else {
            do {
                response = try await route(request, context: &context, next: next)
            } catch {
                response = try errors.response(for: error, to: request, context: context)
            }
            cors?.decorate(&response, for: request)
        }
        if let compression { response = try await compression.compress(response, for: request) }
        ResponseHeaders.apply(to: &response, requestID: requestID)
        return response
    }

    /// Step 4. Sets the context's authentication in place: one copy of the context per request.
    private func route(
        _ request: Request, context: inout Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        if let asset = try assets.answer(request) { return asset }
        for check in admission { try check.admit(request, context: context) }
        context.authentication = await authentication.authentication(of: request)
        return try await next(request, context)
    }
}
