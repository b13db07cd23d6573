import BookingCore

/// A verified snapshot: its header and the caller's payload, inflated.
public struct Snapshot: Sendable, Equatable {
    public var header: SnapshotHeader
    /// The bytes the writer was given, exactly.
    public var payload: [UInt8]

    public var lsn: LSN { header.lsn }

    /// The state image the payload holds, in the encoding the header's format version names.
    public func image() throws -> StateImage { try SnapshotPayload.decode(payload, version: header.version) }
}
