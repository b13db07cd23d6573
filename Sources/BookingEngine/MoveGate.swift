/// Keeps moves between barbers and state captures apart.
///
/// A move touches two calendars in separate turns (hold on the target, commit on the source); a
/// capture reads every calendar in separate turns. If one ran inside the other, a capture could
/// see a held appointment whose record its watermarks do not account for. Both run under this
/// gate, one at a time. Bookings, cancellations and reads never touch it.
actor MoveGate {
    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func run<T: Sendable, E: Error>(_ body: @Sendable () async throws(E) -> T) async throws(E) -> T {
        await acquire()
        defer { release() }
        return try await body()
    }

    private func acquire() async {
        if !busy {
            busy = true
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    private func release() {
        if waiters.isEmpty {
            busy = false
        } else {
            waiters.removeFirst().resume()
        }
    }
}
