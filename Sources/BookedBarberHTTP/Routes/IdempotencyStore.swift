import BookingCore
import BookingEngine
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOFoundationCompat

/// Remembers the answer to each `Idempotency-Key` a user sent with a booking, so a repeat gets
/// the first answer (same status, same body) and books nothing more.
///
/// A repeat that arrives while the first is still being answered waits for that answer. Entries
/// live in memory, `capacity` at most (the oldest are forgotten first) and `lifetime` long.
/// Why this is safe: each shard's map is only touched under its mutex, never across an await;
/// waiters are resumed after the lock is released.
final class IdempotencyStore: Sendable {
    struct Answer: Sendable, Equatable {
        var status: HTTPResponse.Status
        var body: Data
        /// False for a request refused before any booking was tried (a malformed body): repeats
        /// of the key may then try again with a corrected body.
        var remembered = true

        var response: Response { .json(ByteBuffer(bytes: body), status: status) }
    }

    private struct Key: Hashable {
        var user: UserID
        var key: String
    }

    private enum Entry {
        case pending([CheckedContinuation<Answer, Never>])
        case done(Answer, storedAt: Instant)
    }

    private struct Shard {
        var entries: [Key: Entry] = [:]
        var order: [Key] = []
        var head = 0
    }

    private let shards: Sharded<Shard>
    private let capacityPerShard: Int
    private let lifetime: Duration
    private let clock: @Sendable () -> Instant

    /// - Parameter clock: the engine's notion of now; an answer is kept `lifetime` by it.
    init(capacity: Int = 200_000, lifetime: Duration = .seconds(24 * 3600), shardCount: Int = 16, clock: @escaping @Sendable () -> Instant) {
        self.shards = Sharded(count: shardCount) { Shard() }
        self.capacityPerShard = max(1, capacity / shardCount)
        self.lifetime = lifetime
        self.clock = clock
    }

    /// The stored answer for (`user`, `key`), or the one `produce` gives, stored for repeats.
    func answer(user: UserID, key: String, produce: () async -> Answer) async -> Answer {
        let entryKey = Key(user: user, key: key)
        let shardKey = entryKey.hashValue
        enum Lookup { case stored(Answer), wait, produce }
        let now = clock()
        let lookup: Lookup = shards.withLock(key: shardKey) { shard in
            switch shard.entries[entryKey] {
            case .done(let answer, let storedAt) where storedAt.adding(seconds: lifetime.components.seconds) > now:
                return .stored(answer)
            case .pending: return .wait
            case .done, nil:
                shard.entries[entryKey] = .pending([])
                shard.order.append(entryKey)
                return .produce
            }
        }
        switch lookup {
        case .stored(let answer):
            return answer
        case .wait:
            return await withCheckedContinuation { continuation in
                let immediate: Answer? = shards.withLock(key: shardKey) { shard in
                    switch shard.entries[entryKey] {
                    case .pending(var waiters):
                        waiters.append(continuation)
                        shard.entries[entryKey] = .pending(waiters)
                        return nil
                    case .done(let answer, _): return answer
                    case nil: preconditionFailure("a pending idempotency entry vanished")
                    }
                }
                if let immediate { continuation.resume(returning: immediate) }
            }
        case .produce:
            let answer = await produce()
            let waiters: [CheckedContinuation<Answer, Never>] = shards.withLock(key: shardKey) { shard in
                guard case .pending(let waiters) = shard.entries[entryKey] else {
                    preconditionFailure("idempotency entry answered twice")
                }
                shard.entries[entryKey] = answer.remembered ? .done(answer, storedAt: clock()) : nil
                evictOldest(&shard)
                return waiters
            }
            for waiter in waiters { waiter.resume(returning: answer) }
            return answer
        }
    }

    /// Forgets answered entries, oldest first, beyond the capacity. Pending ones are kept.
    private func evictOldest(_ shard: inout Shard) {
        while shard.order.count - shard.head > capacityPerShard {
            let oldest = shard.order[shard.head]
            if case .pending = shard.entries[oldest] { break }
            shard.entries[oldest] = nil
            shard.head += 1
        }
        if shard.head > 1024, shard.head * 2 > shard.order.count {
            shard.order.removeFirst(shard.head)
            shard.head = 0
        }
    }
}
