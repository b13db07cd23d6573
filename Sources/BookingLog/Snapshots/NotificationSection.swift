import BookingCore

/// Section 2 of a version 3 snapshot payload: the notification part (docs/log-format.md,
/// "Section 2: notifications"): its watermark, the last event sequence and webhook id, the
/// retained events, the webhook endpoints and each one's delivery progress, the calendar feeds'
/// token hashes and the appointments' revisions, each sorted by id; then, only when there is
/// any, the mail progress (a trailing part: sections written before mail existed end before it
/// and still decode).
enum NotificationSection: SnapshotSection {
    static let tag: UInt8 = 2

    static func encode(_ image: StateImage) -> [UInt8]? {
        let notifications = image.state.notifications
        if notifications.isEmpty { return nil }
        var writer = BinaryWriter(capacity: 256 + 160 * notifications.events.count)
        writer.write(image.notificationLSN)
        writer.write(notifications.lastSequence)
        writer.write(notifications.lastWebhookID)
        writer.write(count: notifications.events.count)
        for event in notifications.events { writer.write(event) }
        let ids = notifications.webhooks.keys.sorted()
        writer.write(count: ids.count)
        for id in ids {
            writer.write(notifications.webhooks[id]!)
            let progress = notifications.progress[id]!
            writer.write(progress.acknowledged)
            writer.write(count: progress.finished.count)
            for sequence in progress.finished { writer.write(sequence) }
        }
        for feeds in [notifications.barberFeeds, notifications.userFeeds] {
            writer.write(count: feeds.count)
            for id in feeds.keys.sorted() {
                writer.write(id)
                writer.write(bytes: feeds[id]!)
            }
        }
        writer.write(count: notifications.revisions.count)
        for id in notifications.revisions.keys.sorted() {
            let revision = notifications.revisions[id]!
            writer.write(id)
            writer.write(revision.sequence)
            writer.write(revision.changedAt)
        }
        if let mail = notifications.mail {
            writer.writeOptional(mail.events) { writer, progress in
                writer.write(progress.acknowledged)
                writer.write(count: progress.finished.count)
                for sequence in progress.finished { writer.write(sequence) }
            }
            writer.write(count: mail.reminders.count)
            for id in mail.reminders.keys.sorted() {
                let mark = mail.reminders[id]!
                writer.write(id)
                writer.write(mark.start)
                writer.write(mark.offset)
            }
        }
        return writer.bytes
    }

    static func decode(_ reader: inout BinaryReader, into image: inout StateImage) throws(BinaryDecodingError) {
        let start = reader.offset
        let lsn = try reader.readInt64()
        let lastSequence = try reader.readInt64()
        let lastWebhookID = try reader.readInt()
        let events = try reader.readArray(minimumSize: 4 + BinaryReader.MinimumSize.appointment) {
            (reader) throws(BinaryDecodingError) in try reader.readEvent()
        }
        let webhooks = try reader.readArray(minimumSize: 9) { (reader) throws(BinaryDecodingError) in
            let endpoint = try reader.readWebhookEndpoint()
            let acknowledged = try reader.readInt64()
            let finished = try reader.readArray(minimumSize: 1) { (reader) throws(BinaryDecodingError) in try reader.readInt64() }
            guard zip(finished, finished.dropFirst()).allSatisfy({ $0 < $1 }), finished.allSatisfy({ $0 > acknowledged }) else {
                throw reader.error("webhook \(endpoint.id): finished deliveries not sorted above the acknowledged one")
            }
            return (endpoint, WebhookProgress(acknowledged: acknowledged, finished: finished))
        }
        guard zip(webhooks, webhooks.dropFirst()).allSatisfy({ $0.0.id < $1.0.id }) else {
            throw reader.error("webhooks are not sorted by id")
        }
        var feeds: [[Int: [UInt8]]] = []
        for _ in 0..<2 {
            let list = try reader.readArray(minimumSize: 2) { (reader) throws(BinaryDecodingError) in
                (id: try reader.readInt(), hash: try reader.readBytes())
            }
            guard zip(list, list.dropFirst()).allSatisfy({ $0.id < $1.id }) else { throw reader.error("feeds are not sorted by owner") }
            feeds.append(Dictionary(uniqueKeysWithValues: list.map { ($0.id, $0.hash) }))
        }
        let revisions = try reader.readArray(minimumSize: 3) { (reader) throws(BinaryDecodingError) in
            (id: try reader.readInt(), revision: AppointmentRevision(sequence: try reader.readInt(), changedAt: try reader.readInstant()))
        }
        guard zip(revisions, revisions.dropFirst()).allSatisfy({ $0.id < $1.id }) else {
            throw reader.error("appointment revisions are not sorted by id")
        }
        var mail = MailProgress()
        if reader.remaining > 0 {
            mail.events = try reader.readOptional { (reader) throws(BinaryDecodingError) in
                EventMailProgress(
                    acknowledged: try reader.readInt64(),
                    finished: try reader.readArray(minimumSize: 1) { (reader) throws(BinaryDecodingError) in try reader.readInt64() })
            }
            let marks = try reader.readArray(minimumSize: 3) { (reader) throws(BinaryDecodingError) in
                (id: try reader.readInt(), mark: ReminderMark(start: try reader.readInstant(), offset: try reader.readInt64()))
            }
            guard zip(marks, marks.dropFirst()).allSatisfy({ $0.id < $1.id }), marks.allSatisfy({ $0.mark.offset > 0 }) else {
                throw reader.error("reminder marks are not sorted by appointment or have an offset that is not positive")
            }
            mail.reminders = Dictionary(uniqueKeysWithValues: marks.map { ($0.id, $0.mark) })
            guard !mail.isEmpty else { throw reader.error("an empty mail part is written as none") }
        }
        do {
            let state = try NotificationState(
                events: events, lastSequence: lastSequence, webhooks: webhooks.map(\.0),
                progress: Dictionary(uniqueKeysWithValues: webhooks.map { ($0.0.id, $0.1) }), lastWebhookID: lastWebhookID,
                barberFeeds: feeds[0], userFeeds: feeds[1],
                revisions: Dictionary(uniqueKeysWithValues: revisions.map { ($0.id, $0.revision) }), mail: mail)
            image.restoreNotifications(state, lsn: lsn)
        } catch {
            throw BinaryDecodingError(offset: start, reason: "notifications: \(error.reason)")
        }
    }
}
