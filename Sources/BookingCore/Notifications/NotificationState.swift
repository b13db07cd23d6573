import DequeModule

/// The notification state as a value: recent events, webhook endpoints, how far delivery to
/// each got and its newest ended deliveries, and how far email got. The pure core of
/// `NotificationJournal`; applied live and on replay alike.
///
/// Invariants: `events` holds consecutive sequences ending at `lastSequence`; an endpoint's
/// `WebhookProgress.acknowledged` is never past `lastSequence`, and every event it subscribes
/// to after `acknowledged` that is not in `finished` is still in `events` (the ring keeps an
/// event until every active endpoint, and mail while it is on, is past it); ended deliveries are
/// kept only for endpoints that exist, at most `retainedEndedDeliveries` each.
public struct NotificationState: Hashable, Sendable, Codable {
    /// How many recent events are kept beyond those still owed to an endpoint (for stream
    /// resume by `Last-Event-ID` and redelivery).
    public static let retainedEvents = 10_000
    /// The ring is trimmed in steps of this many, so trimming costs O(1) per event.
    public static let trimStep = 1_024
    /// How many ended deliveries are kept per endpoint (the newest), so the deliveries list
    /// survives a restart while the state stays bounded however long the log grows.
    public static let retainedEndedDeliveries = 200

    public private(set) var events: [Event] = []
    public private(set) var lastSequence: EventSequence = 0
    public private(set) var webhooks: [WebhookID: WebhookEndpoint] = [:]
    public private(set) var progress: [WebhookID: WebhookProgress] = [:]
    /// The largest webhook id ever given, so ids are not reused after a delete.
    public private(set) var lastWebhookID: WebhookID = 0
    /// The SHA-256 of each calendar feed's current token, by owner.
    public private(set) var barberFeeds: [BarberID: [UInt8]] = [:]
    public private(set) var userFeeds: [UserID: [UInt8]] = [:]
    /// Per appointment, how often it changed (its events) and when last.
    public private(set) var revisions: [AppointmentID: AppointmentRevision] = [:]
    /// How far email got; nil when there is nothing to say (mail never on, no reminder kept), so
    /// such a state encodes, and digests, as it did before mail existed.
    public private(set) var mail: MailProgress?
    /// Per endpoint, its newest ended deliveries (oldest first, at most
    /// `retainedEndedDeliveries`, never an empty list); nil when there is none, so a state
    /// without any encodes, and digests, as it did before they were kept.
    private var ended: [WebhookID: Deque<EndedDelivery>]?

    public init() {}

    /// A state read back from a snapshot; throws on parts that break the invariants.
    public init(
        events: [Event], lastSequence: EventSequence, webhooks: [WebhookEndpoint], progress: [WebhookID: WebhookProgress],
        lastWebhookID: WebhookID, barberFeeds: [BarberID: [UInt8]], userFeeds: [UserID: [UInt8]],
        revisions: [AppointmentID: AppointmentRevision], mail: MailProgress = MailProgress()
    ) throws(StateInconsistency) {
        guard zip(events, events.dropFirst()).allSatisfy({ $0.sequence + 1 == $1.sequence }),
            (events.last?.sequence ?? lastSequence) == lastSequence
        else { throw StateInconsistency("events are not consecutive up to \(lastSequence)") }
        for endpoint in webhooks {
            guard endpoint.id <= lastWebhookID, self.webhooks.updateValue(endpoint, forKey: endpoint.id) == nil else {
                throw StateInconsistency("webhook \(endpoint.id) appears twice or above the last id")
            }
        }
        guard Set(progress.keys) == Set(self.webhooks.keys),
            progress.values.allSatisfy({ $0.acknowledged <= lastSequence && $0.finished.allSatisfy { $0 > 0 && $0 <= lastSequence } })
        else { throw StateInconsistency("webhook delivery progress does not match the endpoints") }
        if let progress = mail.events {
            guard progress.acknowledged <= lastSequence, zip(progress.finished, progress.finished.dropFirst()).allSatisfy({ $0 < $1 }),
                progress.finished.allSatisfy({ $0 > progress.acknowledged && $0 <= lastSequence })
            else { throw StateInconsistency("mail progress is not within the events") }
        }
        self.mail = mail.isEmpty ? nil : mail
        self.events = events
        self.lastSequence = lastSequence
        self.progress = progress
        self.lastWebhookID = lastWebhookID
        self.barberFeeds = barberFeeds
        self.userFeeds = userFeeds
        self.revisions = revisions
    }

