import HTTPTypes
import Hummingbird
import Logging

/// Headers every response carries: the request id, and security headers that tell browsers not
/// to sniff types, frame the API or send referrers. `RequestPipeline` applies them last, so
/// error answers get them too.
///
/// The request id is the client's `X-Request-Id` when it is a sane token (1 to 128 visible ASCII
/// characters), else the id Hummingbird generated for the request; it is echoed back, and logged
/// under Hummingbird's own metadata key `hb.request.id` (a client's id replaces the generated one
/// there; the generated one is already in place, so most requests do not copy the logger).
/// An answer that sets its own `Content-Security-Policy` (the web pages, `PageRenderer`) keeps
/// it: two policies would both be enforced, and the API's `default-src 'none'` would block the
/// pages' own stylesheet.
enum ResponseHeaders {
    static let securityHeaders: HTTPFields = [
        .xContentTypeOptions: "nosniff",
        .xFrameOptions: "DENY",
        .referrerPolicy: "no-referrer",
        .contentSecurityPolicy: "default-src 'none'; frame-ancestors 'none'",
    ]

    /// The request's id; a client's own id also goes into the context's logger.
    static func requestID(of request: Request, context: inout AppRequestContext) -> String {
        // `contains` first: the joining subscript costs more than the scan, and most requests send no id.
        guard request.headers.contains(.xRequestID), let clientID = request.headers[.xRequestID].flatMap(acceptable) else {
            return context.id
        }
        context.logger[metadataKey: "hb.request.id"] = .string(clientID)
        return clientID
    }

    /// Adds the request id and the security headers the answer does not set itself.
    static func apply(to response: inout Response, requestID: String) {
        response.headers[.xRequestID] = requestID
        for field in securityHeaders where !response.headers.contains(field.name) {
            response.headers.append(field)
        }
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
