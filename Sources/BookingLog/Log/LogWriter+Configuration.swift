extension LogWriter {
    /// How the writer syncs and how large segments grow. The defaults are the server's.
    public struct Configuration: Sendable {
        public var fsync: FsyncMode
        /// The size a segment may reach before the next record goes to a new one; a record never
        /// spans segments, and one larger than this gets a segment of its own.
        public var maximumSegmentSize: Int
        /// In `.everySecond` mode, the longest time written records stay unsynced.
        public var syncInterval: Duration

        public init(fsync: FsyncMode = .always, maximumSegmentSize: Int = 64 << 20, syncInterval: Duration = .seconds(1)) {
            precondition(maximumSegmentSize > SegmentHeader.size, "segments must hold more than their header")
            precondition(syncInterval > .zero, "the sync interval must be positive")
            self.fsync = fsync
            self.maximumSegmentSize = maximumSegmentSize
            self.syncInterval = syncInterval
        }
    }
}
