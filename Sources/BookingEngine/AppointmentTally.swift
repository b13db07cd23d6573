import BookingCore
import Synchronization

/// How many appointments the calendars hold in each status, kept up to date as changes are
/// applied, so metrics can read the counts without visiting a calendar.
///
/// Invariant: the counts equal counting every calendar's appointments by status (checked by
/// tests). Calendar actors call `record` in the turn that applies a change; the counts are
/// atomics, so no lock is taken on the booking path. Moves between barbers (`movedOut` +
/// `movedIn`) leave the counts as they are, and so does a move's hold and release.
public final class AppointmentTally: Sendable {
    private let confirmed = Atomic<Int>(0)
    private let cancelled = Atomic<Int>(0)
    private let completed = Atomic<Int>(0)
    private let noShow = Atomic<Int>(0)

    public init() {}

    /// The count of each status.
    public var counts: [AppointmentStatus: Int] {
        [
            .confirmed: confirmed.load(ordering: .relaxed), .cancelled: cancelled.load(ordering: .relaxed),
            .completed: completed.load(ordering: .relaxed), .noShow: noShow.load(ordering: .relaxed),
        ]
    }

    /// Counts an appointment already in a calendar (when a state is loaded).
    public func add(_ status: AppointmentStatus) { adjust(status, by: 1) }

    /// Follows a change just applied to a calendar. The calendar's preconditions make the old
    /// status known: only a confirmed appointment is cancelled or gets another status.
    public func record(_ change: CalendarChange) {
        switch change {
        case .booked(let appointment):
            add(appointment.status)
        case .cancelled:
            move(from: .confirmed, to: .cancelled)
        case .statusSet(_, _, let status):
            move(from: .confirmed, to: status)
        case .barberCreated, .barberUpdated, .scheduleSet, .timeOffAdded, .timeOffRemoved, .rescheduled, .movedOut, .holdPlaced, .holdReleased,
            .movedIn:
            break
        }
    }

    private func move(from old: AppointmentStatus, to new: AppointmentStatus) {
        adjust(old, by: -1)
        adjust(new, by: 1)
    }

    private func adjust(_ status: AppointmentStatus, by delta: Int) {
        switch status {
        case .confirmed: confirmed.add(delta, ordering: .relaxed)
        case .cancelled: cancelled.add(delta, ordering: .relaxed)
        case .completed: completed.add(delta, ordering: .relaxed)
        case .noShow: noShow.add(delta, ordering: .relaxed)
        }
    }
}
