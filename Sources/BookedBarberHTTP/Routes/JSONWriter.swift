import BookingCore
import Foundation
import NIOCore

/// JSON text written straight into bytes, for the answers on the hottest paths: a booking's
/// answer, an event's body (every webhook delivery, every stream message) and `/auth/me`.
/// `JSONEncoder` took 5 % of a booking's CPU and 12 % of a webhook delivery's (bench/profile.sh,
/// BENCHMARKS.md), mostly in its generic containers, not in writing bytes.
///
/// Invariant: the bytes are exactly what `JSONEncoder` with `[.sortedKeys, .withoutEscapingSlashes]`
/// writes for the same `Encodable` shape, when its writer puts the keys in sorted order (absent
/// optionals omitted, as synthesized `Encodable` does; without `.sortedKeys` Foundation's key order
/// on Linux is a hash order that changes between processes): strings escaped as it escapes them (`"`, `\`,
/// `\b \t \n \f \r`, other controls as `\u00xx` in lowercase hex; everything else as UTF-8).
/// `JSONWriterTests` holds each writer to `JSONEncoder`'s bytes for the same values.
struct JSONWriter {
    private(set) var bytes: [UInt8] = []
    /// True right after `{`: the next key takes no comma.
    private var atObjectStart = false

    init(capacity: Int = 512) { bytes.reserveCapacity(capacity) }

    mutating func beginObject() {
        bytes.append(UInt8(ascii: "{"))
        atObjectStart = true
    }

    mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        atObjectStart = false
    }

    /// `"name":`, after a comma unless it is the object's first key. `name` needs no escaping.
    mutating func key(_ name: StaticString) {
        if !atObjectStart { bytes.append(UInt8(ascii: ",")) }
        atObjectStart = false
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    mutating func field(_ name: StaticString, _ value: Int) {
        key(name)
        bytes.append(contentsOf: String(value).utf8)
    }

    mutating func field(_ name: StaticString, _ value: String) {
        key(name)
        string(value)
    }

    /// Omitted when nil, as synthesized `Encodable` omits an absent optional.
    mutating func field(_ name: StaticString, _ value: String?) {
        if let value { field(name, value) }
    }

    /// `instant` as RFC 3339 with the shop's offset, as `ShopTime.format` writes it.
    mutating func field(_ name: StaticString, _ instant: Instant, _ time: ShopTime) {
        key(name)
        bytes.append(UInt8(ascii: "\""))
        let offset = time.offsetSeconds(at: instant)
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: RFC3339.formattedLength))
        let written = bytes.withUnsafeMutableBytes { buffer in
            RFC3339.write(instant, offsetSeconds: offset, into: UnsafeMutableRawBufferPointer(rebasing: buffer[start...]))
        }
        bytes.removeLast(RFC3339.formattedLength - written)
        bytes.append(UInt8(ascii: "\""))
    }

    /// `value` quoted and escaped as `JSONEncoder` escapes it.
    mutating func string(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            var clean = 0
            for index in utf8.indices {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[clean..<index]))
                clean = index + 1
                bytes.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
                case 0x08: bytes.append(UInt8(ascii: "b"))
                case 0x09: bytes.append(UInt8(ascii: "t"))
                case 0x0A: bytes.append(UInt8(ascii: "n"))
                case 0x0C: bytes.append(UInt8(ascii: "f"))
                case 0x0D: bytes.append(UInt8(ascii: "r"))
                default:
                    bytes.append(contentsOf: "u00".utf8)
                    bytes.append(Self.hexDigits[Int(byte >> 4)])
                    bytes.append(Self.hexDigits[Int(byte & 0x0F)])
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[clean...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    var data: Data { Data(bytes) }
    var buffer: ByteBuffer { ByteBuffer(bytes: bytes) }
}
