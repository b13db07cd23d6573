import BookingCore
import TestSupport

/// Seeded random domain values for the codec tests: optionals present or absent, strings empty,
/// ASCII or not, integers of every size and sign, and whole states that keep the invariants
/// (no overlapping live appointments, unique ids and emails, valid settings).
struct RandomShop {
    var generator: SeededGenerator

    init(seed: UInt64) { generator = SeededGenerator(seed: seed) }

    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &generator) }

    mutating func bool() -> Bool { Bool.random(using: &generator) }

    /// Any integer: mostly small, sometimes huge, negative, or an extreme.
    mutating func anyInt() -> Int {
        switch int(0...9) {
        case 0: [Int.min, Int.max, 0, -1, 127, 128, 16_383, 16_384][int(0...7)]
        case 1, 2: Int.random(in: Int.min...Int.max, using: &generator)
        default: int(-1_000...100_000)
        }
    }

    mutating func string() -> String {
        switch int(0...5) {
        case 0: ""
        case 1: "fade, \"short\" — ünïcode 💈"
        case 2: String(repeating: "x", count: int(100...300))
        default: "s\(int(0...1_000_000))"
        }
    }

    mutating func optional<T>(_ make: (inout RandomShop) -> T) -> T? { bool() ? make(&self) : nil }

    mutating func instant() -> Instant {
        Instant(seconds: int(0...3) == 0 ? Int64(anyInt()) : Int64(int(1_700_000_000...1_900_000_000)))
    }

    mutating func status() -> AppointmentStatus { AppointmentStatus.allCases[int(0...3)] }

    mutating func appointment(id: AppointmentID? = nil, barber: BarberID? = nil, start: Instant? = nil, end: Instant? = nil)
        -> Appointment
    {
        Appointment(
            id: id ?? anyInt(), barberID: barber ?? anyInt(), clientID: anyInt(), serviceID: anyInt(), start: start ?? instant(),
            end: end ?? instant(), status: status(), priceCents: anyInt(), notes: optional { $0.string() },
            createdAt: instant(), cancelReason: optional { $0.string() },
            idempotency: optional { IdempotencyTag(user: $0.anyInt(), key: $0.string()) })
    }

    mutating func weekly() -> WeeklySchedule {
        var byDay: [Weekday: [WorkPeriod]] = [:]
        for day in Weekday.allCases {
            var minute = int(0...600)
            var periods: [WorkPeriod] = []
            while minute < 1_400, int(0...2) > 0 {
                let end = min(1_440, minute + int(1...300))
                periods.append(WorkPeriod(start: TimeOfDay(minutes: minute), end: TimeOfDay(minutes: end)))
                minute = end + int(0...60)
            }
            byDay[day] = periods
        }
        return try! WeeklySchedule.validated(byDay).get()
    }

    mutating func barber(id: BarberID? = nil) -> Barber {
        Barber(
            id: id ?? anyInt(), name: string(), isActive: bool(), userID: optional { $0.anyInt() }, weekly: weekly(),
            bufferMinutes: anyInt())
    }

    mutating func timeOff(id: TimeOffID? = nil, barber: BarberID? = nil) -> TimeOff {
        TimeOff(id: id ?? anyInt(), barberID: barber ?? anyInt(), start: instant(), end: instant(), reason: optional { $0.string() })
    }

    mutating func user(id: UserID? = nil) -> User {
        let id = id ?? anyInt()
        return User(
            id: id, email: "user\(id)@example.test", name: string(), role: [Role.client, .barber, .admin][int(0...2)],
            phone: optional { $0.string() }, passwordHash: string())
    }

    mutating func service(id: ServiceID? = nil) -> Service {
        Service(
            id: id ?? anyInt(), name: string(), durationMinutes: anyInt(), priceCents: anyInt(), isActive: bool(),
            barberIDs: optional { shop in (0..<shop.int(0...5)).map { _ in shop.anyInt() } })
    }

    mutating func settings() -> ShopSettings {
        var settings = ShopSettings()
        settings.name = "Shop \(int(0...1_000)) ✂︎"
        settings.timeZone = ["UTC", "America/New_York", "Europe/Berlin", "Europe/London"][int(0...3)]
        settings.slotIntervalMinutes = int(1...1440)
        settings.minNoticeMinutes = int(0...525_600)
        settings.maxAdvanceDays = int(1...3660)
        settings.cancellationCutoffMinutes = int(0...525_600)
        return settings
    }

    /// The number of cases of `ShopChange`, counting each case of the nested enums.
    static let changeCases = 26

    /// A random change of case `index` (0 ..< `changeCases`), every field random.
    mutating func change(case index: Int) -> ShopChange {
        switch index {
        case 0: .registry(.settingsSet(settings()))
        case 1: .registry(.userCreated(user()))
        case 2: .registry(.serviceSaved(service()))
        case 3: .registry(.barberAdded(id: anyInt(), userID: optional { $0.anyInt() }))
        case 4: .calendar(.barberCreated(barber()))
        case 5: .calendar(.barberUpdated(id: anyInt(), name: string(), isActive: bool()))
        case 6: .calendar(.scheduleSet(barberID: anyInt(), weekly: weekly(), bufferMinutes: anyInt()))
        case 7: .calendar(.timeOffAdded(timeOff()))
        case 8: .calendar(.timeOffRemoved(barberID: anyInt(), id: anyInt()))
        case 9: .calendar(.booked(appointment()))
        case 10: .calendar(.cancelled(barberID: anyInt(), id: anyInt(), reason: optional { $0.string() }))
        case 11: .calendar(.statusSet(barberID: anyInt(), id: anyInt(), status: status()))
        case 12: .calendar(.rescheduled(barberID: anyInt(), id: anyInt(), start: instant(), end: instant()))
        case 13: .calendar(.movedOut(barberID: anyInt(), id: anyInt()))
        case 14: .calendar(.movedIn(appointment()))
        case 15: .clientRecord(.notesSet(client: anyInt(), notes: string()))
        case 16: .clientRecord(.registered(client: anyInt(), at: instant()))
        case 17: .notification(.eventRecorded(event(sequence: EventSequence(int(1...Int.max)))))
        case 18: .notification(.webhookSaved(webhook(id: int(1...Int.max))))
        case 19: .notification(.webhookDeleted(anyInt()))
        case 20:
            .notification(.feedIssued(
                owner: bool() ? .barber(anyInt()) : .user(anyInt()), tokenHash: (0..<int(0...32)).map { _ in UInt8(int(0...255)) }))
        case 21:
            .notification(.deliveryFinished(
                webhook: anyInt(), event: Int64(anyInt()), outcome: bool() ? .delivered : .givenUp))
        case 22: .notification(.mailSwitched(on: bool(), at: instant()))
        case 23: .notification(.mailFinished(event: Int64(anyInt()), outcome: bool() ? .handedOff : .skipped))
        case 24:
            .notification(.reminderFinished(
                appointment: anyInt(), start: instant(), offset: Int64(int(1...Int.max)), outcome: bool() ? .handedOff : .skipped,
                at: instant()))
        default: .notification(.deliveryEnded(webhook: anyInt(), endedDelivery(event: EventSequence(int(1...Int.max)))))
        }
    }

    /// A random ended delivery of `event`; its error, when long, is cut as the server cuts it.
    mutating func endedDelivery(event: EventSequence) -> EndedDelivery {
        let type = bool() ? EventType.known[int(0...EventType.known.count - 1)] : EventType(string())
        return EndedDelivery(
            event: event, type: type, outcome: bool() ? .delivered : .givenUp, attempt: int(1...Int.max),
            statusCode: optional { $0.int(0...999) }, error: optional { $0.string() }, durationMilliseconds: int(0...Int.max),
            at: instant())
    }

    mutating func event(sequence: EventSequence) -> Event {
        let type = bool() ? EventType.known[int(0...EventType.known.count - 1)] : EventType(string())
        return Event(sequence: sequence, type: type, createdAt: instant(), payload: .appointment(appointment()))
    }

    mutating func webhook(id: WebhookID) -> WebhookEndpoint {
        let events: EventSelection =
            bool() ? .all : .only(Array(EventType.known.shuffled(using: &generator).prefix(int(1...EventType.known.count))))
        return WebhookEndpoint(
            id: id, url: string(), events: events, description: string(), isActive: bool(),
            secret: (0..<int(0...40)).map { _ in UInt8(int(0...255)) }, createdAt: instant())
    }

    /// A notification state made the way the live server makes one: events, endpoints created,
    /// edited and deleted, deliveries finished in any order (by older builds' outcomes and by
    /// ended deliveries).
    mutating func notifications(steps: Int) -> NotificationState {
        var state = NotificationState()
        for _ in 0..<steps {
            switch int(0...10) {
            case 0...5: state.apply(.eventRecorded(event(sequence: state.lastSequence + 1)))
            case 10:
                let owner: FeedOwner = bool() ? .barber(int(1...5)) : .user(int(1...5))
                state.apply(.feedIssued(owner: owner, tokenHash: (0..<32).map { _ in UInt8(int(0...255)) }))
            case 6:
                let id = bool() || state.webhooks.isEmpty ? state.lastWebhookID + 1 : state.webhooks.keys.sorted()[0]
                state.apply(.webhookSaved(webhook(id: id)))
            case 7 where !state.webhooks.isEmpty: state.apply(.webhookDeleted(state.webhooks.keys.sorted().last!))
            default:
                guard let id = state.webhooks.keys.sorted().first, state.lastSequence > 0 else { continue }
                let event = EventSequence(int(1...Int(state.lastSequence)))
                if bool() {
                    state.apply(.deliveryFinished(webhook: id, event: event, outcome: bool() ? .delivered : .givenUp))
                } else {
                    state.apply(.deliveryEnded(webhook: id, endedDelivery(event: event)))
                }
            }
        }
        return state
    }

    /// `state` after mail was switched on and ran for `steps` steps the way the live server runs
    /// it: more events, mails finished in any order, reminders handed off, mail switched off and
    /// on again.
    mutating func withMail(_ state: NotificationState, steps: Int) -> NotificationState {
        var state = state
        state.apply(.mailSwitched(on: true, at: Instant(seconds: 1_800_000_000)))
        for step in 0..<steps {
            let now = Instant(seconds: 1_800_000_000 + Int64(step) * 60)
            switch int(0...9) {
            case 0...3: state.apply(.eventRecorded(event(sequence: state.lastSequence + 1)))
            case 4...5:
                if let pending = state.pendingMail().first {
                    state.apply(.mailFinished(event: pending.sequence, outcome: bool() ? .handedOff : .skipped))
                }
            case 6...7:
                state.apply(.reminderFinished(
                    appointment: int(1...50), start: now.adding(seconds: Int64(int(1...200_000))), offset: Int64([7_200, 86_400][int(0...1)]),
                    outcome: .handedOff, at: now))
            case 8: state.apply(.mailSwitched(on: false, at: now))
            default: state.apply(.mailSwitched(on: true, at: now))
            }
        }
        return state
    }

    mutating func changes(count: Int) -> [ShopChange] {
        (0..<count).map { _ in change(case: int(0...Self.changeCases - 1)) }
    }

    /// A whole valid state with its watermarks: `barbers` barbers with up to `appointments`
    /// appointments each, live ones never overlapping, cancelled ones anywhere, and (half of the
    /// time, unless `withNotifications` is false) events and webhooks.
    mutating func image(barbers: Int, appointments: Int, notifications withNotifications: Bool = true) -> StateImage {
        let users = (1...int(1...20)).map { user(id: $0 * 3) }
        let barberIDs = (1...barbers).map { $0 * 2 + 5 }
        var links: [UserID: BarberID] = [:]
        for (user, barber) in zip(users.shuffled(using: &generator), barberIDs) where bool() { links[user.id] = barber }
        let registry = try! ShopRegistry(
            settings: settings(), users: users, services: (0..<int(0...8)).map { service(id: $0 * 7) }, barberIDs: barberIDs,
            barberIDByUser: links)
        var nextID = int(1...1_000)
        var calendars: [BarberCalendar] = []
        for barberID in barberIDs {
            var list: [Appointment] = []
            var time = Int64(int(1_800_000_000...1_800_100_000))
            for _ in 0..<int(0...appointments) {
                nextID += int(1...3)
                var appointment: Appointment
                if int(0...4) == 0 {
                    let start = Int64(int(1_700_000_000...1_900_000_000))
                    appointment = self.appointment(
                        id: nextID, barber: barberID, start: Instant(seconds: start),
                        end: Instant(seconds: start + Int64(int(-3_600...7_200))))
                    appointment.status = .cancelled
                } else {
                    time += Int64(int(0...1) * int(1...3_600))
                    let start = Instant(seconds: time)
                    time += Int64(int(1...7_200))
                    appointment = self.appointment(id: nextID, barber: barberID, start: start, end: Instant(seconds: time))
                    while !appointment.status.isLive { appointment.status = status() }
                }
                list.append(appointment)
            }
            let entries = (0..<int(0...4)).map { _ in timeOff(id: anyInt(), barber: barberID) }
            calendars.append(try! BarberCalendar(barber: barber(id: barberID), timeOff: entries, appointments: list.shuffled(using: &generator)))
        }
        let watermarks = Dictionary(uniqueKeysWithValues: barberIDs.map { ($0, LSN(int(0...1_000_000))) })
        let notifications = withNotifications && bool() ? notifications(steps: int(1...300)) : NotificationState()
        return StateImage(
            state: ShopState(registry: registry, calendars: calendars, notifications: notifications),
            directoryLSN: LSN(int(0...1_000_000)), calendarLSNs: watermarks,
            notificationLSN: notifications.isEmpty ? nil : LSN(int(0...1_000_000)), lastLSN: LSN(int(1_000_000...2_000_000)))
    }
}