    /// The ended deliveries kept for endpoint `id`, oldest first.
    public func endedDeliveries(_ id: WebhookID) -> [EndedDelivery] { ended?[id].map(Array.init) ?? [] }

    /// The endpoints with ended deliveries kept, by id.
    public var endpointsWithEndedDeliveries: [WebhookID] { ended?.keys.sorted() ?? [] }

    /// Sets the ended deliveries read back from a snapshot; throws on lists that break the
    /// invariants (an endpoint this state does not have, an empty or too long list, an error
    /// over its bound, an attempt number below 1).
    public mutating func restoreEndedDeliveries(_ lists: [WebhookID: [EndedDelivery]]) throws(StateInconsistency) {
        for (id, list) in lists {
            guard webhooks[id] != nil else { throw StateInconsistency("ended deliveries of webhook \(id), which does not exist") }
            guard !list.isEmpty, list.count <= Self.retainedEndedDeliveries else {
                throw StateInconsistency("webhook \(id) keeps \(list.count) ended deliveries")
            }
            guard list.allSatisfy({ $0.attempt > 0 && $0.durationMilliseconds >= 0 && ($0.error?.utf8.count ?? 0) <= EndedDelivery.maximumErrorBytes })
            else { throw StateInconsistency("webhook \(id) has an ended delivery out of bounds") }
        }
        ended = lists.isEmpty ? nil : lists.mapValues { Deque($0) }
    }

    /// Nothing recorded yet: no section in snapshots and nothing in the state digest.
    public var isEmpty: Bool {
        lastSequence == 0 && lastWebhookID == 0 && barberFeeds.isEmpty && userFeeds.isEmpty && mail == nil
    }

    public mutating func apply(_ change: NotificationChange) {
        switch change {
        case .eventRecorded(let event):
            precondition(event.sequence == lastSequence + 1, "event \(event.sequence) after \(lastSequence)")
            events.append(event)
            lastSequence = event.sequence
            if let appointment = event.payload.appointment {
                let previous = revisions[appointment.id]?.sequence ?? -1
                revisions[appointment.id] = AppointmentRevision(sequence: previous + 1, changedAt: event.createdAt)
            }
            for id in progress.keys { advance(id) }
            advanceMail()
            trim()
        case .webhookSaved(let endpoint):
            let previous = webhooks.updateValue(endpoint, forKey: endpoint.id)
            if previous == nil {
                precondition(endpoint.id > lastWebhookID, "webhook id \(endpoint.id) reused")
                lastWebhookID = endpoint.id
            }
            // A new endpoint, or one switched back on, is owed the events from now on.
            if previous == nil || (previous?.isActive == false && endpoint.isActive) {
                progress[endpoint.id] = WebhookProgress(acknowledged: lastSequence)
            } else {
                advance(endpoint.id)
            }
        case .webhookDeleted(let id):
            precondition(webhooks[id] != nil, "deleting unknown webhook \(id)")
            webhooks[id] = nil
            progress[id] = nil
            if ended?.removeValue(forKey: id) != nil, ended?.isEmpty == true { ended = nil }
        case .feedIssued(.barber(let id), let hash): barberFeeds[id] = hash
        case .feedIssued(.user(let id), let hash): userFeeds[id] = hash
        case .deliveryFinished(let id, let sequence, _):
            finishDelivery(of: sequence, to: id)
        case .deliveryEnded(let id, let delivery):
            guard progress[id] != nil else { return }  // the endpoint was deleted meanwhile
            finishDelivery(of: delivery.event, to: id)
            // In place: the dictionary and the list are not copied (unless a capture holds them).
            if ended == nil { ended = [:] }
            ended![id, default: []].append(delivery)
            if ended![id]!.count > Self.retainedEndedDeliveries { ended![id]!.removeFirst() }
        case .mailSwitched(let on, let at):
            var next = mail ?? MailProgress()
            if !on {
                next.events = nil
            } else if next.events == nil {
                next.events = EventMailProgress(acknowledged: lastSequence)
            }
            next.forgetReminders(startedBy: at)
            mail = next.isEmpty ? nil : next
        case .mailFinished(let sequence, _):
            guard var next = mail, var entry = next.events else { return }  // mail was switched off meanwhile
            if sequence > entry.acknowledged, sequence <= lastSequence, !entry.finished.contains(sequence) {
                entry.finished.insert(sequence, at: entry.finished.firstIndex { $0 > sequence } ?? entry.finished.endIndex)
                next.events = entry
                mail = next
                advanceMail()
            }
        case .reminderFinished(let appointment, let start, let offset, _, let at):
            guard var next = mail, next.events != nil else { return }
            // A mark keeps the smallest offset handed off for its start: it covers the larger ones.
            let covered = next.reminders[appointment].map { $0.start == start && $0.offset <= offset } ?? false
            if !covered { next.reminders[appointment] = ReminderMark(start: start, offset: offset) }
            next.forgetReminders(startedBy: at)
            mail = next
        }
    }

