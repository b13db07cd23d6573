/// Keeps changes that span two isolation domains, and state captures, apart.
///
/// A move touches two calendars in separate turns (hold on the target, commit on the source); a
/// waitlist offer, expiry or claim is journaled in a calendar's turn and applied to the waitlist
/// in a later one; a capture reads every part in separate turns. If one ran inside another, a
/// capture could see a change whose record its watermarks do not account for, or two waitlist
/// decisions could offer one entry twice. All of them run under this gate, one at a time, and
/// so does every cancellation, reschedule, time-off removal and schedule change (they pass open
/// time to the waitlist in their own record). Bookings and reads never touch it.
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
