import BookingCore
import BookingEngine
import Foundation

#if canImport(Glibc)
import CNIOLinux
import Glibc
#endif

/// Whether a webhook URL may be delivered to: http or https, with a host that resolves only to
/// public addresses. Loopback, private, link-local, unspecified (and the other non-public
/// ranges below) are refused unless `allowPrivate` (`--allow-private-webhooks`): the server
/// must not be made to POST into its own network (server-side request forgery).
///
/// The check resolves the host name, so `localhost` or a public name pointing at 10.0.0.1 is
/// refused like the address itself; deliveries check again before each attempt, since a name
/// may be re-pointed after it was accepted.
public struct WebhookTarget: Sendable {
    public let allowPrivate: Bool

    public init(allowPrivate: Bool) { self.allowPrivate = allowPrivate }

    /// Address blocks that are not the public internet.
    static let refusedRanges: [IPAddressRange] = [
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24",
        "192.168.0.0/16", "198.18.0.0/15", "224.0.0.0/4", "240.0.0.0/4", "::/128", "::1/128", "64:ff9b:1::/48",
        "fc00::/7", "fe80::/10", "ff00::/8",
    ].map { IPAddressRange($0)! }

    /// Why `address` may not be a webhook target, or nil when it is public.
    static func refusal(of address: IPAddress) -> String? {
        refusedRanges.first { $0.contains(address) }.map { "\(address) is in \($0), which is not a public address" }
    }

    /// The URL checked; 422 `validation_failed` saying why it is refused.
    public func check(_ text: String) async throws(BookingError) {
        guard text.utf8.count <= 2048, let url = URLComponents(string: text), let scheme = url.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = url.host, !host.isEmpty, url.user == nil, url.password == nil
        else { throw .validationFailed("url: an absolute http or https URL without credentials is required") }
        if allowPrivate { return }
        let port = url.port ?? (scheme == "https" ? 443 : 80)
        if let problem = await Self.problem(host: host, port: port) { throw .validationFailed("url: \(problem)") }
    }

    /// Resolves `host` off the cooperative pool; a reason to refuse it, or nil.
    public static func problem(host: String, port: Int) async -> String? {
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        let resolved = await offload(.waiting) { resolve(bare, port: port) }
        switch resolved {
        case .failure(let why): return "host \(host) does not resolve (\(why))"
        case .success(let addresses) where addresses.isEmpty: return "host \(host) does not resolve"
        case .success(let addresses):
            for address in addresses { if let refusal = refusal(of: address) { return "host \(host): \(refusal)" } }
            return nil
        }
    }

    /// Every address `getaddrinfo` gives for `host`.
    static func resolve(_ host: String, port: Int) -> Result<[IPAddress], ResolutionError> {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0 else { return .failure(ResolutionError(message: String(cString: gai_strerror(status)))) }
        defer { freeaddrinfo(list) }
        var addresses: [IPAddress] = []
        var entry = list
        while let current = entry {
            var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
            if current.pointee.ai_family == AF_INET, let raw = current.pointee.ai_addr {
                raw.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { pointer in
                    var address = pointer.pointee.sin_addr
                    _ = inet_ntop(AF_INET, &address, &text, socklen_t(text.count))
                }
            } else if current.pointee.ai_family == AF_INET6, let raw = current.pointee.ai_addr {
                raw.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { pointer in
                    var address = pointer.pointee.sin6_addr
                    _ = inet_ntop(AF_INET6, &address, &text, socklen_t(text.count))
                }
            }
            if let address = IPAddress(String(cString: text)) { addresses.append(address) }
            entry = current.pointee.ai_next
        }
        return .success(addresses)
    }

    struct ResolutionError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }
}
