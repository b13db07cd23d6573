import HTTPTypes
import Hummingbird

/// While the data directory is short of space (`DiskSpaceStatus`), answers every request that
/// may change state with 503 `unavailable`, `Retry-After` and a message naming the cause; reads
/// go on. Writes resume by themselves once a check finds the space back above the reserve.
///
/// A request may change state unless its method is GET, HEAD or OPTIONS or its path is one of
/// `writeFreePaths`: the rule covers every route, those added later included, so a new route
/// that writes is refused without being listed anywhere.
struct ReadOnlyCheck: RequestAdmission {
    let diskSpace: DiskSpaceStatus

    static let readMethods: Set<HTTPRequest.Method> = [.get, .head, .options]
    /// POSTs that write nothing to the log: login checks a password and signs a token.
    static let writeFreePaths: Set<String> = ["/api/v2/auth/login"]
    /// A few checks of the free space (one a second by default).
    static let retryAfterSeconds = 5

    func admit(_ request: Request, context: AppRequestContext) throws(APIError) {
        if diskSpace.isReadOnly, !Self.readMethods.contains(request.method), !Self.writeFreePaths.contains(request.uri.path),
            let reading = diskSpace.reading, reading.readOnlyReason != nil
        {
            throw APIError(
                .serviceUnavailable, "unavailable",
                "the server is read-only: the disk of its data directory is full (\(reading.availableBytes) bytes free, "
                    + "below the reserve of \(reading.reserve)); changes are refused until space is freed",
                headers: [.retryAfter: String(Self.retryAfterSeconds)])
        }
    }
}
