extension ServerConfiguration {
    /// gzip of response bodies for clients that accept it (`ResponseCompression`).
    public struct Compression: Sendable {
        public var enabled = true
        /// Bodies of at most this many bytes are sent as they are: compressing them saves little.
        public var minimumBytes = 1024
        public init() {}
    }
}
