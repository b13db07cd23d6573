/// Appends the primitives of the binary payloads (record type 2, snapshot payload version 2;
/// docs/log-format.md, "Binary encoding") to a byte array:
///
/// - counts and lengths: unsigned LEB128 (7 bits a byte, low bits first, high bit = more);
/// - integers (ids, LSNs, instants, minutes, cents): signed, zigzag-mapped to unsigned, then
///   LEB128, so small magnitudes of either sign take few bytes;
/// - a byte, a boolean (0 or 1), a tag (which case of an enum, or 0/1 for an absent/present
///   optional): one byte;
/// - a string: its UTF-8 length, then its UTF-8 bytes.
///
/// `BinaryReader` reads the same primitives back.
struct BinaryWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    mutating func write(byte: UInt8) { bytes.append(byte) }

    mutating func write(_ value: Bool) { bytes.append(value ? 1 : 0) }

    mutating func write(unsigned value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    mutating func write(count: Int) {
        precondition(count >= 0, "a count is never negative")
        write(unsigned: UInt64(count))
    }

    mutating func write(_ value: Int64) {
        write(unsigned: UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    mutating func write(_ value: Int) { write(Int64(value)) }

    mutating func write(_ value: String) {
        let utf8 = value.utf8
        write(count: utf8.count)
        bytes.append(contentsOf: utf8)
    }

    /// A byte string: its length, then the bytes.
    mutating func write(bytes value: [UInt8]) {
        write(count: value.count)
        bytes.append(contentsOf: value)
    }

    /// Tag 0 for nil; tag 1 followed by the value.
    mutating func writeOptional<Value>(_ value: Value?, _ writeValue: (inout BinaryWriter, Value) -> Void) {
        guard let value else { return write(byte: 0) }
        write(byte: 1)
        writeValue(&self, value)
    }
}
