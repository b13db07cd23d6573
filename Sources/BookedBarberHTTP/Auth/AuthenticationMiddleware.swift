import BookingCore
import Hummingbird

/// Reads `Authorization: Bearer <token>` and records in the context who is asking, or why the
/// token is refused. It never rejects a request itself: public routes ignore the result, and
/// protected ones call `context.requester()`, which answers 401 with the reason.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let tokens: TokenIssuer

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let header = request.headers[.authorization] {
            let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
            if parts.count == 2, parts[0].lowercased() == "bearer" {
                // `split` dropped the spaces before the token; HTTP field values carry none after it.
                switch await tokens.verify(String(parts[1])) {
                case .success(let requester): context.authentication = .valid(requester)
                case .failure(let refusal): context.authentication = .invalid(refusal.message)
                }
            } else {
                context.authentication = .invalid("expected Authorization: Bearer <token>")
            }
        }
        return try await next(request, context)
    }
}
