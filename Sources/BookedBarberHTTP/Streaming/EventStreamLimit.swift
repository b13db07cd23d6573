import BookingCore
import Synchronization

/// The bound on live event streams per key (a user for `/api/v2/events/stream`; one shared key
/// for the anonymous board streams of `/api/v2/queue/stream`): a stream is admitted while its
/// key has fewer than `perKey` open, and leaves when its connection ends.
///
/// Why this is safe: the counts are only touched behind one mutex.
final class EventStreamLimit<Key: Hashable & Sendable>: Sendable {
    let perKey: Int
    private let open = Mutex<[Key: Int]>([:])

    init(perKey: Int) { self.perKey = perKey }

    /// Admits one more stream for `key`, or returns false at the bound.
    func admit(_ key: Key) -> Bool {
        open.withLock { open in
            guard open[key, default: 0] < perKey else { return false }
            open[key, default: 0] += 1
            return true
        }
    }

    func leave(_ key: Key) {
        open.withLock { open in
            open[key, default: 1] -= 1
            if open[key] == 0 { open[key] = nil }
        }
    }
}

/// The one key of the board streams' bound: they are anonymous, so they share it.
enum BoardStreams: Hashable, Sendable { case all }
