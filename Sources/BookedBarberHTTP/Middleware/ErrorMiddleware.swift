import BookingCore
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Turns every error a handler throws into the contract's JSON error body, so no client ever sees
/// an HTML page, an empty body or a 500 for bad input.
///
/// Errors Hummingbird raises itself are mapped too: unknown route → 404 `not_found`, body over the
/// limit → 413 `payload_too_large`. Anything unforeseen is logged and answered 500 with the same
/// body shape; tests treat any 500 as a bug.
/// A page's `WebPageError` (a redirect or an HTML error page) is passed through as it is.
/// It also hands the configured body limit to the context, where body readers find it.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let bodyLimit: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.bodyLimit = bodyLimit
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return try error.response(from: request, context: context)
        } catch let error as BookingError {
            return try APIError(error).response(from: request, context: context)
        } catch let error as WebPageError {
            return try error.response(from: request, context: context)
        } catch let error as any HTTPResponseError {
            return try translate(error).response(from: request, context: context)
        } catch {
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
