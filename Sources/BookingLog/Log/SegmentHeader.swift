import BookingCore

/// The 32 bytes that open every segment file (docs/log-format.md, "Segment header"):
///
///     0  8  magic "BBWALSEG"
///     8  4  format version, u32 LE (1)
///    12  4  reserved, zero
///    16  8  first LSN, u64 LE: the LSN of the segment's first record, equal to the one in its name
///    24  4  CRC-32 of bytes 0..<24, u32 LE
///    28  4  reserved, zero
///
/// A header is intact only if all of that holds; a header whose checksum holds but whose version
/// is not 1 was written by another format version and is never mistaken for a torn write.
struct SegmentHeader: Equatable {
    static let size = 32
    static let magic = Array("BBWALSEG".utf8)
    static let formatVersion: UInt32 = 1

    var firstLSN: LSN

    /// What the first bytes of a segment file hold.
    enum Decoded: Equatable {
        case intact(SegmentHeader)
        /// Intact, but of a format version this build does not read.
        case unsupportedVersion(UInt32)
        /// Short, torn or corrupt: the reason, for the error message.
        case damaged(String)
    }

    func encoded() -> [UInt8] {
        var bytes = Self.magic
        bytes.reserveCapacity(Self.size)
        bytes.appendLittleEndian(Self.formatVersion)
        bytes.appendLittleEndian(UInt32(0))
        bytes.appendLittleEndian(UInt64(firstLSN))
        bytes.appendLittleEndian(CRC32(of: bytes).value)
        bytes.appendLittleEndian(UInt32(0))
        return bytes
    }

    static func decode(_ bytes: [UInt8]) -> Decoded {
        guard bytes.count >= size else { return .damaged("segment header is \(bytes.count) of \(size) bytes") }
        guard bytes.starts(with: magic) else { return .damaged("segment header has the wrong magic") }
        guard CRC32(of: bytes[0..<24]).value == bytes.littleEndian(at: 24, as: UInt32.self) else {
            return .damaged("segment header checksum mismatch")
        }
        guard bytes.littleEndian(at: 12, as: UInt32.self) == 0, bytes.littleEndian(at: 28, as: UInt32.self) == 0 else {
            return .damaged("segment header has nonzero reserved bytes")
        }
        let version = bytes.littleEndian(at: 8, as: UInt32.self)
        guard version == formatVersion else { return .unsupportedVersion(version) }
        let firstLSN = bytes.littleEndian(at: 16, as: UInt64.self)
        guard firstLSN >= 1, firstLSN <= UInt64(LSN.max) else { return .damaged("segment header has first LSN \(firstLSN)") }
        return .intact(SegmentHeader(firstLSN: LSN(firstLSN)))
    }
}
