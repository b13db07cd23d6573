import BookingCore
import BookingEngine
import Foundation
import TestSupport
import Testing

@testable import BookingLog

/// The waitlist's and the queue's encodings: every change (tags 0x40-0x4B) round-trips; settings
/// at their defaults keep the 0x01 bytes; a state image with entries, holds and walk-ins
/// round-trips through snapshot section 3, and one without them writes no section.
struct WaitlistCodecTests {
    static func hold(_ shop: inout RandomShop, entry: WaitlistEntryID? = nil, barber: BarberID? = nil) -> Hold {
        let start = Instant(seconds: Int64(shop.int(1_700_000_000...1_900_000_000)))
        return Hold(
            entryID: entry ?? shop.anyInt(), barberID: barber ?? shop.anyInt(), serviceID: shop.anyInt(), start: start,
            end: start.adding(seconds: Int64(shop.int(60...7_200))), expiresAt: shop.instant())
    }

    static func entry(_ shop: inout RandomShop, id: WaitlistEntryID? = nil) -> WaitlistEntry {
        let from = CivilDate(daysSinceEpoch: shop.int(-1_000...40_000))
        let time = shop.int(0...1439)
        return WaitlistEntry(
            id: id ?? shop.anyInt(), clientID: shop.anyInt(), serviceID: shop.anyInt(), barberID: shop.optional { $0.anyInt() },
            dateFrom: from, dateTo: from.adding(days: shop.int(0...400)), timeFrom: TimeOfDay(minutes: time),
            timeTo: TimeOfDay(minutes: shop.int(time + 1...1440)), createdAt: shop.instant())
    }

    static func walkIn(_ shop: inout RandomShop, id: WalkInID? = nil) -> WalkIn {
        WalkIn(
            id: id ?? shop.anyInt(), name: shop.string(), phone: shop.optional { $0.string() }, serviceID: shop.anyInt(),
            barberID: shop.optional { $0.anyInt() }, checkedInAt: shop.instant())
    }

    static let cases = 13

    static func change(_ index: Int, _ shop: inout RandomShop) -> ShopChange {
        switch index {
        case 0: .calendar(.holdPlaced(hold(&shop)))
        case 1: .calendar(.holdReleased(barberID: shop.anyInt(), entryID: shop.anyInt()))
        case 2:
            .registry(.settingsSet({
                var settings = shop.settings()
                settings.waitlistHoldMinutes = shop.int(1...1440)
                return settings
            }()))
        case 3: .waitlist(.entryAdded(entry(&shop)))
        case 4: .waitlist(.offered(hold(&shop)))
        case 5: .waitlist(.expired(shop.anyInt()))
        case 6: .waitlist(.booked(shop.anyInt(), appointmentID: shop.anyInt()))
        case 7: .waitlist(.cancelled(shop.anyInt()))
        case 8: .queue(.checkedIn(walkIn(&shop)))
        case 9: .queue(.started(shop.anyInt(), barberID: shop.anyInt(), appointmentID: shop.anyInt()))
        case 10: .queue(.done(shop.anyInt()))
        case 11: .queue(.left(shop.anyInt()))
        default:
            .waitlist(.entryAdded({
                var entry = entry(&shop)
                entry.status = WaitlistStatus.allCases[shop.int(0...4)]
                entry.offer = shop.optional { hold(&$0, entry: entry.id) }
                entry.appointmentID = shop.optional { $0.anyInt() }
                return entry
            }()))
        }
    }

    @Test("every waitlist and queue change round-trips exactly", arguments: 0..<cases)
    func everyChangeRoundTrips(index: Int) throws {
        var shop = RandomShop(seed: UInt64(500 + index))
        for _ in 0..<200 {
            let change = Self.change(index, &shop)
            let bytes = LogRecord.changesPayload([change])
            #expect(try BinaryCodecTests.decodeChanges(bytes) == [change])
            #expect(LogRecord.changesPayload(try BinaryCodecTests.decodeChanges(bytes)) == bytes)
        }
    }

