import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOFoundationCompat

extension Request {
    /// Reads the body (at most `context.bodyLimit` bytes, else 413) and decodes it as JSON;
    /// anything that is not a JSON object of the expected shape is 400 `bad_request` with a message
    /// that names the offending field.
    mutating func decodeJSON<T: Decodable>(_ type: T.Type, context: AppRequestContext) async throws -> T {
        if let length = headers[.contentLength].flatMap(Int.init), length > context.bodyLimit {
            throw APIError.payloadTooLarge(limit: context.bodyLimit)
        }
        let buffer: ByteBuffer
        do {
            buffer = try await collectBody(upTo: context.bodyLimit)
        } catch is NIOTooManyBytesError {
            throw APIError.payloadTooLarge(limit: context.bodyLimit)
        }
        guard buffer.readableBytes > 0 else { throw APIError.badRequest("the request needs a JSON body") }
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer: buffer))
        } catch let error as DecodingError {
            throw APIError.badRequest(Self.describe(error))
        } catch let error as APIError {
            throw error
        } catch {
            throw APIError.badRequest("the body is not valid JSON")
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let names = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }
            return names.isEmpty ? "body" : names.joined(separator: ".")
        }
        switch error {
        case .typeMismatch(_, let context): return "\(path(context)): wrong type"
        case .valueNotFound(_, let context): return "\(path(context)): must not be null"
        case .keyNotFound(let key, let context):
            let parent = path(context)
            return parent == "body" ? "missing field \(key.stringValue)" : "\(parent): missing field \(key.stringValue)"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "the body is not valid JSON" : "\(path(context)): \(context.debugDescription)"
        @unknown default: return "the body does not match the expected shape"
        }
    }
}

/// Encodes a value as a JSON response.
func jsonResponse(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
    let data = try JSONEncoder().encode(value)
    return Response(
        status: status, headers: [.contentType: "application/json; charset=utf-8"],
        body: .init(byteBuffer: ByteBuffer(bytes: data)))
}

extension Request {
    /// Like `decodeJSON`, for routes whose body is optional: an empty body is nil.
    mutating func decodeOptionalJSON<T: Decodable>(_ type: T.Type, context: AppRequestContext) async throws -> T? {
        if headers[.contentLength] == "0" { return nil }
        let buffer: ByteBuffer
        do {
            buffer = try await collectBody(upTo: context.bodyLimit)
        } catch is NIOTooManyBytesError {
            throw APIError.payloadTooLarge(limit: context.bodyLimit)
        }
        guard buffer.readableBytes > 0 else { return nil }
        self.body = .init(buffer: buffer)
        return try await decodeJSON(type, context: context)
    }
}
