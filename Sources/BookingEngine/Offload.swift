import Dispatch

/// Runs long CPU-bound or blocking work (bcrypt, encoding a snapshot, hashing the whole state) on
/// a Dispatch global queue and awaits its result, so it never occupies one of the few threads of
/// Swift's cooperative pool that serve requests (about one per core).
public func offload<T: Sendable, E: Error>(qos: DispatchQoS.QoSClass = .default, _ work: @escaping @Sendable () throws(E) -> T)
    async throws(E) -> T
{
    let result: Result<T, E> = await withCheckedContinuation { continuation in
        DispatchQueue.global(qos: qos).async { continuation.resume(returning: Result { () throws(E) in try work() }) }
    }
    return try result.get()
}
