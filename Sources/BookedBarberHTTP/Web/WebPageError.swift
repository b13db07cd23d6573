import HTTPTypes
import Hummingbird

/// An answer a page handler ends with early: a redirect (to sign in, or to the visitor's own
/// page), or an HTML error page. `ErrorAnswers` passes it through as it is, so pages never
/// answer with the API's JSON error body.
struct WebPageError: Error, HTTPResponseError {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var html: String

    static func redirect(_ location: String) -> WebPageError {
        WebPageError(status: .seeOther, headers: [.location: location], html: "")
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        guard status != .seeOther else { return Response(status: status, headers: headers) }
        var headers = headers
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        headers[.contentSecurityPolicy] = PageRenderer.contentSecurityPolicy
        return Response(status: status, headers: headers, body: .init(byteBuffer: .init(string: html)))
    }
}
