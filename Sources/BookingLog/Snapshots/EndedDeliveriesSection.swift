import BookingCore

/// Section 6 of a version 3 snapshot payload: the ended deliveries the notification part keeps
/// (docs/log-format.md, "Section 6: ended deliveries"): per endpoint with any, by id, its id and
/// its list, oldest first. Written only when some endpoint has one.
///
/// Watermark: none of its own. The lists are part of `NotificationState`, captured with the rest
/// of it in one critical section of `NotificationJournal` at `notificationLSN`, which section 2
/// stores; so the section reflects exactly the `deliveryEnded` records up to that LSN, and
/// `StateImage.replay` applies exactly those above it (the same test it applies to every
/// notification change), each once. Section 2 is written before this one (`SnapshotSections.all`)
/// and must have been read first: a list of an endpoint the state read so far does not have is
/// refused, so a payload with this section but not section 2, or with them swapped, does not load.
enum EndedDeliveriesSection: SnapshotSection {
    static let tag: UInt8 = 6

    static func encode(_ image: StateImage) -> [UInt8]? {
        let notifications = image.state.notifications
        let ids = notifications.endpointsWithEndedDeliveries
        if ids.isEmpty { return nil }
        var writer = BinaryWriter(capacity: 64 * NotificationState.retainedEndedDeliveries * ids.count)
        writer.write(count: ids.count)
        for id in ids {
            let list = notifications.endedDeliveries(id)
            writer.write(id)
            writer.write(count: list.count)
            for delivery in list { writer.write(delivery) }
        }
        return writer.bytes
    }

    static func decode(_ reader: inout BinaryReader, into image: inout StateImage) throws(BinaryDecodingError) {
        let start = reader.offset
        let lists = try reader.readArray(minimumSize: 2) { (reader) throws(BinaryDecodingError) in
            (id: try reader.readInt(), deliveries: try reader.readArray(minimumSize: 8) { (reader) throws(BinaryDecodingError) in
                try reader.readEndedDelivery()
            })
        }
        guard !lists.isEmpty else { throw reader.error("no ended deliveries is written as no section") }
        guard zip(lists, lists.dropFirst()).allSatisfy({ $0.id < $1.id }) else {
            throw reader.error("ended deliveries are not sorted by webhook id")
        }
        var notifications = image.state.notifications
        do {
            try notifications.restoreEndedDeliveries(Dictionary(uniqueKeysWithValues: lists.map { ($0.id, $0.deliveries) }))
        } catch {
            throw BinaryDecodingError(offset: start, reason: "ended deliveries: \(error.reason)")
        }
        image.restoreNotifications(notifications, lsn: image.notificationLSN)
    }
}
