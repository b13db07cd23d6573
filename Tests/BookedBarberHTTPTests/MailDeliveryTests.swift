import BookedBarberHTTP
import BookingCore
import BookingEngine
import Foundation
import Logging
import Synchronization
import TestSupport
import Testing

@testable import BookedBarberServer

/// The mail service on an engine with a hand-moved clock and a sendmail that files each message:
/// the confirmation at once, reminders when the clock reaches their moments, none for a cancelled
/// appointment, the new time's reminders for a moved one, and a retried failure.
@Suite struct MailDeliveryTests {
    static let sender = MailAddress("bookings@shop.test")!

    struct Setup {
        let engine: ShopEngine
        let clock: ManualClock
        let directory: String
        let admin: Requester
        let barber: Barber
        let service: Service
        let alice: User
        let bob: User

        /// The Message-IDs of the files the command wrote, in no particular order.
        func messageIDs() -> [String] {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            return names.filter { $0.hasPrefix("mail.") }.compactMap { name in
                guard let text = try? String(contentsOfFile: directory + "/" + name, encoding: .utf8) else { return nil }
                return text.split(separator: "\n").first { $0.hasPrefix("Message-ID: ") }.map { String($0.dropFirst(12)) }
            }
        }

        func book(_ client: User, at start: String) async throws -> Appointment {
            try await engine.book(
                barberID: barber.id, serviceID: service.id, start: RFC3339.parse(start)!, clientID: client.id, notes: nil, by: admin)
        }
    }

    static func setUp() async throws -> Setup {
        let clock = ManualClock(RFC3339.parse("2027-03-01T00:00:00Z")!)
        let engine = ShopEngine(clock: { clock.now })
        let admin = Requester(
            userID: try await engine.createUser(email: "admin@x.test", name: "A", phone: nil, role: .admin, passwordHash: "h").id, role: .admin)
        let day = [WorkPeriod(start: TimeOfDay(parsing: "00:00")!, end: TimeOfDay(parsing: "24:00")!)]
        let week = try WeeklySchedule.validated(Dictionary(uniqueKeysWithValues: Weekday.allCases.map { ($0, day) })).get()
        let barber = try await engine.setSchedule(
            try await engine.createBarber(name: "Sam", account: nil).id, weekly: week, bufferMinutes: 0, by: admin)
        let service = try await engine.createService(name: "Haircut", durationMinutes: 30, priceCents: 2500, barberIDs: nil)
        let alice = try await engine.createUser(email: "alice@x.test", name: "Alice", phone: nil, role: .client, passwordHash: "h")
        let bob = try await engine.createUser(email: "bob@x.test", name: "Bob", phone: nil, role: .client, passwordHash: "h")
        return Setup(
            engine: engine, clock: clock, directory: try makeTemporaryDirectory("mail-delivery"), admin: admin, barber: barber,
            service: service, alice: alice, bob: bob)
    }

    /// A sendmail that writes each message to a new file of `directory`; with `failures`, the
    /// first that many runs exit 1 instead.
    static func delivery(_ setup: Setup, failures: Int = 0, isPaused: @escaping @Sendable () -> Bool = { false }) -> MailDelivery {
        var configuration = ServerConfiguration.Mail()
        configuration.retryDelays = [.seconds(1)]
        // One run at a time, so the runs count up in order.
        configuration.maxConcurrentHandoffs = 1
        let script = """
            n=$(ls "$0" | grep -c '^run\\.'); touch "$0/run.$$.$(date +%s%N)"
            if [ "$n" -lt \(failures) ]; then cat >/dev/null; exit 1; fi
            f=$(mktemp "$0/mail.XXXXXX") && cat > "$f"
            """
        return MailDelivery(
            engine: setup.engine, command: ["/bin/sh", "-c", script, setup.directory], sender: sender, configuration: configuration,
            metrics: ServerMetrics(), logger: Logger(label: "mail-test"), isPaused: isPaused)
    }