    /// The owner of the feed whose token has SHA-256 `hash`, if that token is current.
    public func feedOwner(tokenHash hash: [UInt8]) -> FeedOwner? {
        if let barber = barberFeeds.first(where: { $0.value == hash }) { return .barber(barber.key) }
        if let user = userFeeds.first(where: { $0.value == hash }) { return .user(user.key) }
        return nil
    }

    /// The event numbered `sequence`, while the ring holds it.
    public func event(_ sequence: EventSequence) -> Event? {
        guard let first = events.first?.sequence, sequence >= first, sequence <= lastSequence else { return nil }
        return events[Int(sequence - first)]
    }

    /// Events after `sequence` that the ring holds, oldest first.
    public func events(after sequence: EventSequence) -> ArraySlice<Event> {
        guard let first = events.first?.sequence else { return [] }
        let start = max(0, min(events.count, Int(sequence - first + 1)))
        return events[start...]
    }

    /// The oldest `limit` events endpoint `id` subscribes to and has not been told about: those
    /// after its acknowledged position, neither delivered nor given up.
    ///
    /// With `wanted`, only the owed events it accepts are returned, and no more than the oldest
    /// `window` owed events are looked at: so a caller that already has most of them in hand
    /// copies out only the few it can start.
    public func pending(
        for id: WebhookID, limit: Int = .max, window: Int = .max, where wanted: (EventSequence) -> Bool = { _ in true }
    ) -> [Event] {
        guard let endpoint = webhooks[id], endpoint.isActive, let entry = progress[id] else { return [] }
        var found: [Event] = []
        var owed = 0
        for event in events(after: entry.acknowledged) {
            if found.count == limit || owed == window { break }
            guard endpoint.events.includes(event.type) && !entry.finished.contains(event.sequence) else { continue }
            owed += 1
            if wanted(event.sequence) { found.append(event) }
        }
        return found
    }

    /// Whether event `sequence` is still owed to endpoint `id` (as `pending` counts it).
    public func owes(_ id: WebhookID, _ sequence: EventSequence) -> Bool {
        guard let endpoint = webhooks[id], endpoint.isActive, let entry = progress[id], sequence > entry.acknowledged,
            let event = event(sequence)
        else { return false }
        return endpoint.events.includes(event.type) && !entry.finished.contains(sequence)
    }

    /// The oldest `limit` events owed a mail: after mail's acknowledged position, of a type that
    /// is mailed, without an outcome, and only the first of each appointment (a later mail about
    /// an appointment waits until the earlier one ended, so a client never reads a cancellation
    /// before the confirmation). Empty while mail is off.
    public func pendingMail(limit: Int = .max) -> [Event] {
        guard let entry = mail?.events else { return [] }
        var found: [Event] = []
        var appointments = Set<AppointmentID>()
        for event in events(after: entry.acknowledged) {
            if found.count == limit { break }
            guard MailKind.isMailed(event.type), let appointment = event.payload.appointment,
                !entry.finished.contains(event.sequence), appointments.insert(appointment.id).inserted
            else { continue }
            found.append(event)
        }
        return found
    }

