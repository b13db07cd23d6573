import BookingCore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOFoundationCompat

/// An error answer of the contract: a status and `{"error": {"code", "message"}}`.
public struct APIError: HTTPResponseError, Equatable {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    public var headers: HTTPFields = [:]

    public init(_ status: HTTPResponse.Status, _ code: String, _ message: String, headers: HTTPFields = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers
    }

    public static func badRequest(_ message: String) -> APIError { APIError(.badRequest, "bad_request", message) }
    public static func unauthorized(_ message: String) -> APIError {
        APIError(.unauthorized, "unauthorized", message, headers: [.wwwAuthenticate: "Bearer"])
    }
    public static func forbidden(_ message: String) -> APIError { APIError(.forbidden, "forbidden", message) }
    public static func notFound(_ message: String) -> APIError { APIError(.notFound, "not_found", message) }
    public static func payloadTooLarge(limit: Int) -> APIError {
        APIError(.contentTooLarge, "payload_too_large", "the request body is larger than \(limit) bytes")
    }

    /// The contract's status for each domain error.
    public init(_ error: BookingError) {
        let status: HTTPResponse.Status =
            switch error {
            case .validationFailed, .outsideHours, .tooSoon, .tooFar: .unprocessableContent
            case .notFound: .notFound
            case .forbidden: .forbidden
            case .slotTaken, .emailTaken, .cancellationClosed, .invalidTransition, .invalidState: .conflict
            }
        self.init(status, error.code, error.message)
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// The JSON body, e.g. `{"error":{"code":"slot_taken","message":"…"}}`.
    public var body: Data {
        struct Envelope: Encodable {
            struct Inner: Encodable {
                var code: String
                var message: String
            }
            var error: Inner
        }
        return (try? JSONEncoder().encode(Envelope(error: .init(code: code, message: message)))) ?? Data()
    }
}
