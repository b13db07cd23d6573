import BookingCore
import BookingEngine
import Foundation
import TestSupport
import Testing

@testable import BookingLog

/// Mail's log changes (0x35-0x37) and its trailing part of snapshot section 2: exact round trips,
/// the bytes of docs/log-format.md, a section written before mail existed still decoding, and
/// replay of mail changes onto an image exactly once.
@Suite struct MailCodecTests {
    @Test("the mail changes of docs/log-format.md encode to the bytes shown there")
    func documentedMailChanges() throws {
        let changes: [ShopChange] = [
            .notification(.mailSwitched(on: true, at: Instant(seconds: 1_800_000_000))),
            .notification(.mailFinished(event: 12, outcome: .handedOff)),
            .notification(.reminderFinished(
                appointment: 5, start: Instant(seconds: 1_800_086_400), offset: 7_200, outcome: .skipped, at: Instant(seconds: 1_800_079_200))),
        ]
        let bytes: [UInt8] = [
            0x03,
            0x35, 0x01, 0x80, 0xC8, 0xCE, 0xB4, 0x0D,
            0x36, 0x18, 0x00,
            0x37, 0x0A, 0x80, 0x8E, 0xD9, 0xB4, 0x0D, 0xC0, 0x70, 0x01, 0xC0, 0x9D, 0xD8, 0xB4, 0x0D,
        ]
        #expect(LogRecord.changesPayload(changes) == bytes)
        #expect(try BinaryCodecTests.decodeChanges(bytes) == changes)
    }

    @Test func aReminderOffsetThatIsNotPositiveIsRefused() {
        let bytes: [UInt8] = [0x01, 0x37, 0x0A, 0x00, 0x00, 0x00, 0x00]
        #expect(throws: BinaryDecodingError.self) { try BinaryCodecTests.decodeChanges(bytes) }
        #expect(throws: BinaryDecodingError.self) { try BinaryCodecTests.decodeChanges([0x01, 0x36, 0x02, 0x02]) }
    }

    @Test(arguments: [UInt64(21), 22, 23])
    func snapshotsWithMailRoundTrip(seed: UInt64) throws {
        var shop = RandomShop(seed: seed)
        let plain = shop.image(barbers: 2, appointments: 6, notifications: false)
        let notifications = shop.withMail(shop.notifications(steps: 80), steps: 120)
        let image = StateImage(
            state: ShopState(registry: plain.state.registry, calendars: plain.state.orderedCalendars, notifications: notifications),
            directoryLSN: plain.directoryLSN, calendarLSNs: plain.calendarLSNs, notificationLSN: 1_500_000, lastLSN: 1_500_000)
        #expect(notifications.mail != nil)
        let decoded = try BinaryCodecTests.decodeImage(SnapshotPayload.encode(image))
        BinaryCodecTests.expectEqual(decoded, image)
        #expect(decoded.state.notifications.mail == notifications.mail)
    }

    @Test func aSectionWrittenBeforeMailExistedDecodesWithoutMail() throws {
        var shop = RandomShop(seed: 31)
        let before = shop.notifications(steps: 60)
        let after = shop.withMail(before, steps: 40)
        func section(_ notifications: NotificationState) -> [UInt8] {
            NotificationSection.encode(StateImage(state: ShopState(registry: ShopRegistry(), calendars: [], notifications: notifications), notificationLSN: 9))!
        }
        // The mail part is a trailing addition: the rest of the section is the bytes it always was.
        var withoutMail = after
        withoutMail.apply(.mailSwitched(on: false, at: Instant(seconds: .max)))
        #expect(withoutMail.mail == nil)
        let old = section(withoutMail)
        #expect(Array(section(after).prefix(old.count)) == old)
        var image = StateImage()
        try BinaryReader.read(old) { (reader) throws(BinaryDecodingError) in try NotificationSection.decode(&reader, into: &image) }
        #expect(image.state.notifications == withoutMail)
        #expect(image.state.notifications.mail == nil)
        // An empty mail part is not how an absent one is written, so it is refused.
        #expect(throws: BinaryDecodingError.self) {
            var image = StateImage()
            try BinaryReader.read(old + [0x00, 0x00]) { (reader) throws(BinaryDecodingError) in try NotificationSection.decode(&reader, into: &image) }
        }
    }

    @Test func mailChangesAreReplayedOnlyAboveTheNotificationWatermark() {
        var state = ShopState()
        state.apply(.notification(.mailSwitched(on: true, at: Instant(seconds: 0))))
        var image = StateImage(state: state, notificationLSN: 10)
        let reminder = ShopChange.notification(.reminderFinished(
            appointment: 3, start: Instant(seconds: 9_000), offset: 60, outcome: .handedOff, at: Instant(seconds: 100)))
        image.replay([.notification(.mailSwitched(on: false, at: Instant(seconds: 0)))], lsn: 10)
        image.replay([reminder], lsn: 11)
        #expect(image.state.notifications.mail?.events == EventMailProgress(acknowledged: 0))
        #expect(image.state.notifications.mail?.reminders[3] == ReminderMark(start: Instant(seconds: 9_000), offset: 60))
    }
}
