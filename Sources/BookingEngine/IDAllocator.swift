import Synchronization

/// Hands out ids of one kind: positive, increasing, never handed out twice by this process.
///
/// Lock-free (an atomic counter), so allocation needs no actor hop. An id whose request fails is
/// simply skipped; after recovery the counter restarts above the largest id in the state, so a
/// committed id is never reused.
public final class IDAllocator: Sendable {
    private let last: Atomic<Int>

    public init(after largest: Int = 0) { self.last = Atomic(largest) }

    public func next() -> Int { last.wrappingAdd(1, ordering: .relaxed).newValue }

    /// Ensures later ids are above `id` (used while rebuilding state).
    public func reserve(through id: Int) {
        var current = last.load(ordering: .relaxed)
        while current < id {
            let (exchanged, original) = last.compareExchange(expected: current, desired: id, ordering: .relaxed)
            if exchanged { return }
            current = original
        }
    }
}
