import Hummingbird
import NIOCore

extension Request {
    /// `decode(as:context:)` for routes whose body is optional: an empty body is nil.
    func decodeIfPresent<T: Decodable>(as type: T.Type, context: AppRequestContext) async throws -> T? {
        if headers[.contentLength] == "0" { return nil }
        var request = self
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: context.maxUploadSize)
        } catch is NIOTooManyBytesError {
            throw APIError.payloadTooLarge(limit: context.maxUploadSize)
        }
        guard buffer.readableBytes > 0 else { return nil }
        return try await request.decode(as: type, context: context)
    }
}
