import BookingCore

/// Every user by id, readable from any isolation without a hop to the `ShopDirectory` actor:
/// `/auth/me` and every page's visitor read a user on each request, and before this table each
/// such read was a turn of the shop-wide actor.
///
/// Why it agrees with the registry: a user never changes once created (`.userCreated` is the only
/// user change), and the directory adds each user here in the turn in which it applies that
/// change, before the record is acknowledged, and puts the recovered users here before the
/// server serves (`restore`). Sharded by id over mutexes held for one dictionary operation
/// (`Sharded`): no lock shared by all requests.
public final class UserTable: Sendable {
    private let shards: Sharded<[UserID: User]>

    init(shardCount: Int = 16) {
        self.shards = Sharded(count: shardCount) { [:] }
    }

    public func user(_ id: UserID) -> User? {
        shards.withLock(key: id) { $0[id] }
    }

    func add(_ user: User) {
        shards.withLock(key: user.id) { $0[user.id] = user }
    }

    /// Replaces every shard's users by those of `users`, taking each lock once.
    func restore(_ users: some Collection<User>) {
        var byShard = [[UserID: User]](repeating: [:], count: shards.count)
        for user in users { byShard[shards.index(of: user.id)][user.id] = user }
        for index in 0..<shards.count {
            let shard = byShard[index]
            shards.withLock(key: index) { $0 = shard }
        }
    }
}
