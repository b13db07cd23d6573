import Synchronization

/// A stack that many threads push to and any thread empties at once, without a lock: how the
/// appenders and the waiters hand work to the log's writer thread, and how staged events and
/// parked consumers reach `NotificationJournal`.
///
/// `push` links a node in with a compare-and-exchange of the head; `takeAll` swaps the head for
/// nil and owns the whole chain. ABA cannot corrupt it: nodes are only ever taken all at once, so
/// a push whose expected head was taken, freed and reallocated meanwhile still links its node in
/// front of the node that is the head now; and takers racing each swap out a different chain
/// (or nil), so each node is taken and freed by one thread. Every access of the head is
/// sequentially consistent, so a push and a later `isEmpty` of another thread are ordered
/// against that thread's own stores (the writer's idle protocol in `CommitQueue` relies on it).
///
/// Why `@unchecked Sendable` is safe: a node's element is written before the exchange that
/// publishes the node and read only after the exchange that takes it, by the one thread that
/// then frees it.
package final class HandoffStack<Element: Sendable>: @unchecked Sendable {
    private struct Node {
        let element: Element
        var next: UnsafeMutablePointer<Node>?
    }

    private let head = Atomic<UnsafeMutablePointer<Node>?>(nil)

    package init() {}

    deinit { _ = takeAll() }

    /// Adds `element` on top; never blocks.
    package func push(_ element: Element) {
        let node = UnsafeMutablePointer<Node>.allocate(capacity: 1)
        node.initialize(to: Node(element: element, next: nil))
        var expected = head.load(ordering: .relaxed)
        while true {
            node.pointee.next = expected
            let (exchanged, current) = head.compareExchange(
                expected: expected, desired: node, ordering: .sequentiallyConsistent)
            if exchanged { return }
            expected = current
        }
    }

    /// Removes and returns everything pushed so far, in the order it was pushed.
    package func takeAll() -> [Element] {
        var node = head.exchange(nil, ordering: .sequentiallyConsistent)
        var elements: [Element] = []
        while let taken = node {
            let (element, next) = (taken.pointee.element, taken.pointee.next)
            taken.deinitialize(count: 1)
            taken.deallocate()
            elements.append(element)
            node = next
        }
        elements.reverse()
        return elements
    }

    /// Whether nothing is pushed (at this instant).
    package var isEmpty: Bool { head.load(ordering: .sequentiallyConsistent) == nil }
}
