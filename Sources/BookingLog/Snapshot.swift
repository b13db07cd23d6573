import BookingCore

/// A verified snapshot: its header and the caller's payload, inflated.
public struct Snapshot: Sendable, Equatable {
    public var header: SnapshotHeader
    /// The bytes the writer was given, exactly.
    public var payload: [UInt8]

    public var lsn: LSN { header.lsn }
}
