import BookingCore

/// Finds appointments without asking every calendar: which barber holds an appointment id, which
/// appointments a client has, and which appointment a user's `Idempotency-Key` booked.
///
/// Sharded by key over `shardCount` mutexes, so concurrent requests rarely meet on one lock and
/// never on a global one. Calendar actors update it in the same turn in which they apply a
/// change, so it never disagrees with the calendars across an actor turn. Each lock is held for
/// one dictionary operation and never across a suspension.
public final class AppointmentIndex: Sendable {
    private struct Shard {
        var barberByAppointment: [AppointmentID: BarberID] = [:]
        var appointmentsByClient: [UserID: [AppointmentID]] = [:]
        var appointmentByIdempotency: [IdempotencyTag: AppointmentID] = [:]
    }

    private let shards: Sharded<Shard>
    /// Counts by status, kept in step by `record` (for metrics).
    public let tally = AppointmentTally()

    public init(shardCount: Int = 16) {
        self.shards = Sharded(count: shardCount) { Shard() }
    }

    public func barber(of appointment: AppointmentID) -> BarberID? {
        shards.withLock(key: appointment) { $0.barberByAppointment[appointment] }
    }

    public func appointments(of client: UserID) -> [AppointmentID] {
        shards.withLock(key: client) { $0.appointmentsByClient[client] ?? [] }
    }

    /// The appointment booked with this `Idempotency-Key` by this user, if any.
    public func appointment(bookedWith tag: IdempotencyTag) -> AppointmentID? {
        shards.withLock(key: tag.user) { $0.appointmentByIdempotency[tag] }
    }

    /// Adds every appointment of `calendars`, recovered, to the index and the tally before the
    /// engine serves: the entries `record(.booked(_:))` would make for each (a client's ids in no particular
    /// order; readers sort), taking each shard's lock once instead of once per appointment.
    public func restore(_ calendars: some Collection<BarberCalendar>) {
        var barberByAppointment = [[(AppointmentID, BarberID)]](repeating: [], count: shards.count)
        var appointmentsByClient = [[UserID: [AppointmentID]]](repeating: [:], count: shards.count)
        var appointmentByIdempotency = [[(IdempotencyTag, AppointmentID)]](repeating: [], count: shards.count)
        for calendar in calendars {
            for appointment in calendar.appointments.values {
                let id = appointment.id
                tally.add(appointment.status)
                barberByAppointment[shard(of: id)].append((id, appointment.barberID))
                appointmentsByClient[shard(of: appointment.clientID)][appointment.clientID, default: []].append(id)
                if let tag = appointment.idempotency { appointmentByIdempotency[shard(of: tag.user)].append((tag, id)) }
            }
        }
        for index in 0..<shards.count {
            shards.withLock(key: index) { shard in
                shard.barberByAppointment.reserveCapacity(shard.barberByAppointment.count + barberByAppointment[index].count)
                for (id, barber) in barberByAppointment[index] { shard.barberByAppointment[id] = barber }
                for (client, ids) in appointmentsByClient[index] { shard.appointmentsByClient[client, default: []].append(contentsOf: ids) }
                for (tag, id) in appointmentByIdempotency[index] { shard.appointmentByIdempotency[tag] = id }
            }
        }
    }

    /// The shard `withLock(key:)` takes for `key`.
    private func shard(of key: Int) -> Int { shards.index(of: key) }

    /// Keeps the index and the tally in step with a change just applied to a calendar.
    public func record(_ change: CalendarChange) {
        tally.record(change)
        switch change {
        case .booked(let appointment):
            shards.withLock(key: appointment.id) { $0.barberByAppointment[appointment.id] = appointment.barberID }
            shards.withLock(key: appointment.clientID) { $0.appointmentsByClient[appointment.clientID, default: []].append(appointment.id) }
            if let tag = appointment.idempotency {
                shards.withLock(key: tag.user) { $0.appointmentByIdempotency[tag] = appointment.id }
            }
        case .movedIn(let appointment):
            shards.withLock(key: appointment.id) { $0.barberByAppointment[appointment.id] = appointment.barberID }
        case .barberCreated, .barberUpdated, .scheduleSet, .timeOffAdded, .timeOffRemoved, .cancelled, .statusSet,
            .rescheduled, .movedOut, .holdPlaced, .holdReleased:
            break
        }
    }
}
