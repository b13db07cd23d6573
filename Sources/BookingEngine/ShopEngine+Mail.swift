import BookingCore

extension ShopEngine {
    /// Records that mail is on (the server runs with `--sendmail`) or off, unless it already is.
    /// Waits for durability.
    public func switchMail(on: Bool) async {
        let now = clock()
        await commitMailOutcome { state in
            (state.mail?.events != nil) == on ? [] : [.mailSwitched(on: on, at: now)]
        }
    }

    /// Records how the mail of event `sequence` ended. Waits for durability, so a mail recorded
    /// as handed off is never sent again after a restart.
    public func recordMail(event sequence: EventSequence, outcome: MailOutcome) async {
        await commitMailOutcome { _ in [.mailFinished(event: sequence, outcome: outcome)] }
    }

    /// Records how the reminder `offset` seconds before `start` of `appointment` ended. Waits for
    /// durability.
    public func recordReminder(appointment: AppointmentID, start: Instant, offset: Int64, outcome: MailOutcome) async {
        let now = clock()
        await commitMailOutcome { _ in
            [.reminderFinished(appointment: appointment, start: start, offset: offset, outcome: outcome, at: now)]
        }
    }

    /// Every confirmed appointment that starts after `now` and at most `seconds` later, on any
    /// barber's calendar (the ones a reminder may be owed for).
    public func confirmedAppointments(startingAfter now: Instant, within seconds: Int64) async -> [Appointment] {
        let until = now.adding(seconds: seconds)
        return await router.fanOut(catalog.barberIDs) { calendar in
            calendar.appointments(overlapping: now, until.adding(seconds: 1))
                .filter { $0.status == .confirmed && $0.start > now && $0.start <= until }
        }.flatMap { $0 }
    }

    /// The name of barber `id`, if there is one.
    public func barberName(_ id: BarberID) async -> String? {
        await router.calendar(id)?.read { $0.barber.name }
    }

    private func commitMailOutcome(_ changes: (NotificationState) -> [NotificationChange]) async {
        let committed = notifications.commit { state -> Result<([NotificationChange], Void), BookingError> in
            .success((changes(state), ()))
        }
        if case .success((_, let lsn)) = committed { await notifications.waitUntilDurable(lsn) }
    }
}
