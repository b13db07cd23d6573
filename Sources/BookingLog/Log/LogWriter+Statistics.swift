import BookingCore

extension LogWriter {
    /// Counters for metrics, read together at one instant.
    public struct Statistics: Sendable, Equatable {
        /// Records appended since the writer opened.
        public var appends = 0
        /// `fdatasync` calls that committed written records (not those on segment rolls, at
        /// open, or of directories).
        public var fsyncs = 0
        /// Records in the newest batch written.
        public var lastBatchSize = 0
        /// How long the newest `fdatasync` took.
        public var lastFsyncDuration = Duration.zero
        /// The newest LSN written to the file (in the page cache at least).
        public var writtenLSN: LSN = 0
        /// The newest LSN covered by an `fdatasync`.
        public var syncedLSN: LSN = 0
        /// Segments started since the writer opened (the first one included, if it created it).
        public var segmentsCreated = 0
    }
}
