extension ServerConfiguration {
    /// Request budgets per client address (`RateLimitCheck`). On by default for `serve`.
    ///
    /// Defaults for one shop behind nginx: a person in a browser makes a few requests per page,
    /// and a shop's Wi-Fi or a carrier's NAT puts several people behind one address, so the
    /// general budget is generous (20/s, bursts of 100) and only stops floods and scrapers. Sign-in
    /// and sign-up are what password guessing uses, and each costs a bcrypt hash: 10 per minute,
    /// bursts of 5, in a bucket of their own.
    public struct RateLimit: Sendable {
        public var enabled = true
        /// General budget: tokens per second and bucket size, per client address.
        public var requestsPerSecond: Double = 20
        public var burst = 100
        /// `POST /api/v2/auth/login` and `/register`: tokens per minute and bucket size (these
        /// requests take from the general budget too).
        public var authPerMinute: Double = 10
        public var authBurst = 5
        /// Peers whose `X-Forwarded-For` names the client (its last address); empty: none, every
        /// client is its socket peer. Behind nginx on the same host: `127.0.0.1` and `::1`.
        public var trustedProxies: [IPAddressRange] = []
        /// Most buckets kept per budget; idle ones are dropped first (`TokenBucketTable`).
        public var maxTrackedClients = 100_000
        /// The time buckets refill by; tests hand in a clock they move by hand.
        public var clock: RateLimiter.Clock = RateLimiter.monotonicClock
        public init() {}

        var generalPolicy: TokenBucketPolicy { TokenBucketPolicy(tokensPerSecond: requestsPerSecond, capacity: Double(burst)) }
        var authPolicy: TokenBucketPolicy { TokenBucketPolicy(tokensPerSecond: authPerMinute / 60, capacity: Double(authBurst)) }
    }
}
