/// Polls `condition` every millisecond for up to `timeout`; returns whether it held.
///
/// The one way tests wait for something another thread or process does: on an observable
/// condition, never a fixed sleep. The timeout is a liveness bound, not a timing check: CPU-heavy
/// tests share two cores, so it is generous.
public func eventually(timeout: Duration = .seconds(180), _ condition: () async -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(1))
    }
    return await condition()
}
