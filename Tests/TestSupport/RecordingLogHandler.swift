import Logging

/// A log handler that keeps every message with its metadata, to check what the log says.
public struct RecordingLogHandler: LogHandler {
    public struct Entry: Sendable {
        public var level: Logger.Level
        public var message: String
        public var metadata: Logger.Metadata
    }

    public typealias Store = Shared<[Entry]>

    public let store: Store
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .trace

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        store.update { $0.append(Entry(level: event.level, message: event.message.description, metadata: merged)) }
    }

    /// A logger recording into a new store, and the store.
    public static func logger() -> (Logger, Store) {
        let store = Store([])
        return (Logger(label: "test") { _ in RecordingLogHandler(store: store) }, store)
    }
}
