import BookingCore
import Foundation
import Hummingbird
import Logging
import NIOCore

/// The per-request context: Hummingbird's core storage plus who is asking.
public struct AppRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The socket peer; nil without a socket (the router tests). See `ClientAddress`.
    public let remoteAddress: SocketAddress?
    /// Set by `RequestPipeline` (`BearerAuthentication`) from the `Authorization` header.
    var authentication: Authentication = .none
    /// The body limit (`ServerConfiguration.HTTP.maxBodyBytes`), applied when a body is read.
    var bodyLimit: Int = 64 * 1024

    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
    }

    public var maxUploadSize: Int { bodyLimit }

    /// Request bodies decode as the contract's JSON, with its error bodies.
    public var requestDecoder: APIRequestDecoder { APIRequestDecoder() }

    enum Authentication: Sendable {
        case none
        case invalid(String)
        case valid(Requester)
    }

    /// The authenticated requester, or 401 `unauthorized`.
    func requester() throws(APIError) -> Requester {
        switch authentication {
        case .valid(let requester): return requester
        case .invalid(let why): throw .unauthorized(why)
        case .none: throw .unauthorized("missing bearer token")
        }
    }

    /// The authenticated requester if they are staff (an admin or a barber); 401 or 403 otherwise.
    func staff() throws(APIError) -> Requester {
        let requester = try requester()
        guard requester.role != .client else { throw .forbidden("for the shop's staff only") }
        return requester
    }

    /// The authenticated requester if they are an admin; 401 or 403 otherwise.
    func admin() throws(APIError) -> Requester {
        let requester = try requester()
        guard requester.isAdmin else { throw .forbidden("admin only") }
        return requester
    }
}
