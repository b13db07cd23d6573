/// Fixed-width little-endian integers in byte arrays: the byte order of every integer field in
/// the log and snapshot formats (docs/log-format.md).
extension Array where Element == UInt8 {
    mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
}

extension Collection<UInt8> where Index == Int {
    /// The integer stored little-endian at `offset`. The caller guarantees that
    /// `offset + T.bitWidth / 8` bytes are there.
    func littleEndian<T: FixedWidthInteger>(at offset: Int, as type: T.Type = T.self) -> T {
        precondition(offset >= startIndex && offset + T.bitWidth / 8 <= endIndex, "read past the end of a buffer")
        var value: T = 0
        for index in (0..<T.bitWidth / 8).reversed() {
            value = value << 8 | T(self[offset + index])
        }
        return value
    }
}
