import BookingCore
import BookingEngine

/// Tokens already verified, each with the requester it names and its expiry, so a token's
/// signature and claims are checked once and every later request with it costs one lookup in
/// one of `shardCount` small mutex-protected tables (no actor hop, no JSON decoding).
///
/// Why this is safe: an entry is added only after jwt-kit verified the token in full (HS256 with
/// the server's key, claims decoded); the key is the whole token text, so a different or altered
/// token never matches; an entry is used only while `now` is before its expiry, so an expired
/// token is refused exactly as without the cache. Bounded memory: a full shard first drops its
/// expired entries and, if still full, empties itself (the next requests verify again).
struct VerifiedTokenCache: Sendable {
    struct Entry: Sendable {
        var requester: Requester
        var expires: Instant
    }

    static let shardCount = 16
    static let entriesPerShard = 2048

    private let shards = Sharded<[String: Entry]>(count: Self.shardCount) { [:] }

    /// The requester `token` names if it was verified and has not expired by `now`.
    func requester(for token: String, now: Instant) -> Requester? {
        shards.withLock(key: token.hashValue) { entries -> Requester? in
            guard let entry = entries[token] else { return nil }
            guard now < entry.expires else {
                entries[token] = nil
                return nil
            }
            return entry.requester
        }
    }

    /// Remembers a token that was verified in full.
    func insert(_ token: String, _ entry: Entry, now: Instant) {
        shards.withLock(key: token.hashValue) { entries in
            if entries.count >= Self.entriesPerShard {
                entries = entries.filter { now < $0.value.expires }
                if entries.count >= Self.entriesPerShard { entries.removeAll(keepingCapacity: true) }
            }
            entries[token] = entry
        }
    }
}
