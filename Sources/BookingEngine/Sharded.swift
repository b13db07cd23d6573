import Synchronization

/// `count` values of `Value`, each behind its own mutex; a key picks one by `key % count`.
///
/// Why this is safe: each shard's value is reachable only through its mutex, and `withLock` never
/// holds a lock across a suspension (the body is synchronous). Keys of different shards never
/// contend.
///
/// The hot path is `@inlinable`: its users in other modules (the token cache, the rate limiter,
/// the performance window) get it specialized for their value, instead of a generic call that
/// looks up the shard type's metadata at run time on every request (1 % of `/auth/me`'s CPU in
/// a profile, BENCHMARKS.md).
public final class Sharded<Value: Sendable>: Sendable {
    @usableFromInline final class Shard: Sendable {
        @usableFromInline let mutex: Mutex<Value>
        init(_ value: sending Value) { self.mutex = Mutex(value) }
    }

    @usableFromInline let shards: [Shard]

    public init(count: Int, _ make: () -> Value) {
        precondition(count > 0)
        self.shards = (0..<count).map { _ in Shard(make()) }
    }

    /// The number of shards.
    public var count: Int { shards.count }

    /// The shard key `key` picks: `abs(key % count)`.
    @inlinable public func index(of key: Int) -> Int { abs(key % shards.count) }

    @inlinable public func withLock<T>(key: Int, _ body: (inout sending Value) throws -> sending T) rethrows -> sending T {
        try shards[index(of: key)].mutex.withLock(body)
    }
}
