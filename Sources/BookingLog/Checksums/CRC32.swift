import CZlib

/// CRC-32 (the IEEE polynomial of zlib, gzip and PNG), computed by the system zlib.
///
/// Checksums are built incrementally: `CRC32()` is the checksum of no bytes, and `updating`
/// continues it over more bytes, so a checksum over several separate buffers equals the checksum
/// over their concatenation.
struct CRC32: Equatable {
    /// The checksum of the bytes seen so far.
    private(set) var value: UInt32 = 0

    init() {}

    /// The checksum of `bytes` alone.
    init(of bytes: some Collection<UInt8>) {
        self = CRC32().updating(with: bytes)
    }

    /// The checksum of the bytes seen so far followed by `bytes`.
    func updating(with bytes: some Collection<UInt8>) -> CRC32 {
        let updated =
            bytes.withContiguousStorageIfAvailable { buffer in
                CRC32(value: Self.zlibCRC(value, buffer))
            } ?? CRC32(value: Array(bytes).withUnsafeBufferPointer { Self.zlibCRC(value, $0) })
        return updated
    }

    private init(value: UInt32) { self.value = value }

    private static func zlibCRC(_ crc: UInt32, _ buffer: UnsafeBufferPointer<UInt8>) -> UInt32 {
        guard let base = buffer.baseAddress, !buffer.isEmpty else { return crc }
        return UInt32(truncatingIfNeeded: crc32_z(UInt(crc), base, buffer.count))
    }
}
