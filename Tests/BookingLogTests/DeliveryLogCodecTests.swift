import BookingCore
import BookingEngine
import Foundation
import TestSupport
import Testing

@testable import BookingLog

/// The ended deliveries in the log and in snapshots: change 0x38 and section 6 round-trip exactly
/// (the bytes of docs/log-format.md, an error cut on a character boundary), an older build's 0x33
/// and a snapshot with section 2 only still load, section 6 is refused without the endpoints it
/// names, and replay applies a `deliveryEnded` exactly once above the notification watermark.
@Suite struct DeliveryLogCodecTests {
    static let given = EndedDelivery(
        event: 12, type: .appointmentCreated, outcome: .givenUp, attempt: 5, statusCode: nil, error: "refused",
        durationMilliseconds: 3, at: Instant(seconds: 1_800_000_000))

    @Test("the deliveryEnded change of docs/log-format.md encodes to the bytes shown there")
    func documentedChange() throws {
        let changes: [ShopChange] = [
            .notification(.deliveryEnded(webhook: 2, Self.given)),
            .notification(.deliveryEnded(webhook: 2, EndedDelivery(
                event: 12, type: .appointmentCreated, outcome: .delivered, attempt: 1, statusCode: 204, error: nil,
                durationMilliseconds: 70, at: Instant(seconds: 1_800_000_000)))),
        ]
        let type = Array("appointment.created".utf8)
        let bytes: [UInt8] =
            [0x02]
            + [0x38, 0x04, 0x18, 0x13] + type + [0x01, 0x0A, 0x00, 0x01, 0x07] + Array("refused".utf8)
            + [0x06, 0x80, 0xC8, 0xCE, 0xB4, 0x0D]
            + [0x38, 0x04, 0x18, 0x13] + type + [0x00, 0x02, 0x01, 0x98, 0x03, 0x00, 0x8C, 0x01, 0x80, 0xC8, 0xCE, 0xB4, 0x0D]
        #expect(LogRecord.changesPayload(changes) == bytes)
        #expect(try BinaryCodecTests.decodeChanges(bytes) == changes)
    }

    @Test func anErrorCutOnAMultiByteCharacterRoundTrips() throws {
        // 199 bytes of ASCII, then "ü" (2 bytes): only the ASCII fits in 200.
        let error = String(repeating: "e", count: 199) + "ü and the rest of a long receiver error"
        let delivery = EndedDelivery(
            event: 3, type: .appointmentCancelled, outcome: .givenUp, attempt: 40, statusCode: 500, error: error,
            durationMilliseconds: 10_001, at: Instant(seconds: 1_800_000_123))
        #expect(delivery.error == String(repeating: "e", count: 199))
        let change = ShopChange.notification(.deliveryEnded(webhook: 7, delivery))
        let decoded = try BinaryCodecTests.decodeChanges(LogRecord.changesPayload([change]))
        #expect(decoded == [change])
        // Four-byte characters: 50 fill the 200 bytes exactly and survive the trip whole.
        let emoji = EndedDelivery(
            event: 3, type: .appointmentCancelled, outcome: .givenUp, attempt: 1, statusCode: nil, error: String(repeating: "💈", count: 70),
            durationMilliseconds: 1, at: Instant(seconds: 0))
        let trip = try BinaryCodecTests.decodeChanges(LogRecord.changesPayload([.notification(.deliveryEnded(webhook: 1, emoji))]))
        #expect(trip == [.notification(.deliveryEnded(webhook: 1, emoji))])
        #expect(emoji.error == String(repeating: "💈", count: 50))
    }

    @Test func anEndedDeliveryTheWriterCannotWriteIsRefused() {
        func bytes(event: Int64 = 1, attempt: Int = 1, duration: Int = 0, error: String? = nil) -> [UInt8] {
            var writer = BinaryWriter(capacity: 64)
            writer.write(count: 1)
            writer.write(byte: 0x38)
            writer.write(1)
            writer.write(event)
            writer.write("appointment.created")
            writer.write(byte: 0)
            writer.write(attempt)
            writer.writeOptional(Int?.none) { $0.write($1) }
            writer.writeOptional(error) { $0.write($1) }
            writer.write(duration)
            writer.write(Instant(seconds: 0))
            return writer.bytes
        }
        #expect((try? BinaryCodecTests.decodeChanges(bytes(error: String(repeating: "x", count: 200)))) != nil)
        #expect(throws: BinaryDecodingError.self) { try BinaryCodecTests.decodeChanges(bytes(error: String(repeating: "x", count: 201))) }
        #expect(throws: BinaryDecodingError.self) { try BinaryCodecTests.decodeChanges(bytes(event: 0)) }
        #expect(throws: BinaryDecodingError.self) { try BinaryCodecTests.decodeChanges(bytes(attempt: 0)) }
        #expect(throws: BinaryDecodingError.self) { try BinaryCodecTests.decodeChanges(bytes(duration: -1)) }
        #expect(throws: BinaryDecodingError.self) { try BinaryCodecTests.decodeChanges(Array(bytes().dropLast())) }
    }

