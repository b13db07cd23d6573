extension ServerConfiguration {
    /// Cross-origin access for browser front ends served from other origins (`CORSAllowList`).
    public struct CORS: Sendable {
        /// Exact origins, e.g. `https://book.example.com`; empty (the default): no CORS headers
        /// at all, and `OPTIONS` keeps answering 405.
        public var allowedOrigins: [String] = []
        /// How long a browser may cache a granted preflight.
        public var maxAge: Duration = .seconds(600)
        public init() {}
    }
}
