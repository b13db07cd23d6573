import BookingCore

/// The snapshot file format: a `SnapshotHeader`, then the payload deflated.
///
/// Reading verifies everything before trusting anything: the header's checksum, the file's size
/// against the compressed length, the body's checksum, and that the body inflates to exactly the
/// uncompressed length. No buffer is sized from a length before that length is checked against
/// the file (and, for the inflated size, against the most deflate can expand).
public enum SnapshotFile {
    /// The file's bytes for `payload`, the state through `lsn`, deflated at `compressionLevel`
    /// (1 fastest … 9 smallest).
    public static func encode(_ payload: [UInt8], lsn: LSN, compressionLevel: Int32 = 1) -> [UInt8] {
        precondition((1...9).contains(compressionLevel), "zlib compression level \(compressionLevel)")
        let body = Zlib.compress(payload, level: compressionLevel)
        let header = SnapshotHeader(
            lsn: lsn, uncompressedLength: payload.count, compressedLength: body.count, bodyChecksum: CRC32(of: body).value)
        return header.encoded() + body
    }

    /// The verified header of the snapshot at `path`, without reading its body.
    public static func readHeader(_ path: String, fileSystem: any LogFileSystem = PosixFileSystem()) throws -> SnapshotHeader {
        switch SnapshotHeader.decode(try fileSystem.read(path, offset: 0, count: SnapshotHeader.size)) {
        case .success(let header): return header
        case .failure(let damage): throw SnapshotError(path: path, reason: damage.reason)
        }
    }

    /// The verified snapshot at `path`. Throws `SnapshotError` if anything does not verify.
    public static func read(_ path: String, fileSystem: any LogFileSystem = PosixFileSystem()) throws -> Snapshot {
        let header = try readHeader(path, fileSystem: fileSystem)
        let size = try fileSystem.fileSize(path)
        guard size - SnapshotHeader.size == header.compressedLength else {
            throw SnapshotError(
                path: path, reason: "file has \(size - SnapshotHeader.size) body bytes, header says \(header.compressedLength)")
        }
        let body = try fileSystem.read(path, offset: SnapshotHeader.size, count: header.compressedLength)
        guard body.count == header.compressedLength, CRC32(of: body).value == header.bodyChecksum else {
            throw SnapshotError(path: path, reason: "body checksum mismatch")
        }
        guard let payload = Zlib.decompress(body, expectedLength: header.uncompressedLength) else {
            throw SnapshotError(path: path, reason: "body does not inflate to \(header.uncompressedLength) bytes")
        }
        return Snapshot(header: header, payload: payload)
    }
}