    @Test func anOlderBuildsDeliveryFinishedStillDecodesAndApplies() throws {
        // 0x33: webhook 1, event 3, given up.
        let changes = try BinaryCodecTests.decodeChanges([0x01, 0x33, 0x02, 0x06, 0x01])
        #expect(changes == [.notification(.deliveryFinished(webhook: 1, event: 3, outcome: .givenUp))])
        var state = ShopState()
        state.notifications = EndedDeliveriesFixture.state(events: 3)
        for change in changes { state.apply(change) }
        #expect(state.notifications.progress[1] == WebhookProgress(acknowledged: 0, finished: [3]))
        #expect(state.notifications.endedDeliveries(1).isEmpty)
    }

    @Test(arguments: [UInt64(41), 42, 43])
    func snapshotsWithEndedDeliveriesRoundTrip(seed: UInt64) throws {
        var shop = RandomShop(seed: seed)
        let plain = shop.image(barbers: 2, appointments: 6, notifications: false)
        var notifications = shop.notifications(steps: 120)
        // One more endpoint, owed three more events, with more ended deliveries than are kept.
        let id = notifications.lastWebhookID + 1
        notifications.apply(.webhookSaved(shop.webhook(id: id)))
        for _ in 0..<3 { notifications.apply(.eventRecorded(shop.event(sequence: notifications.lastSequence + 1))) }
        for _ in 0..<250 {
            notifications.apply(.deliveryEnded(webhook: id, shop.endedDelivery(event: notifications.lastSequence - Int64(shop.int(0...2)))))
        }
        #expect(notifications.endedDeliveries(id).count == NotificationState.retainedEndedDeliveries)
        let image = StateImage(
            state: ShopState(registry: plain.state.registry, calendars: plain.state.orderedCalendars, notifications: notifications),
            directoryLSN: plain.directoryLSN, calendarLSNs: plain.calendarLSNs, notificationLSN: 2_000_000, lastLSN: 2_000_000)
        #expect(!notifications.endpointsWithEndedDeliveries.isEmpty)
        #expect(EndedDeliveriesSection.encode(image) != nil)
        let decoded = try BinaryCodecTests.decodeImage(SnapshotPayload.encode(image))
        BinaryCodecTests.expectEqual(decoded, image)
        for id in notifications.endpointsWithEndedDeliveries {
            #expect(decoded.state.notifications.endedDeliveries(id) == notifications.endedDeliveries(id))
        }
    }

    @Test func aSnapshotWithSection2OnlyStillLoadsAndSection2KeepsItsBytes() throws {
        let registry = ShopRegistry()
        var withOutcomes = EndedDeliveriesFixture.state(events: 4, endpoints: [1, 2])
        var withEnds = withOutcomes
        for (webhook, event) in [(1, 2), (2, 1), (1, 4)] {
            withOutcomes.apply(.deliveryFinished(webhook: webhook, event: EventSequence(event), outcome: .delivered))
            withEnds.apply(.deliveryEnded(webhook: webhook, EndedDeliveriesFixture.ended(EventSequence(event))))
        }
        func image(_ notifications: NotificationState) -> StateImage {
            StateImage(
                state: ShopState(registry: registry, calendars: [], notifications: notifications), directoryLSN: 5, calendarLSNs: [:],
                notificationLSN: 30, lastLSN: 30)
        }
        // What an older build wrote: no section 6, and the same section 2 as with the lists.
        #expect(EndedDeliveriesSection.encode(image(withOutcomes)) == nil)
        #expect(NotificationSection.encode(image(withOutcomes)) == NotificationSection.encode(image(withEnds)))
        let old = SnapshotPayload.encode(image(withOutcomes))
        let decoded = try BinaryCodecTests.decodeImage(old)
        BinaryCodecTests.expectEqual(decoded, image(withOutcomes))
        #expect(decoded.state.notifications.endpointsWithEndedDeliveries.isEmpty)
        // With the lists: one more section, and the state digest differs (it covers them).
        let new = SnapshotPayload.encode(image(withEnds))
        #expect(new.count > old.count)
        BinaryCodecTests.expectEqual(try BinaryCodecTests.decodeImage(new), image(withEnds))
        #expect(ShopEngine.digest(of: image(withEnds).state) != ShopEngine.digest(of: image(withOutcomes).state))
    }