    @Test func remindersGoOutWhenTheClockReachesTheirMomentsAndOnlyForTheTimeAnAppointmentHasThen() async throws {
        let setup = try await Self.setUp()
        defer { try? FileManager.default.removeItem(atPath: setup.directory) }
        let delivery = Self.delivery(setup)
        let running = Task { await delivery.run() }
        defer { running.cancel() }
        #expect(await eventually { setup.engine.notifications.read { $0.mail?.events != nil } }, "mail switched on")

        let kept = try await setup.book(setup.alice, at: "2027-03-02T10:00:00Z")
        let cancelled = try await setup.book(setup.bob, at: "2027-03-02T12:00:00Z")
        _ = try await setup.engine.cancel(cancelled.id, reason: nil, by: setup.admin)
        func id(_ appointment: Appointment, _ kind: MailKind) -> String {
            "<" + kind.messageIDLocalPart(appointment: appointment.id) + "@shop.test>"
        }
        var expected: Set = [id(kept, .confirmation), id(cancelled, .confirmation), id(cancelled, .cancellation)]
        #expect(await eventually { Set(setup.messageIDs()) == expected })

        // 24 h before the kept appointment's start: its first reminder.
        setup.clock.set(RFC3339.parse("2027-03-01T10:00:00Z")!)
        expected.insert(id(kept, .reminder(offset: 86_400, start: kept.start)))
        #expect(await eventually { Set(setup.messageIDs()) == expected })

        // 2 h before: the second.
        setup.clock.set(RFC3339.parse("2027-03-02T08:00:00Z")!)
        expected.insert(id(kept, .reminder(offset: 7_200, start: kept.start)))
        #expect(await eventually { Set(setup.messageIDs()) == expected })

        // Moved to 14:00: a notice, then only the 2 h reminder of the new time (its 24 h moment
        // was before the move).
        setup.clock.set(RFC3339.parse("2027-03-02T08:30:00Z")!)
        let moved = try await setup.engine.reschedule(kept.id, to: RFC3339.parse("2027-03-02T14:00:00Z")!, barberID: nil, by: setup.admin)
        expected.insert(id(moved, .rescheduled(revision: 1)))
        #expect(await eventually { Set(setup.messageIDs()) == expected })
        setup.clock.set(RFC3339.parse("2027-03-02T12:00:00Z")!)
        expected.insert(id(moved, .reminder(offset: 7_200, start: moved.start)))
        #expect(await eventually { Set(setup.messageIDs()) == expected })

        #expect(setup.messageIDs().count == expected.count, "no mail twice")
        // The mark is recorded once the command has exited.
        #expect(await eventually {
            setup.engine.notifications.read { $0.mail?.reminders } == [kept.id: ReminderMark(start: moved.start, offset: 7_200)]
        }, "the new start's mark, none for the cancelled appointment")
        #expect(setup.engine.notifications.read { $0.pendingMail().isEmpty })

        // Once the start has passed, the mark goes with the next outcome recorded.
        setup.clock.set(RFC3339.parse("2027-03-02T15:00:00Z")!)
        await setup.engine.recordReminder(appointment: 99, start: RFC3339.parse("2027-03-04T00:00:00Z")!, offset: 60, outcome: .skipped)
        #expect(setup.engine.notifications.read { $0.mail?.reminders.keys.sorted() } == [99])
    }

    @Test func aFailingCommandIsRetriedAndEveryMailGoesOutOnce() async throws {
        let setup = try await Self.setUp()
        defer { try? FileManager.default.removeItem(atPath: setup.directory) }
        let delivery = Self.delivery(setup, failures: 2)
        let running = Task { await delivery.run() }
        defer { running.cancel() }
        #expect(await eventually { setup.engine.notifications.read { $0.mail?.events != nil } }, "mail switched on")
        let first = try await setup.book(setup.alice, at: "2027-03-05T10:00:00Z")
        let second = try await setup.book(setup.bob, at: "2027-03-05T11:00:00Z")
        // Retries are due by the engine's clock: move it on while waiting.
        #expect(await eventually {
            setup.clock.advance(seconds: 1)
            return setup.messageIDs().count == 2
        })
        #expect(Set(setup.messageIDs()) == ["<apt-\(first.id).confirmation@shop.test>", "<apt-\(second.id).confirmation@shop.test>"])
        #expect(await eventually { setup.engine.notifications.read { $0.pendingMail().isEmpty } })
        let runs = try FileManager.default.contentsOfDirectory(atPath: setup.directory).filter { $0.hasPrefix("run.") }
        #expect(runs.count == 4, "two refused runs, two that took the mail")
    }

    @Test func nothingIsHandedOffWhileTheDiskIsReadOnly() async throws {
        let setup = try await Self.setUp()
        defer { try? FileManager.default.removeItem(atPath: setup.directory) }
        // The disk's state, and how often the service asked for it (so the test knows it looked).
        let disk = Mutex((readOnly: true, looks: 0))
        func looks() -> Int { disk.withLock { $0.looks } }
        func setReadOnly(_ value: Bool) { disk.withLock { $0.readOnly = value } }
        let delivery = Self.delivery(setup, isPaused: {
            disk.withLock { state in
                state.looks += 1
                return state.readOnly
            }
        })
        let running = Task { await delivery.run() }
        defer { running.cancel() }

        // Read-only from the start: mail is not even switched on (that is a record too).
        let booked = try await setup.book(setup.alice, at: "2027-03-05T10:00:00Z")
        #expect(await eventually { looks() >= 2 })
        #expect(setup.engine.notifications.read { $0.mail } == nil)
        setReadOnly(false)
        #expect(await eventually { setup.engine.notifications.read { $0.mail?.events != nil } })
        let later = try await setup.book(setup.bob, at: "2027-03-05T11:00:00Z")
        #expect(await eventually { setup.messageIDs() == ["<apt-\(later.id).confirmation@shop.test>"] })
        #expect(!setup.messageIDs().contains("<apt-\(booked.id).confirmation@shop.test>"), "booked before mail was on")

        // Read-only again: a booking's confirmation waits for space, then goes out.
        #expect(await eventually { setup.engine.notifications.read { $0.pendingMail().isEmpty } })
        setReadOnly(true)
        let waiting = try await setup.book(setup.alice, at: "2027-03-05T12:00:00Z")
        let seen = looks()
        #expect(await eventually { looks() >= seen + 2 }, "the service looked twice since")
        #expect(setup.messageIDs() == ["<apt-\(later.id).confirmation@shop.test>"])
        #expect(setup.engine.notifications.read { $0.pendingMail().map(\.sequence) }.count == 1)
        setReadOnly(false)
        let expected: Set = ["<apt-\(later.id).confirmation@shop.test>", "<apt-\(waiting.id).confirmation@shop.test>"]
        #expect(await eventually { Set(setup.messageIDs()) == expected })
    }

    @Test func appointmentsOfStaffAccountsAreNotMailed() async throws {
        let setup = try await Self.setUp()
        defer { try? FileManager.default.removeItem(atPath: setup.directory) }
        let delivery = Self.delivery(setup)
        let running = Task { await delivery.run() }
        defer { running.cancel() }
        #expect(await eventually { setup.engine.notifications.read { $0.mail?.events != nil } }, "mail switched on")
        // Like a walk-in's appointment, filed under the staff member who made it.
        _ = try await setup.engine.book(
            barberID: setup.barber.id, serviceID: setup.service.id, start: RFC3339.parse("2027-03-05T09:00:00Z")!, clientID: nil,
            notes: nil, by: setup.admin)
        let client = try await setup.book(setup.alice, at: "2027-03-05T10:00:00Z")
        #expect(await eventually {
            setup.messageIDs() == ["<apt-\(client.id).confirmation@shop.test>"] && setup.engine.notifications.read { $0.pendingMail().isEmpty }
        })
        #expect(setup.messageIDs().count == 1)
    }
}
