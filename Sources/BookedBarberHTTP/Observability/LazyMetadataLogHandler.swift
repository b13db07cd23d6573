import Logging

/// swift-log's `StreamLogHandler`, except that the metadata set on it is formatted when a line is
/// written, not each time it is set.
///
/// Hummingbird sets the request id on every request's logger, and `StreamLogHandler` formats all
/// of its metadata into a string on each set: 5 to 7 % of a `/health`'s CPU samples (perf,
/// 2026-12-02), for lines that at the default level are never written. The lines this handler
/// writes are the stream handler's own: it hands the metadata over when it writes one.
public struct LazyMetadataLogHandler: LogHandler {
    private var stream: StreamLogHandler
    public var metadata: Logger.Metadata = [:]

    /// Writing to standard error, as `Logger(label:)` does by default.
    public init(label: String) {
        self.stream = .standardError(label: label)
    }

    public init(label: String, stream: any TextOutputStream & Sendable) {
        self.stream = StreamLogHandler(label: label, stream: stream)
    }

    public var logLevel: Logger.Level {
        get { stream.logLevel }
        set { stream.logLevel = newValue }
    }

    public var metadataProvider: Logger.MetadataProvider? {
        get { stream.metadataProvider }
        set { stream.metadataProvider = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var writer = stream
        writer.metadata = metadata
        writer.log(event: event)
    }
}
