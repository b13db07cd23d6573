import BookingCore
import Hummingbird

/// Reads `Authorization: Bearer <token>` and tells who is asking, or why the token is refused.
/// It never rejects a request itself: `RequestPipeline` puts the result in the context, public
/// routes ignore it, and protected ones call `context.requester()`, which answers 401 with the
/// reason. A request without the header costs one header scan and no token work.
struct BearerAuthentication: Sendable {
    let tokens: TokenIssuer

    func authentication(of request: Request) async -> AppRequestContext.Authentication {
        guard let header = request.headers[.authorization] else { return .none }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            return .invalid("expected Authorization: Bearer <token>")
        }
        // `split` dropped the spaces before the token; HTTP field values carry none after it.
        switch await tokens.verify(String(parts[1])) {
        case .success(let requester): return .valid(requester)
        case .failure(let refusal): return .invalid(refusal.message)
        }
    }
}
