import Hummingbird

/// Answers 431 `headers_too_large` (with the contract's error body) when the request line and
/// header fields together exceed `limit` bytes.
///
/// The HTTP decoder has a hard limit of its own, `HeaderLimit.decoderLimit(for:)`,
/// above which it cannot parse the request at all and closes the connection after a bare 400;
/// between the two, the client gets this readable answer.
struct HeaderLimit: RequestAdmission {
    let limit: Int

    func admit(_ request: Request, context: AppRequestContext) throws(APIError) {
        var size = request.method.rawValue.utf8.count + request.uri.string.utf8.count + 12
        for field in request.headers { size += field.name.rawName.utf8.count + field.value.utf8.count + 4 }
        guard size <= limit else {
            throw APIError(.requestHeaderFieldsTooLarge, "headers_too_large",
                           "request line and headers are \(size) bytes; the limit is \(limit)")
        }
    }

    /// The decoder's own limit for a configured `limit`: four times as much, at least 64 KiB.
    static func decoderLimit(for limit: Int) -> Int { max(64 * 1024, 4 * limit) }
}
