import BookingCore

/// The 48 bytes that open a snapshot file (docs/log-format.md, "Snapshot"):
///
///     0  8  magic "BBSNAPSH"
///     8  4  format version, u32 LE (1: JSON payload; 2: binary payload)
///    12  4  reserved, zero
///    16  8  covered LSN, u64 LE: the state holds every record up to it and none after
///    24  8  uncompressed length, u64 LE: bytes of the caller's payload
///    32  8  compressed length, u64 LE: bytes of the body that follows the header
///    40  4  CRC-32 of the body, u32 LE
///    44  4  CRC-32 of bytes 0..<44, u32 LE
///
/// The body is the payload deflated in zlib format (RFC 1950).
public struct SnapshotHeader: Sendable, Equatable {
    static let size = 48
    static let magic = Array("BBSNAPSH".utf8)
    /// The format version this build writes; it names the payload's encoding (`SnapshotPayload`).
    public static let formatVersion: UInt32 = SnapshotPayload.writtenVersion
    /// The format versions this build reads.
    public static let readableVersions: ClosedRange<UInt32> = 1...formatVersion

    /// The format version of this snapshot, which names its payload's encoding.
    public var version: UInt32 = formatVersion
    /// The LSN of the newest record the snapshot's state includes.
    public var lsn: LSN
    public var uncompressedLength: Int
    public var compressedLength: Int
    /// CRC-32 of the compressed body.
    public var bodyChecksum: UInt32

    func encoded() -> [UInt8] {
        var bytes = Self.magic
        bytes.reserveCapacity(Self.size)
        bytes.appendLittleEndian(version)
        bytes.appendLittleEndian(UInt32(0))
        bytes.appendLittleEndian(UInt64(lsn))
        bytes.appendLittleEndian(UInt64(uncompressedLength))
        bytes.appendLittleEndian(UInt64(compressedLength))
        bytes.appendLittleEndian(bodyChecksum)
        bytes.appendLittleEndian(CRC32(of: bytes).value)
        return bytes
    }

    /// The header in the first 48 of `bytes`, or why there is none.
    static func decode(_ bytes: [UInt8]) -> Result<SnapshotHeader, SnapshotHeaderDamage> {
        guard bytes.count >= size else { return .failure(.init("header is \(bytes.count) of \(size) bytes")) }
        guard bytes.starts(with: magic) else { return .failure(.init("not a snapshot (wrong magic)")) }
        guard CRC32(of: bytes[0..<44]).value == bytes.littleEndian(at: 44, as: UInt32.self) else {
            return .failure(.init("header checksum mismatch"))
        }
        let version = bytes.littleEndian(at: 8, as: UInt32.self)
        guard readableVersions.contains(version) else {
            return .failure(.init("format version \(version); this build reads versions \(readableVersions)"))
        }
        guard bytes.littleEndian(at: 12, as: UInt32.self) == 0 else { return .failure(.init("nonzero reserved bytes")) }
        let lsn = bytes.littleEndian(at: 16, as: UInt64.self)
        let uncompressed = bytes.littleEndian(at: 24, as: UInt64.self)
        let compressed = bytes.littleEndian(at: 32, as: UInt64.self)
        let limit = UInt64(Int.max)
        guard lsn <= limit, uncompressed <= limit, compressed <= limit else { return .failure(.init("field out of range")) }
        return .success(
            SnapshotHeader(
                version: version, lsn: LSN(lsn), uncompressedLength: Int(uncompressed), compressedLength: Int(compressed),
                bodyChecksum: bytes.littleEndian(at: 40, as: UInt32.self)))
    }
}

/// Why a snapshot header does not verify.
struct SnapshotHeaderDamage: Error {
    var reason: String
    init(_ reason: String) { self.reason = reason }
}