    @Test func section6IsRefusedForEndpointsTheStateDoesNotHave() throws {
        let state = EndedDeliveriesFixture.state(events: 2)
        var ended = state
        ended.apply(.deliveryEnded(webhook: 1, EndedDeliveriesFixture.ended(1)))
        let section = try #require(EndedDeliveriesSection.encode(
            StateImage(state: ShopState(registry: ShopRegistry(), calendars: [], notifications: ended), notificationLSN: 9)))
        func decode(_ bytes: [UInt8], into notifications: NotificationState) throws -> StateImage {
            var image = StateImage(state: ShopState(registry: ShopRegistry(), calendars: [], notifications: notifications), notificationLSN: 9)
            try BinaryReader.read(bytes) { (reader) throws(BinaryDecodingError) in try EndedDeliveriesSection.decode(&reader, into: &image) }
            return image
        }
        #expect(try decode(section, into: state).state.notifications.endedDeliveries(1) == ended.endedDeliveries(1))
        // Read before section 2 (or without it): the endpoint is unknown.
        #expect(throws: BinaryDecodingError.self) { try decode(section, into: NotificationState()) }
        // No lists at all is written as no section.
        #expect(throws: BinaryDecodingError.self) { try decode([0x00], into: state) }
        // An empty list is never written.
        #expect(throws: BinaryDecodingError.self) { try decode([0x01, 0x02, 0x00], into: state) }
        // Endpoints out of order.
        var two = EndedDeliveriesFixture.state(events: 2, endpoints: [1, 2])
        two.apply(.deliveryEnded(webhook: 1, EndedDeliveriesFixture.ended(1)))
        two.apply(.deliveryEnded(webhook: 2, EndedDeliveriesFixture.ended(1)))
        let both = try #require(EndedDeliveriesSection.encode(
            StateImage(state: ShopState(registry: ShopRegistry(), calendars: [], notifications: two), notificationLSN: 9)))
        let one = Array(section.dropFirst())
        let read = try decode(both, into: EndedDeliveriesFixture.state(events: 2, endpoints: [1, 2])).state.notifications
        #expect(read.endedDeliveries(1) == two.endedDeliveries(1) && read.endedDeliveries(2) == two.endedDeliveries(2))
        let swapped = [0x02] + Array(both.dropFirst().dropFirst(one.count)) + one
        #expect(throws: BinaryDecodingError.self) { try decode(swapped, into: EndedDeliveriesFixture.state(events: 2, endpoints: [1, 2])) }
    }

    @Test func aDeliveryEndedIsReplayedOnlyAboveTheNotificationWatermark() {
        var state = ShopState()
        state.notifications = EndedDeliveriesFixture.state(events: 3)
        state.apply(.notification(.deliveryEnded(webhook: 1, EndedDeliveriesFixture.ended(1))))
        var image = StateImage(state: state, notificationLSN: 10)
        // The record at the watermark is already in the image; the one after it is not.
        image.replay([.notification(.deliveryEnded(webhook: 1, EndedDeliveriesFixture.ended(1)))], lsn: 10)
        image.replay([.notification(.deliveryEnded(webhook: 1, EndedDeliveriesFixture.ended(2)))], lsn: 11)
        #expect(image.state.notifications.endedDeliveries(1).map(\.event) == [1, 2])
        #expect(image.state.notifications.progress[1] == WebhookProgress(acknowledged: 2))
    }
}

/// States with one or more endpoints and events, and ended deliveries, for the tests above.
enum EndedDeliveriesFixture {
    static func ended(_ event: EventSequence) -> EndedDelivery {
        EndedDelivery(
            event: event, type: .appointmentCreated, outcome: .delivered, attempt: 1, statusCode: 204, error: nil, durationMilliseconds: 2,
            at: Instant(seconds: 1_800_000_000 + event))
    }

    static func state(events: Int, endpoints: [WebhookID] = [1]) -> NotificationState {
        let appointment = Appointment(
            id: 1, barberID: 1, clientID: 1, serviceID: 1, start: Instant(seconds: 100), end: Instant(seconds: 200),
            status: .confirmed, priceCents: 1, notes: nil, createdAt: Instant(seconds: 0))
        var state = NotificationState()
        for id in endpoints {
            state.apply(.webhookSaved(WebhookEndpoint(
                id: id, url: "https://x.test/\(id)", events: .all, description: "", isActive: true, secret: [1], createdAt: Instant(seconds: 0))))
        }
        for index in 0..<events {
            state.apply(.eventRecorded(Event(
                sequence: EventSequence(index + 1), type: .appointmentCreated, createdAt: Instant(seconds: 0), payload: .appointment(appointment))))
        }
        return state
    }
}
