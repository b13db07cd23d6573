import HTTPTypes
import NIOCore

/// Who a request comes from, for rate limiting: the socket peer, or, when that peer is one of the
/// trusted proxies, the last address of `X-Forwarded-For` (the one that proxy appended itself, as
/// nginx's `$proxy_add_x_forwarded_for` does; the addresses before it are the client's word).
///
/// A peer that is not trusted cannot choose its address: its `X-Forwarded-For` is ignored. A
/// trusted proxy's request without a usable `X-Forwarded-For` counts as the proxy's own.
public struct ClientAddress: Sendable {
    public let trustedProxies: [IPAddressRange]

    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!

    public init(trustedProxies: [IPAddressRange]) {
        self.trustedProxies = trustedProxies
    }

    /// The client's address; `.unknown` when there is no IP peer (the router tests).
    public func resolve(peer: SocketAddress?, headers: HTTPFields) -> IPAddress {
        guard let peerAddress = peer.flatMap(IPAddress.init) else { return .unknown }
        guard !trustedProxies.isEmpty, trustedProxies.contains(where: { $0.contains(peerAddress) }) else { return peerAddress }
        return headers[values: Self.forwardedFor].last.flatMap(Self.lastForwarded) ?? peerAddress
    }

    /// The last element of one `X-Forwarded-For` line: `203.0.113.7`, `2001:db8::1`, and the
    /// forms with a port some proxies write, `203.0.113.7:4711` and `[2001:db8::1]:4711`.
    static func lastForwarded(_ line: String) -> IPAddress? {
        guard let last = line.split(separator: ",").last else { return nil }
        var element = last.trimmingPrefix(while: { $0 == " " || $0 == "\t" })
        while let end = element.last, end == " " || end == "\t" { element = element.dropLast() }
        if element.first == "[", let close = element.firstIndex(of: "]") {
            return IPAddress(element[element.index(after: element.startIndex)..<close])
        }
        if element.filter({ $0 == ":" }).count == 1, let colon = element.firstIndex(of: ":") {
            return IPAddress(element[..<colon])
        }
        return IPAddress(element)
    }

    /// The key a client's budget is kept under: an IPv4 address itself, an IPv6 address its /64,
    /// the block one subscriber usually gets (so cycling through one's own /64 buys no new budget).
    public static func bucketKey(_ address: IPAddress) -> IPAddress {
        address.isIPv4 ? address : address.masked(to: 64)
    }
}
