import Foundation
import Hummingbird
import NIOCore
import NIOFoundationCompat

/// The request decoder of `AppRequestContext`, behind `request.decode(as:context:)`: reads the
/// body (at most the context's body limit, else 413 `payload_too_large`) and decodes it as JSON.
/// Anything that is not a JSON object of the expected shape is 400 `bad_request` with a message
/// naming the offending field, in the contract's error body (`APIError`, which Hummingbird passes
/// through unchanged).
///
/// The body is decoded from the bytes NIO received, without copying them into a `Data` first.
public struct APIRequestDecoder: RequestDecoder {
    public func decode<T: Decodable>(_ type: T.Type, from request: Request, context: some RequestContext) async throws -> T {
        let limit = context.maxUploadSize
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw APIError.payloadTooLarge(limit: limit)
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw APIError.payloadTooLarge(limit: limit)
        }
        guard buffer.readableBytes > 0 else { throw APIError.badRequest("the request needs a JSON body") }
        do {
            // Why `bytesNoCopy` is safe: the `Data` does not outlive the closure, and the decoded
            // value copies what it keeps.
            return try buffer.withUnsafeReadableBytes { bytes in
                try JSONDecoder().decode(
                    T.self, from: Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: bytes.baseAddress!), count: bytes.count, deallocator: .none))
            }
        } catch let error as DecodingError {
            throw APIError.badRequest(Self.describe(error))
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
