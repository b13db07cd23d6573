import Atomics
import BookingCore

/// The newest `ShopCatalog`, published by the shop directory after each change and read by every
/// request without a lock: an atomic strong reference to an immutable box (swift-atomics).
///
/// Why this is safe: a box is never mutated after it is published; `publish` replaces the
/// reference with a releasing store and `current` loads it with an acquiring load, so a reader
/// sees a whole catalog, the newest or one published just before it, never a torn one.
final class PublishedCatalog: Sendable {
    private final class Box: AtomicReference, Sendable {
        let catalog: ShopCatalog
        init(_ catalog: ShopCatalog) { self.catalog = catalog }
    }

    private let reference: ManagedAtomic<Box>

    init(_ catalog: ShopCatalog) { reference = ManagedAtomic(Box(catalog)) }

    var current: ShopCatalog { reference.load(ordering: .acquiring).catalog }

    func publish(_ catalog: ShopCatalog) { reference.store(Box(catalog), ordering: .releasing) }
}
