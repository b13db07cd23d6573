import HTTPTypes
import Hummingbird
import Logging

/// Headers every response carries: the request id, and security headers that tell browsers not
/// to sniff types, frame the API or send referrers.
///
/// The request id is the client's `X-Request-Id` when it is a sane token (1 to 128 visible ASCII
/// characters), else the id Hummingbird generated for the request; it is echoed back, and logged
/// under Hummingbird's own metadata key `hb.request.id` (a client's id replaces the generated one
/// there; the generated one is already in place, so most requests do not copy the logger). Outermost middleware, so error answers get the headers too.
/// An answer that sets its own `Content-Security-Policy` (the web pages, `PageRenderer`) keeps
/// it: two policies would both be enforced, and the API's `default-src 'none'` would block the
/// pages' own stylesheet.
struct ResponseHeadersMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    static let securityHeaders: HTTPFields = [
        .xContentTypeOptions: "nosniff",
        .xFrameOptions: "DENY",
        .referrerPolicy: "no-referrer",
        .contentSecurityPolicy: "default-src 'none'; frame-ancestors 'none'",
    ]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let requestID: String
        // `contains` first: the joining subscript costs more than the scan, and most requests send no id.
        if request.headers.contains(.xRequestID), let clientID = request.headers[.xRequestID].flatMap(Self.acceptable) {
            requestID = clientID
            context.logger[metadataKey: "hb.request.id"] = .string(clientID)
        } else {
            requestID = context.id
        }
        var response = try await next(request, context)
        response.headers[.xRequestID] = requestID
        for field in Self.securityHeaders where !response.headers.contains(field.name) {
            response.headers.append(field)
        }
        return response
    }

    static func acceptable(_ id: String) -> String? {
        (1...128).contains(id.utf8.count) && id.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F } ? id : nil
    }
}

extension HTTPField.Name {
    static let xRequestID = Self("X-Request-Id")!
    static let xContentTypeOptions = Self("X-Content-Type-Options")!
    static let xFrameOptions = Self("X-Frame-Options")!
    static let referrerPolicy = Self("Referrer-Policy")!
}