    /// Each event's appointment revision as of that event (its SEQUENCE then, and the event's
    /// time): the current one less the appointment's events after it, which the ring holds for
    /// any event it holds. One pass over the ring from the oldest of `events` on.
    public func revisions(asOf events: [Event]) -> [AppointmentRevision] {
        guard let oldest = events.map(\.sequence).min() else { return [] }
        let wanted = Set(events.map(\.sequence))
        var later: [AppointmentID: Int] = [:]
        var found: [EventSequence: AppointmentRevision] = [:]
        for event in self.events(after: oldest - 1).reversed() {
            guard let id = event.payload.appointment?.id else { continue }
            if wanted.contains(event.sequence) {
                let current = revisions[id]?.sequence ?? 0
                found[event.sequence] = AppointmentRevision(sequence: max(0, current - later[id, default: 0]), changedAt: event.createdAt)
            }
            later[id, default: 0] += 1
        }
        return events.map { found[$0.sequence] ?? AppointmentRevision(sequence: 0, changedAt: $0.createdAt) }
    }

    /// Marks event `sequence` finished for endpoint `id`, if it is still owed there.
    private mutating func finishDelivery(of sequence: EventSequence, to id: WebhookID) {
        guard var entry = progress[id] else { return }  // the endpoint was deleted meanwhile
        if sequence > entry.acknowledged, !entry.finished.contains(sequence) {
            entry.finished.insert(sequence, at: entry.finished.firstIndex { $0 > sequence } ?? entry.finished.endIndex)
            progress[id] = entry
            advance(id)
        }
    }

    /// Moves mail's acknowledged position past every event that has an outcome or needs no mail.
    private mutating func advanceMail() {
        guard var next = mail, var entry = next.events else { return }
        var moved = false
        while entry.acknowledged < lastSequence, let event = event(entry.acknowledged + 1) {
            if let index = entry.finished.firstIndex(of: event.sequence) {
                entry.finished.remove(at: index)
            } else if MailKind.isMailed(event.type) && event.payload.appointment != nil {
                break
            }
            entry.acknowledged = event.sequence
            moved = true
        }
        if moved {
            next.events = entry
            mail = next
        }
    }

    /// Moves the acknowledged position past every event that is finished or not subscribed.
    private mutating func advance(_ id: WebhookID) {
        guard var entry = progress[id], let endpoint = webhooks[id] else { return }
        var moved = false
        while entry.acknowledged < lastSequence, let next = event(entry.acknowledged + 1) {
            if let index = entry.finished.firstIndex(of: next.sequence) {
                entry.finished.remove(at: index)
            } else if endpoint.isActive && endpoint.events.includes(next.type) {
                break
            }
            entry.acknowledged = next.sequence
            moved = true
        }
        if moved { progress[id] = entry }
    }

    /// Drops the oldest events once the ring is a step over its size, keeping those an active
    /// endpoint is still owed.
    ///
    /// Events leave in runs of at least `trimStep`: removing from the front moves the whole
    /// ring, so while an endpoint is behind (the ring over its size, the owed position creeping
    /// forward one delivery at a time) dropping what became free at each event would move the
    /// ring on every event, under the journal's lock, on the booking path.
    private mutating func trim() {
        guard events.count >= Self.retainedEvents + Self.trimStep, let first = events.first?.sequence else { return }
        var owed = mail?.events?.acknowledged ?? lastSequence
        for endpoint in webhooks.values where endpoint.isActive {
            if let acknowledged = progress[endpoint.id]?.acknowledged { owed = min(owed, acknowledged) }
        }
        let removable = min(events.count - Self.retainedEvents, max(0, Int(owed - first + 1)))
        if removable >= Self.trimStep { events.removeFirst(removable) }
    }
}

/// How far delivery to one endpoint got: every event up to `acknowledged` is delivered, given
/// up or not subscribed; `finished` are the finished ones after it (deliveries run in parallel
/// and finish out of order), sorted.
public struct WebhookProgress: Hashable, Sendable, Codable {
    public var acknowledged: EventSequence
    public var finished: [EventSequence]

    public init(acknowledged: EventSequence, finished: [EventSequence] = []) {
        self.acknowledged = acknowledged
        self.finished = finished
    }
}
