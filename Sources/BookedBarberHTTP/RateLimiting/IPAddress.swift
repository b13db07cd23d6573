import NIOCore

#if canImport(Glibc)
import CNIOLinux
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An IP address as 128 bits, IPv4 addresses IPv4-mapped (`::ffff:a.b.c.d`), so one value type
/// serves both families and a dual-stack socket's mapped peers equal their plain IPv4 form.
/// Hashing and comparing it costs two integer operations: it is the key of the rate limiter.
public struct IPAddress: Hashable, Sendable, CustomStringConvertible {
    /// The first 64 bits, network order read as a big-endian number.
    var high: UInt64
    /// The last 64 bits.
    var low: UInt64

    init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// `::`, which is never a peer: stands for "no address known" (the router tests have no socket).
    public static let unknown = IPAddress(high: 0, low: 0)

    /// Parses `203.0.113.7` or `2001:db8::1` (no brackets, no port, no zone); nil otherwise.
    public init?(_ text: some StringProtocol) {
        var storage: (UInt64, UInt64) = (0, 0)
        let parsed = withUnsafeMutableBytes(of: &storage) { bytes in
            String(text).withCString { cString in
                if text.contains(":") { return inet_pton(AF_INET6, cString, bytes.baseAddress!) == 1 }
                guard inet_pton(AF_INET, cString, bytes.baseAddress! + 12) == 1 else { return false }
                bytes[10] = 0xFF
                bytes[11] = 0xFF
                return true
            }
        }
        guard parsed else { return nil }
        self.init(high: UInt64(bigEndian: storage.0), low: UInt64(bigEndian: storage.1))
    }

    /// The address of an IPv4 or IPv6 socket peer; nil for a Unix domain socket.
    public init?(_ socketAddress: SocketAddress) {
        switch socketAddress {
        case .v4(let address):
            self.init(high: 0, low: 0xFFFF << 32 | UInt64(UInt32(bigEndian: address.address.sin_addr.s_addr)))
        case .v6(let address):
            let (high, low) = withUnsafeBytes(of: address.address.sin6_addr) { bytes in
                (UInt64(bigEndian: bytes.loadUnaligned(as: UInt64.self)),
                 UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
            }
            self.init(high: high, low: low)
        case .unixDomainSocket:
            return nil
        }
    }

    /// An IPv4 address (stored IPv4-mapped).
    public var isIPv4: Bool { high == 0 && low >> 32 == 0xFFFF }

    /// This address with every bit after the first `prefixLength` cleared.
    func masked(to prefixLength: Int) -> IPAddress {
        precondition((0...128).contains(prefixLength))
        func mask(_ bits: Int) -> UInt64 { bits <= 0 ? 0 : bits >= 64 ? .max : ~(UInt64.max >> UInt64(bits)) }
        return IPAddress(high: high & mask(prefixLength), low: low & mask(prefixLength - 64))
    }

    public var description: String {
        if self == .unknown { return "unknown" }
        var storage = (high.bigEndian, low.bigEndian)
        let capacity = Int(INET6_ADDRSTRLEN)
        var text = [CChar](repeating: 0, count: capacity)
        let written = withUnsafeBytes(of: &storage) { bytes in
            isIPv4
                ? inet_ntop(AF_INET, bytes.baseAddress! + 12, &text, socklen_t(capacity))
                : inet_ntop(AF_INET6, bytes.baseAddress!, &text, socklen_t(capacity))
        }
        guard written != nil else { return "invalid" }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// A block of addresses, `10.0.0.0/8` or `fd00::/8`; a lone address is a block of one.
public struct IPAddressRange: Hashable, Sendable, CustomStringConvertible {
    /// The first address of the block.
    public let base: IPAddress
    /// Leading bits every member shares with `base`, counted over the 128-bit form (an IPv4
    /// `/8` is 96 + 8).
    public let prefixLength: Int

    /// Parses `ADDRESS` or `ADDRESS/PREFIX` (IPv4 prefixes 0 to 32, IPv6 0 to 128); nil otherwise.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPAddress(parts[0]) else { return nil }
        let writtenAsIPv4 = !parts[0].contains(":")
        let width = writtenAsIPv4 ? 32 : 128
        var length = width
        if parts.count == 2 {
            guard let given = Int(parts[1]), (0...width).contains(given), parts[1].allSatisfy(\.isASCII) else { return nil }
            length = given
        }
        self.prefixLength = length + (writtenAsIPv4 ? 96 : 0)
        self.base = address.masked(to: prefixLength)
    }

    public func contains(_ address: IPAddress) -> Bool { address.masked(to: prefixLength) == base }

    public var description: String { "\(base)/\(base.isIPv4 && prefixLength >= 96 ? prefixLength - 96 : prefixLength)" }
}
