import BookedBarberHTTP
import BookingCore
import BookingEngine
import Foundation
import Logging

/// Mails clients for the life of the server, off the request path, the way `WebhookDelivery`
/// posts events: a booking only records its event; this service finds what is owed and hands it
/// to the sendmail command.
///
/// Owed are the mails of the appointment events after mail's position in the log
/// (`NotificationState.pendingMail`: a confirmation, a notice of a move, a cancellation) and the
/// reminders due now (`ReminderSchedule.owed`, over the confirmed appointments starting within the
/// largest offset). A hand-off is one run of the command with a timeout; a non-zero exit or a
/// timeout is retried after growing waits (with jitter) until the appointment starts, when the
/// mail is skipped. Only outcomes go into the log (handed off, skipped), after the command
/// exited 0 and before the next look, and each is durable before it counts: after a restart or
/// `kill -9` nothing recorded is sent again and everything not recorded is. A crash between the
/// command's exit and the record's fsync sends that one mail again, with the same `Message-ID`.
///
/// Why this actor is safe: the retry schedule, the in-flight set and the scan cache are only
/// touched on it; composing a mail and running the command happen outside it, in child tasks of
/// `run`, and report back through `finish`.
public actor MailDelivery {
    enum Job: Hashable, Sendable {
        case event(EventSequence)
        case reminder(AppointmentID, start: Instant, offset: Int64)
    }

    /// One mail to hand off: what it is about, as the log and the calendars have it.
    struct Work: Sendable {
        var job: Job
        var kind: MailKind
        var appointment: Appointment
        var revision: AppointmentRevision
    }

    enum Result: Sendable {
        case handedOff
        /// Never to be sent (the reason is logged).
        case skip(String)
        /// This run failed; retried.
        case failed(String)
    }

    private struct Retry {
        var attempts: Int
        var due: Instant
    }

    private let engine: ShopEngine
    private let command: SendmailCommand
    private let sender: MailAddress
    private let configuration: ServerConfiguration.Mail
    private let metrics: ServerMetrics
    private let logger: Logger
    /// True while the data directory is below its space reserve: no hand-off starts then, since
    /// each one ends in a logged outcome (those in flight still finish).
    private let isPaused: @Sendable () -> Bool
    private var retries: [Job: Retry] = [:]
    private var inFlight: Set<Job> = []
    /// Jobs that ended (recorded handed off or skipped) since the current look began. A look
    /// reads the state, then waits; a job that ends meanwhile is still owed in what it read and
    /// no longer in flight, and must not be started again.
    private var endedSinceLook: Set<Job> = []
    /// The confirmed appointments within the reminder horizon, looked up at most once a second.
    private var upcoming: (at: ContinuousClock.Instant, appointments: [Appointment])?
    /// Set by the one call of `run`, checked and set on the actor before its first suspension,
    /// so of two calls exactly one gets past the check.
    private var hasRun = false
    private let wake: AsyncStream<Void>.Continuation
    private let wakes: AsyncStream<Void>

    /// Events looked at per round; later ones wait until these finish.
    static let window = 1_000

    public init(
        engine: ShopEngine, command: [String], sender: MailAddress, configuration: ServerConfiguration.Mail, metrics: ServerMetrics,
        logger: Logger, isPaused: @escaping @Sendable () -> Bool = { false }
    ) {
        self.engine = engine
        self.command = SendmailCommand(arguments: command, timeout: configuration.timeout)
        self.sender = sender
        self.configuration = configuration
        self.metrics = metrics
        self.logger = logger
        self.isPaused = isPaused
        (wakes, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Switches mail on in the log (once there is space to write), then mails until cancelled.
    /// Called once per instance: a second run beside the first would interleave its looks with
    /// the first's, and each look starts by clearing `endedSinceLook`, which the other look
    /// relies on, so a mail handed off meanwhile would be handed off again.
    public func run() async {
        precondition(!hasRun, "MailDelivery.run() called a second time")
        hasRun = true
        while isPaused() && !Task.isCancelled { try? await Task.sleep(for: .seconds(1)) }
        if Task.isCancelled { return }
        await engine.switchMail(on: true)
        let notifications = engine.notifications
        let wake = wake
        await withDiscardingTaskGroup { group in
            group.addTask { for await _ in notifications.changes() { wake.yield() } }
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(1))
                    wake.yield()
                }
            }
            wake.yield()
            for await _ in wakes {
                if Task.isCancelled { break }
                await dispatch(into: &group)
            }
            group.cancelAll()
        }
    }

    /// Finds what is owed now and starts what is due, up to the bound on hand-offs in flight.
    private func dispatch(into group: inout DiscardingTaskGroup) async {
        // With every slot taken nothing could start: no look (reading the owed mails takes the
        // notification lock, which bookings take too); a hand-off that ends wakes the next one.
        guard !isPaused(), inFlight.count < configuration.maxConcurrentHandoffs else { return }
        endedSinceLook = []
        let schedule = configuration.reminders
        let now = engine.clock()
        let appointments = schedule.horizon > 0 ? await upcomingAppointments(now: now, horizon: schedule.horizon) : []
        let ids = appointments.map(\.id)
        let ((pending, revisionsThen, marks, revisions), lsn) = engine.notifications.readForShowing { state in
            let pending = state.pendingMail(limit: Self.window)
            return (pending, state.revisions(asOf: pending), state.mail?.reminders ?? [:], ids.map { state.revisions[$0] })
        }
        await engine.notifications.waitUntilDurable(lsn)

        var work: [Work] = []
        var waiting = Set<AppointmentID>()
        for (event, revision) in zip(pending, revisionsThen) {
            guard let appointment = event.payload.appointment, let kind = MailKind.of(event, revision: revision.sequence) else { continue }
            waiting.insert(appointment.id)
            work.append(Work(job: .event(event.sequence), kind: kind, appointment: appointment, revision: revision))
        }
        for (appointment, revision) in zip(appointments, revisions) where !waiting.contains(appointment.id) {
            let setAt = revision?.changedAt ?? appointment.createdAt
            guard let offset = schedule.owed(start: appointment.start, setAt: setAt, now: now, sent: marks[appointment.id]) else { continue }
            work.append(Work(
                job: .reminder(appointment.id, start: appointment.start, offset: offset), kind: .reminder(offset: offset, start: appointment.start),
                appointment: appointment, revision: revision ?? AppointmentRevision(sequence: 0, changedAt: appointment.createdAt)))
        }
        metrics.setMailPending(work.count)
        let owed = Set(work.map(\.job))
        retries = retries.filter { owed.contains($0.key) }
        for item in work {
            guard inFlight.count < configuration.maxConcurrentHandoffs else { break }
            guard !inFlight.contains(item.job), !endedSinceLook.contains(item.job) else { continue }
            if let retry = retries[item.job], retry.due > now { continue }
            start(item, in: &group)
        }
    }

    /// The confirmed appointments starting within `horizon` seconds, from the calendars at most
    /// once a second (the moments reminders are due at are whole seconds).
    private func upcomingAppointments(now: Instant, horizon: Int64) async -> [Appointment] {
        if let upcoming, ContinuousClock.now - upcoming.at < .seconds(1) {
            return upcoming.appointments.filter { $0.start > now }
        }
        let appointments = await engine.confirmedAppointments(startingAfter: now, within: horizon)
        upcoming = (ContinuousClock.now, appointments)
        return appointments
    }

    private func start(_ work: Work, in group: inout DiscardingTaskGroup) {
        inFlight.insert(work.job)
        let engine = engine
        let command = command
        let sender = sender
        group.addTask {
            let result = await Self.handOff(work, engine: engine, command: command, sender: sender)
            await self.finish(work, result: result)
        }
    }

    /// Composes the mail and runs the command once; never throws (a failure is a result).
    static func handOff(_ work: Work, engine: ShopEngine, command: SendmailCommand, sender: MailAddress) async -> Result {
        let appointment = work.appointment
        if case .event = work.job, engine.clock() >= appointment.start {
            return .skip("the appointment started before its mail was handed off")
        }
        guard let client = engine.user(id: appointment.clientID) else { return .skip("client \(appointment.clientID) not found") }
        // A walk-in's appointment is filed under the staff member who started it: no client to mail.
        guard client.role == .client else { return .skip("the appointment's client account is staff (a walk-in)") }
        guard let address = MailAddress(client.email) else {
            return .skip("the client's address cannot be written into a mail header safely")
        }
        let catalog = engine.catalog
        let mail = AppointmentMail(
            kind: work.kind, appointment: appointment, revision: work.revision, shopName: catalog.settings.name,
            serviceName: catalog.services[appointment.serviceID]?.name ?? "Appointment",
            barberName: await engine.barberName(appointment.barberID) ?? "your barber",
            client: MailMessage.Mailbox(name: client.name, address: address), sender: sender, shopTime: catalog.shopTime,
            now: engine.clock())
        switch await command.send(Array(mail.message.rendered(lineEnding: "\n").utf8)) {
        case .accepted: return .handedOff
        case .failed(let reason): return .failed(reason)
        }
    }

    private func finish(_ work: Work, result: Result) async {
        let now = engine.clock()
        let messageID = work.kind.messageIDLocalPart(appointment: work.appointment.id) + "@" + sender.domain
        switch result {
        case .handedOff, .skip:
            let outcome: MailOutcome = if case .handedOff = result { .handedOff } else { .skipped }
            switch work.job {
            case .event(let sequence):
                await engine.recordMail(event: sequence, outcome: outcome)
            case .reminder(let appointment, let start, let offset):
                await engine.recordReminder(appointment: appointment, start: start, offset: offset, outcome: outcome)
            }
            retries[work.job] = nil
            endedSinceLook.insert(work.job)
            if case .skip(let reason) = result {
                metrics.mailWasSkipped()
                logger.info("mail skipped", metadata: ["message_id": "\(messageID)", "reason": "\(reason)"])
            } else {
                metrics.mailWasHandedOff()
                logger.info("mail handed off", metadata: ["message_id": "\(messageID)"])
            }
        case .failed(let reason):
            metrics.mailAttemptFailed()
            let attempts = (retries[work.job]?.attempts ?? 0) + 1
            let delays = configuration.retryDelays
            let base = delays[min(attempts, delays.count) - 1]
            let seconds = Double(base.components.seconds) * Double.random(in: 0.8...1.2)
            let due = now.adding(seconds: max(1, Int64(seconds.rounded())))
            retries[work.job] = Retry(attempts: attempts, due: due)
            logger.warning(
                "mail hand-off failed",
                metadata: ["message_id": "\(messageID)", "attempt": "\(attempts)", "error": "\(reason)",
                           "next_attempt_at": "\(RFC3339.format(due, offsetSeconds: 0))"])
        }
        inFlight.remove(work.job)
        wake.yield()
    }
}
