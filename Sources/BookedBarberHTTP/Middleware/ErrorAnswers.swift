import BookingCore
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Turns every error a handler throws into the contract's JSON error body, so no client ever sees
/// an HTML page, an empty body or a 500 for bad input. `RequestPipeline` asks it for the answer
/// to whatever the static files, the admission checks, authentication or the route threw.
///
/// Errors Hummingbird raises itself are mapped too: unknown route → 404 `not_found`, body over the
/// limit → 413 `payload_too_large`. Anything unforeseen is logged and answered 500 with the same
/// body shape; tests treat any 500 as a bug.
/// A page's `WebPageError` (a redirect or an HTML error page) is passed through as it is.
struct ErrorAnswers: Sendable {
    /// The configured body limit (`ServerConfiguration.HTTP.maxBodyBytes`), named in 413 answers.
    let bodyLimit: Int

    func response(for error: any Error, to request: Request, context: AppRequestContext) throws -> Response {
        switch error {
        case let error as APIError:
            return try error.response(from: request, context: context)
        case let error as BookingError:
            return try APIError(error).response(from: request, context: context)
        case let error as WebPageError:
            return try error.response(from: request, context: context)
        case let error as any HTTPResponseError:
            return try translate(error).response(from: request, context: context)
        default:
            context.logger.error("unhandled error", metadata: ["error": "\(String(reflecting: error))"])
            return try APIError(.internalServerError, "internal", "internal error").response(from: request, context: context)
        }
    }

    private func translate(_ error: any HTTPResponseError) -> APIError {
        let detail = (error as? HTTPError)?.body
        return switch error.status {
        case .notFound: APIError.notFound("no such route")
        case .contentTooLarge: APIError.payloadTooLarge(limit: bodyLimit)
        case .unauthorized: APIError.unauthorized(detail ?? "unauthorized")
        default:
            APIError(error.status, error.status.code < 500 ? "bad_request" : "internal", detail ?? error.status.reasonPhrase)
        }
    }
}
