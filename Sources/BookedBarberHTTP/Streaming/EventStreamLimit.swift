import BookingCore
import Synchronization

/// The bound on live event streams per user: a stream is admitted while the user has fewer than
/// `perUser` open, and leaves when its connection ends.
///
/// Why this is safe: the counts are only touched behind one mutex.
final class EventStreamLimit: Sendable {
    let perUser: Int
    private let open = Mutex<[UserID: Int]>([:])

    init(perUser: Int) { self.perUser = perUser }

    /// Admits one more stream for `user`, or returns false at the bound.
    func admit(_ user: UserID) -> Bool {
        open.withLock { open in
            guard open[user, default: 0] < perUser else { return false }
            open[user, default: 0] += 1
            return true
        }
    }

    func leave(_ user: UserID) {
        open.withLock { open in
            open[user, default: 1] -= 1
            if open[user] == 0 { open[user] = nil }
        }
    }
}
