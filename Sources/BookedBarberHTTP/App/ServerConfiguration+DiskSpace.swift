import BookingLog

extension ServerConfiguration {
    /// The free space kept in the data directory's file system (`--disk-reserve`): below the
    /// reserve the server is read-only. Checked every `checkInterval` by a timer, never per request.
    public struct DiskSpace: Sendable {
        public var reserve = SpaceReserve.default
        public var checkInterval: Duration = .seconds(1)
        public init() {}
    }
}
