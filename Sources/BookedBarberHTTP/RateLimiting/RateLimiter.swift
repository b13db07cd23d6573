import BookingEngine

/// Token buckets per client address, safe to call from any task: a `TokenBucketTable` per shard,
/// each behind its own mutex (`Sharded`), so a request costs one hash, one uncontended lock and
/// one dictionary update, with no actor hop. Each shard holds at most `maxClients / shards`
/// buckets (see `TokenBucketTable` for how idle ones are dropped).
public final class RateLimiter: Sendable {
    /// Time on a monotonic clock, from any fixed origin. Tests hand in one they move by hand.
    public typealias Clock = @Sendable () -> Duration

    /// `ContinuousClock` time since the first use.
    public static let monotonicClock: Clock = {
        let origin = ContinuousClock.now
        return { origin.duration(to: .now) }
    }()

    public let policy: TokenBucketPolicy
    private let tables: Sharded<TokenBucketTable<IPAddress>>
    private let shardCount: Int
    private let clock: Clock

    public init(policy: TokenBucketPolicy, maxClients: Int, shards: Int = 16, clock: @escaping Clock = RateLimiter.monotonicClock) {
        let start = clock().secondsValue
        let perShard = max(2, maxClients / shards)
        self.policy = policy
        self.shardCount = shards
        self.clock = clock
        self.tables = Sharded(count: shards) { TokenBucketTable(policy: policy, capacity: perShard, now: start) }
    }

    /// Takes a token from `key`'s bucket if it has one.
    public func take(_ key: IPAddress) -> RateLimitDecision {
        let now = clock().secondsValue
        return tables.withLock(key: key.hashValue) { $0.take(key, at: now) }
    }

    /// How many buckets are kept now, over all shards.
    public var trackedClients: Int {
        (0..<shardCount).reduce(0) { sum, shard in sum + tables.withLock(key: shard) { $0.count } }
    }
}