    @Test func settingsAtTheirDefaultsKeepTheOldTagAndOldSettingsReadWithA15MinuteHold() throws {
        var shop = RandomShop(seed: 9)
        var settings = shop.settings()
        settings.waitlistHoldMinutes = 15
        let old = LogRecord.changesPayload([.registry(.settingsSet(settings))])
        #expect(old[1] == 0x01)
        #expect(try BinaryCodecTests.decodeChanges(old) == [.registry(.settingsSet(settings))])
        settings.waitlistHoldMinutes = 30
        let new = LogRecord.changesPayload([.registry(.settingsSet(settings))])
        #expect(new[1] == 0x42)
        #expect(Array(new.dropFirst(2).dropLast(1)) == Array(old.dropFirst(2)))
        // JSON settings written before the field existed read with the default.
        var json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(settings)) as! [String: Any]
        json["waitlistHoldMinutes"] = nil
        let decoded = try JSONDecoder().decode(ShopSettings.self, from: JSONSerialization.data(withJSONObject: json))
        #expect(decoded.waitlistHoldMinutes == 15)
    }

    /// An image of `shop`'s random state with a waitlist (some entries offered, their holds in
    /// the calendars) and walk-ins.
    static func imageWithWaitlist(seed: UInt64) -> StateImage {
        var shop = RandomShop(seed: seed)
        let base = shop.image(barbers: 3, appointments: 10)
        var state = base.state
        let barbers = state.orderedCalendars.map(\.barber.id)
        var waitlist = Waitlist()
        var holds: [Hold] = []
        for id in 1...12 {
            var entry = entry(&shop, id: id * 2)
            entry.status = .waiting
            waitlist.apply(.entryAdded(entry))
            switch id % 4 {
            case 0:
                let hold = hold(&shop, entry: entry.id, barber: barbers[shop.int(0...barbers.count - 1)])
                waitlist.apply(.offered(hold))
                holds.append(hold)
            case 1: waitlist.apply(.cancelled(entry.id))
            default: break
            }
        }
        var walkIns = WalkInQueue()
        for id in 1...6 {
            walkIns.apply(.checkedIn(walkIn(&shop, id: id)))
            if id % 3 == 0 { walkIns.apply(.started(id, barberID: barbers[0], appointmentID: 9_000 + id)) }
            if id % 4 == 0 { walkIns.apply(.left(id)) }
        }
        state.waitlist = waitlist
        state.walkIns = walkIns
        var image = StateImage(
            state: state, directoryLSN: base.directoryLSN, calendarLSNs: base.calendarLSNs, waitlistLSN: base.directoryLSN + 3)
        try! image.restoreWaitlist(waitlist, walkIns: walkIns, holds: holds, waitlistLSN: base.directoryLSN + 3)
        var settings = image.state.registry.settings
        settings.waitlistHoldMinutes = 25
        try! image.restoreSettings(settings)
        return image
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func aStateWithWaitlistHoldsAndWalkInsRoundTripsThroughSection3(seed: UInt64) throws {
        let image = Self.imageWithWaitlist(seed: seed)
        #expect(!image.state.holds.isEmpty)
        let bytes = SnapshotPayload.encode(image)
        let decoded = try BinaryCodecTests.decodeImage(bytes)
        BinaryCodecTests.expectEqual(decoded, image)
        #expect(decoded.state.waitlist == image.state.waitlist && decoded.state.walkIns == image.state.walkIns)
        #expect(decoded.state.holds == image.state.holds)
        #expect(decoded.waitlistLSN == image.waitlistLSN && decoded.state.registry.settings.waitlistHoldMinutes == 25)
        #expect(SnapshotPayload.encode(decoded) == bytes)
        // The JSON form (version 1 shape) holds the same state.
        let json = try JSONEncoder().encode(image)
        #expect(ShopEngine.digest(of: try SnapshotPayload.decode(Array(json), version: 1).state) == ShopEngine.digest(of: image.state))
    }

    @Test func aStateWithoutThemWritesNoSectionAndKeepsItsDigest() throws {
        var shop = RandomShop(seed: 4)
        let image = shop.image(barbers: 2, appointments: 5, notifications: false)
        var settings = image.state.registry.settings
        settings.waitlistHoldMinutes = 15
        var plain = image
        try plain.restoreSettings(settings)
        let bytes = SnapshotPayload.encode(plain)
        #expect(bytes.last == 0x00, "a state without a waitlist writes no section")
        #expect(!String(decoding: plain.state.canonicalEncoding(), as: UTF8.self).contains("waitlist"))
        #expect(!String(decoding: plain.state.canonicalEncoding(), as: UTF8.self).contains("holds"))
    }

    @Test func holdsThatDisagreeWithTheOfferedEntriesAreRefused() throws {
        let image = Self.imageWithWaitlist(seed: 2)
        try #require(!image.state.waitlist.offered.isEmpty)
        // The same entries, offered ones included, with no holds.
        var section = BinaryWriter()
        section.writeOptional(image.waitlistLSN) { $0.write($1) }
        section.write(25)
        section.write(count: image.state.waitlist.ordered.count)
        for entry in image.state.waitlist.ordered { section.write(entry) }
        section.write(count: 0)
        section.write(count: 0)
        var writer = BinaryWriter()
        var body = image
        try body.restoreWaitlist(Waitlist(), walkIns: WalkInQueue(), holds: [], waitlistLSN: nil)
        writer.write(body)
        writer.write(count: 1)
        writer.write(byte: WaitlistSection.tag)
        writer.write(bytes: section.bytes)
        #expect(throws: BinaryDecodingError.self) { try BinaryCodecTests.decodeImage(writer.bytes) }
    }
}
