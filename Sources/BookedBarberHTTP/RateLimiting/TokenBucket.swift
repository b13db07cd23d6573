/// How fast a client's budget comes back and how much of it can be saved up.
public struct TokenBucketPolicy: Sendable, Equatable {
    /// Tokens added per second; one request takes one token.
    public var tokensPerSecond: Double
    /// The most tokens a bucket holds: how many requests may come at once after a quiet spell.
    public var capacity: Double

    public init(tokensPerSecond: Double, capacity: Double) {
        precondition(tokensPerSecond > 0 && capacity >= 1, "a bucket must refill and hold at least one token")
        self.tokensPerSecond = tokensPerSecond
        self.capacity = capacity
    }

    /// Seconds an untouched bucket takes to fill from empty; after that it equals a new one.
    public var secondsToFill: Double { capacity / tokensPerSecond }
}

/// What a bucket says to one request.
public enum RateLimitDecision: Sendable, Equatable {
    case allowed
    /// Refused; one token is back after this many whole seconds (at least 1), as `Retry-After` says.
    case limited(retryAfterSeconds: Int)
}

/// One client's budget: a pure value, refilled lazily from the time it is handed, so it needs no
/// timer and tests drive it with any numbers. Times are seconds on one monotonic clock.
public struct TokenBucket: Sendable, Equatable {
    public private(set) var tokens: Double
    /// When `tokens` was last brought up to date.
    public private(set) var updatedAt: Double

    /// A full bucket, as a client never seen before gets.
    public init(full policy: TokenBucketPolicy, at now: Double) {
        self.tokens = policy.capacity
        self.updatedAt = now
    }

    /// Tolerance for the rounding of `elapsed × rate` (6 s at 10/60 per second is one token).
    static let epsilon = 1e-9

    /// Takes a token if there is one. A refused request takes nothing.
    public mutating func take(at now: Double, policy: TokenBucketPolicy) -> RateLimitDecision {
        refill(at: now, policy: policy)
        if tokens >= 1 - Self.epsilon {
            tokens = max(0, tokens - 1)
            return .allowed
        }
        let wait = (1 - tokens) / policy.tokensPerSecond
        return .limited(retryAfterSeconds: max(1, Int(wait.rounded(.up))))
    }

    /// Whether the bucket is full by `now`, so forgetting it changes nothing.
    public func isFull(at now: Double, policy: TokenBucketPolicy) -> Bool {
        tokens + max(0, now - updatedAt) * policy.tokensPerSecond >= policy.capacity - Self.epsilon
    }

    private mutating func refill(at now: Double, policy: TokenBucketPolicy) {
        guard now > updatedAt else { return }
        tokens = min(policy.capacity, tokens + (now - updatedAt) * policy.tokensPerSecond)
        updatedAt = now
    }
}

/// The buckets of many clients, at most `capacity` of them: a pure value (one shard of a
/// `RateLimiter`), so eviction is tested without locks or clocks.
///
/// Memory stays bounded however many distinct clients come: when a new client arrives and the
/// table is full, or a fill time has passed since the last sweep, buckets that are full by now
/// are dropped (a full bucket is what a new client gets, so nothing is lost). If a full table is
/// still more than three quarters full after that, only the most recently used half is kept:
/// those dropped clients start over with full buckets, the price of a bound. So the next sweep
/// for lack of room is at least a quarter of `capacity` arrivals away, and a timed one comes at
/// most once per fill time: sweeping costs O(1) per request amortized.
public struct TokenBucketTable<Key: Hashable & Sendable>: Sendable {
    public let policy: TokenBucketPolicy
    public let capacity: Int
    public private(set) var buckets: [Key: TokenBucket] = [:]
    private var lastSweep: Double

    public init(policy: TokenBucketPolicy, capacity: Int, now: Double = 0) {
        precondition(capacity >= 2)
        self.policy = policy
        self.capacity = capacity
        self.lastSweep = now
    }

    public var count: Int { buckets.count }

    public mutating func take(_ key: Key, at now: Double) -> RateLimitDecision {
        if let index = buckets.index(forKey: key) {
            return buckets.values[index].take(at: now, policy: policy)
        }
        makeRoom(at: now)
        var bucket = TokenBucket(full: policy, at: now)
        let decision = bucket.take(at: now, policy: policy)
        buckets[key] = bucket
        return decision
    }

    private mutating func makeRoom(at now: Double) {
        let full = buckets.count >= capacity
        guard full || now - lastSweep >= max(1, policy.secondsToFill) else { return }
        lastSweep = now
        let policy = policy
        buckets = buckets.filter { !$0.value.isFull(at: now, policy: policy) }
        if full && buckets.count > capacity * 3 / 4 {
            let recent = buckets.sorted { $0.value.updatedAt > $1.value.updatedAt }.prefix(capacity / 2)
            buckets = Dictionary(uniqueKeysWithValues: recent.map { ($0.key, $0.value) })
        }
        assert(buckets.count < capacity)
    }
}
