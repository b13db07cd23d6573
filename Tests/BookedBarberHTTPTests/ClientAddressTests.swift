import HTTPTypes
import NIOCore
import Testing

@testable import BookedBarberHTTP

/// Addresses, CIDR blocks and who a request is from: the socket peer, or the last
/// `X-Forwarded-For` address, but only when the peer is a trusted proxy.
@Suite struct ClientAddressTests {
    @Test func addressesParseInBothFamiliesAndIPv4MappedEqualsPlainIPv4() throws {
        #expect(IPAddress("192.0.2.7")?.description == "192.0.2.7")
        #expect(IPAddress("2001:DB8::1")?.description == "2001:db8::1")
        #expect(IPAddress("::ffff:192.0.2.7") == IPAddress("192.0.2.7"))
        #expect(IPAddress("192.0.2.7")?.isIPv4 == true)
        #expect(IPAddress("2001:db8::1")?.isIPv4 == false)
        for bad in ["", "192.0.2", "256.0.0.1", "192.0.2.7:80", "[::1]", "fe80::1%eth0", "example.com", "1.2.3.4 "] {
            #expect(IPAddress(bad) == nil, "\(bad) parsed")
        }
    }

    @Test func socketPeersConvertToTheSameAddresses() throws {
        #expect(try IPAddress(SocketAddress(ipAddress: "198.51.100.9", port: 4711)) == IPAddress("198.51.100.9"))
        #expect(try IPAddress(SocketAddress(ipAddress: "2001:db8::42", port: 4711)) == IPAddress("2001:db8::42"))
        #expect(try IPAddress(SocketAddress(ipAddress: "::ffff:198.51.100.9", port: 1)) == IPAddress("198.51.100.9"))
    }

    @Test func rangesMatchTheirBlockOnly() throws {
        let ten = try #require(IPAddressRange("10.0.0.0/8"))
        #expect(ten.contains(IPAddress("10.255.3.4")!))
        #expect(!ten.contains(IPAddress("11.0.0.1")!))
        #expect(!ten.contains(IPAddress("::a00:1")!), "an IPv6 address with the same low bits is not in an IPv4 block")
        let single = try #require(IPAddressRange("127.0.0.1"))
        #expect(single.contains(IPAddress("127.0.0.1")!) && !single.contains(IPAddress("127.0.0.2")!))
        let documentation = try #require(IPAddressRange("2001:db8::/32"))
        #expect(documentation.contains(IPAddress("2001:db8:ffff::1")!) && !documentation.contains(IPAddress("2001:db9::1")!))
        #expect(IPAddressRange("10.1.2.3/8")?.description == "10.0.0.0/8")
        for bad in ["10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/-1", "x/8", "10.0.0.0/8/8", "/8"] {
            #expect(IPAddressRange(bad) == nil, "\(bad) parsed")
        }
    }

    @Test func forwardedForCountsOnlyFromATrustedProxyAndThenItsLastAddress() throws {
        let resolver = ClientAddress(trustedProxies: [IPAddressRange("10.0.0.0/8")!, IPAddressRange("::1")!])
        let proxy = try SocketAddress(ipAddress: "10.0.0.2", port: 1)
        let stranger = try SocketAddress(ipAddress: "203.0.113.50", port: 1)
        func forwarded(_ lines: String...) -> HTTPFields {
            var fields = HTTPFields()
            for line in lines { fields.append(HTTPField(name: ClientAddress.forwardedFor, value: line)) }
            return fields
        }
        #expect(resolver.resolve(peer: proxy, headers: forwarded("198.51.100.1, 192.0.2.7")) == IPAddress("192.0.2.7"))
        #expect(resolver.resolve(peer: proxy, headers: forwarded("198.51.100.1", "192.0.2.8")) == IPAddress("192.0.2.8"))
        #expect(resolver.resolve(peer: proxy, headers: forwarded("192.0.2.9:4711")) == IPAddress("192.0.2.9"))
        #expect(resolver.resolve(peer: proxy, headers: forwarded("[2001:db8::7]:4711")) == IPAddress("2001:db8::7"))
        #expect(resolver.resolve(peer: proxy, headers: forwarded(" 2001:db8::8 ")) == IPAddress("2001:db8::8"))
        // No usable header: the proxy's own address.
        #expect(resolver.resolve(peer: proxy, headers: [:]) == IPAddress("10.0.0.2"))
        #expect(resolver.resolve(peer: proxy, headers: forwarded("192.0.2.7, unknown")) == IPAddress("10.0.0.2"))
        // From anyone else the header is the client's word and is ignored.
        #expect(resolver.resolve(peer: stranger, headers: forwarded("192.0.2.7")) == IPAddress("203.0.113.50"))
        #expect(ClientAddress(trustedProxies: []).resolve(peer: proxy, headers: forwarded("192.0.2.7")) == IPAddress("10.0.0.2"))
        // No socket at all (the router tests): one shared "unknown" client.
        #expect(resolver.resolve(peer: nil, headers: forwarded("192.0.2.7")) == .unknown)
    }

    @Test func anIPv6ClientIsBudgetedByItsSlash64() throws {
        let key = ClientAddress.bucketKey
        #expect(key(IPAddress("2001:db8:1:2::1")!) == key(IPAddress("2001:db8:1:2:ffff:ffff:ffff:ffff")!))
        #expect(key(IPAddress("2001:db8:1:2::1")!) != key(IPAddress("2001:db8:1:3::1")!))
        #expect(key(IPAddress("192.0.2.1")!) != key(IPAddress("192.0.2.2")!))
    }
}
