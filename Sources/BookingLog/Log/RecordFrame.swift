import BookingCore

/// The framing of one log record (docs/log-format.md, "Record"):
///
///     0  4  payload length n, u32 LE, at least 1
///     4  1  record type (`RecordType`)
///     5  3  reserved, zero
///     8  8  LSN, u64 LE
///    16  8  appended at, i64 LE, seconds since 1970-01-01T00:00:00Z
///    24  4  CRC-32 of bytes 0..<24 followed by the payload, u32 LE
///    28  4  reserved, zero
///    32  n  payload
///  32+n  p  zero padding, so the frame's size (32 + n + p) is a multiple of 8
///
/// Every frame starts at a multiple of 8 from the start of the file (the segment header is 32
/// bytes), so its length field never straddles a 512-byte sector and is never torn.
enum RecordFrame {
    static let headerSize = 32
    /// The largest payload a frame can carry (its length is a u32).
    static let maximumPayloadSize = Int(UInt32.max)

    /// The bytes a frame with a payload of `payloadLength` takes.
    static func size(payloadLength: Int) -> Int { headerSize + ((payloadLength + 7) & ~7) }

    /// Appends the frame of a record to `buffer`.
    static func append(lsn: LSN, appendedAt: Instant, type: RecordType, payload: [UInt8], to buffer: inout [UInt8]) {
        precondition(!payload.isEmpty && payload.count <= maximumPayloadSize, "record payload of \(payload.count) bytes")
        let start = buffer.count
        buffer.appendLittleEndian(UInt32(payload.count))
        buffer.append(type.rawValue)
        buffer.append(contentsOf: [0, 0, 0])
        buffer.appendLittleEndian(UInt64(lsn))
        buffer.appendLittleEndian(appendedAt.seconds)
        let crc = CRC32(of: buffer[start..<start + 24]).updating(with: payload)
        buffer.appendLittleEndian(crc.value)
        buffer.appendLittleEndian(UInt32(0))
        buffer.append(contentsOf: payload)
        buffer.append(contentsOf: repeatElement(0, count: size(payloadLength: payload.count) - headerSize - payload.count))
    }

    /// A frame whose checksum and reserved bytes verify: trustworthy bytes, though its type and
    /// LSN may still be wrong for where it stands.
    struct Intact {
        var lsn: LSN
        var appendedAt: Instant
        var typeByte: UInt8
        var payload: Range<Int>
        var size: Int
    }

    /// The frame at `offset` of `bytes` if it is intact, else why not.
    ///
    /// Checks the cheap fields before the checksum and never allocates: a length field is
    /// compared with the bytes that remain before anything is read at that length.
    static func decode(_ bytes: [UInt8], at offset: Int) -> Result<Intact, Damage> {
        let remaining = bytes.count - offset
        guard remaining >= headerSize else { return .failure(Damage("record header is \(remaining) of \(headerSize) bytes")) }
        let length = Int(bytes.littleEndian(at: offset, as: UInt32.self))
        let typeByte = bytes[offset + 4]
        guard typeByte != 0, length > 0 else { return .failure(Damage("record with type 0 or length 0 (zero-filled?)")) }
        guard bytes[offset + 5] == 0, bytes[offset + 6] == 0, bytes[offset + 7] == 0,
            bytes.littleEndian(at: offset + 28, as: UInt32.self) == 0
        else { return .failure(Damage("record header has nonzero reserved bytes")) }
        let frameSize = size(payloadLength: length)
        guard frameSize <= remaining else {
            return .failure(Damage("record length \(length) runs past the end of the file (\(remaining) bytes left)"))
        }
        let payload = offset + headerSize..<offset + headerSize + length
        let crc = CRC32(of: bytes[offset..<offset + 24]).updating(with: bytes[payload])
        guard crc.value == bytes.littleEndian(at: offset + 24, as: UInt32.self) else {
            return .failure(Damage("record checksum mismatch"))
        }
        guard bytes[payload.upperBound..<offset + frameSize].allSatisfy({ $0 == 0 }) else {
            return .failure(Damage("record padding is not zero"))
        }
        let lsn = bytes.littleEndian(at: offset + 8, as: UInt64.self)
        guard lsn >= 1, lsn <= UInt64(LSN.max) else { return .failure(Damage("record has LSN \(lsn)")) }
        let appendedAt = Instant(seconds: bytes.littleEndian(at: offset + 16, as: Int64.self))
        return .success(Intact(lsn: LSN(lsn), appendedAt: appendedAt, typeByte: typeByte, payload: payload, size: frameSize))
    }

    /// Why a frame is not intact, for the error message or the torn-tail log line.
    struct Damage: Error, Equatable {
        var reason: String
        init(_ reason: String) { self.reason = reason }
    }
}
