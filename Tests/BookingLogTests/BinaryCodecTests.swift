import BookingCore
import BookingEngine
import Foundation
import TestSupport
import Testing

@testable import BookingLog

/// The binary encodings of log records (type 2) and snapshot payloads (version 2): exact round
/// trips of every change and of whole states, and safety on hostile bytes: a truncated, random or
/// mutated payload decodes to an error or to a valid value, never to a trap or a giant allocation.
struct BinaryCodecTests {
    static func decodeChanges(_ bytes: [UInt8]) throws -> [ShopChange] {
        try LogRecord(lsn: 1, appendedAt: Instant(seconds: 0), type: .changesBinary, payload: bytes).changes()
    }

    static func decodeImage(_ bytes: [UInt8]) throws -> StateImage { try SnapshotPayload.decode(bytes, version: SnapshotPayload.writtenVersion) }

    /// The parts of two images that must be equal, and the state digest.
    static func expectEqual(_ decoded: StateImage, _ original: StateImage) {
        #expect(decoded.directoryLSN == original.directoryLSN)
        #expect(decoded.calendarLSNs == original.calendarLSNs)
        #expect(decoded.lastLSN == original.lastLSN)
        #expect(decoded.notificationLSN == original.notificationLSN)
        #expect(decoded.state.notifications == original.state.notifications)
        let (a, b) = (decoded.state.registry, original.state.registry)
        #expect(a.settings == b.settings && a.users == b.users && a.userIDByEmail == b.userIDByEmail)
        #expect(a.services == b.services && a.barberIDs == b.barberIDs && a.barberIDByUser == b.barberIDByUser)
        #expect(decoded.state.calendars.keys.sorted() == original.state.calendars.keys.sorted())
        for (id, calendar) in original.state.calendars {
            let other = decoded.state.calendars[id]
            #expect(other?.barber == calendar.barber && other?.timeOff == calendar.timeOff)
            #expect(other?.appointments == calendar.appointments && other?.live == calendar.live)
            #expect(other?.appointments(overlapping: nil, nil) == calendar.appointments(overlapping: nil, nil))
        }
        #expect(ShopEngine.digest(of: decoded.state) == ShopEngine.digest(of: original.state))
    }

    @Test("every case of ShopChange round-trips exactly", arguments: 0..<RandomShop.changeCases)
    func everyChangeCaseRoundTrips(changeCase: Int) throws {
        var shop = RandomShop(seed: UInt64(100 + changeCase))
        for _ in 0..<200 {
            let change = shop.change(case: changeCase)
            let bytes = LogRecord.changesPayload([change])
            #expect(try Self.decodeChanges(bytes) == [change])
        }
    }

    @Test func recordsOfManyChangesRoundTripInOrderAndEncodeDeterministically() throws {
        var shop = RandomShop(seed: 7)
        for count in [0, 1, 2, 5, 40] {
            let changes = shop.changes(count: count)
            let bytes = LogRecord.changesPayload(changes)
            let decoded = try Self.decodeChanges(bytes)
            #expect(decoded == changes)
            #expect(LogRecord.changesPayload(decoded) == bytes)
        }
    }

    @Test("the booking record of docs/log-format.md encodes to the bytes shown there")
    func documentedBookingRecord() throws {
        let appointment = Appointment(
            id: 1_000_123, barberID: 17, clientID: 2, serviceID: 1, start: Instant(seconds: 1_893_456_000),
            end: Instant(seconds: 1_893_456_900), status: .confirmed, priceCents: 1_000, notes: nil,
            createdAt: Instant(seconds: 1_800_000_000))
        let bytes: [UInt8] = [
            0x01, 0x15, 0xF6, 0x8A, 0x7A, 0x22, 0x04, 0x02, 0x80, 0xE2, 0xDE, 0x8D, 0x0E, 0x88, 0xF0, 0xDE, 0x8D, 0x0E,
            0x00, 0xD0, 0x0F, 0x00, 0x80, 0xC8, 0xCE, 0xB4, 0x0D, 0x00, 0x00,
        ]
        #expect(LogRecord.changesPayload([.calendar(.booked(appointment))]) == bytes)
        #expect(try Self.decodeChanges(bytes) == [.calendar(.booked(appointment))])
    }

    @Test func binaryRecordsAreSmallerThanTheirJSON() throws {
        var shop = RandomShop(seed: 8)
        let appointment = shop.appointment(id: 1_000_123, barber: 17)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = try encoder.encode([ShopChange.calendar(.booked(appointment))])
        #expect(LogRecord.changesPayload([.calendar(.booked(appointment))]).count * 2 < json.count)
    }

    @Test(arguments: [UInt64(1), 2, 3, 4])
    func wholeStateImageRoundTrips(seed: UInt64) throws {
        var shop = RandomShop(seed: seed)
        let image = shop.image(barbers: Int(seed) * 3, appointments: 60)
        let bytes = SnapshotPayload.encode(image)
        let decoded = try Self.decodeImage(bytes)
        Self.expectEqual(decoded, image)
        #expect(SnapshotPayload.encode(decoded) == bytes)
    }

    @Test func binaryAndJSONSnapshotPayloadsHoldTheSameState() throws {
        var shop = RandomShop(seed: 5)
        let image = shop.image(barbers: 4, appointments: 40)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let fromJSON = try SnapshotPayload.decode(Array(try encoder.encode(image)), version: 1)
        Self.expectEqual(try Self.decodeImage(SnapshotPayload.encode(image)), fromJSON)
    }

    @Test func anEmptyStateRoundTrips() throws {
        let image = StateImage()
        Self.expectEqual(try Self.decodeImage(SnapshotPayload.encode(image)), image)
    }

    @Test func recordCutAtEveryOffsetIsAnErrorNotACrash() throws {
        var shop = RandomShop(seed: 9)
        let bytes = LogRecord.changesPayload((0..<RandomShop.changeCases).map { shop.change(case: $0) })
        for length in 0..<bytes.count {
            #expect(throws: BinaryDecodingError.self) { try Self.decodeChanges(Array(bytes.prefix(length))) }
        }
        #expect(throws: BinaryDecodingError.self) { try Self.decodeChanges(bytes + [0]) }
    }

    @Test func snapshotPayloadCutAtEveryOffsetIsAnErrorNotACrash() throws {
        var shop = RandomShop(seed: 10)
        let bytes = SnapshotPayload.encode(shop.image(barbers: 2, appointments: 6))
        for length in 0..<bytes.count {
            #expect(throws: BinaryDecodingError.self) { try Self.decodeImage(Array(bytes.prefix(length))) }
        }
        #expect(throws: BinaryDecodingError.self) { try Self.decodeImage(bytes + [0]) }
    }

    /// Version 3 sections: a tag this build does not know is refused (a newer build wrote it), and
    /// so is a section count the bytes cannot hold; a version 2 body still decodes as version 2.
    @Test func snapshotSectionsThisBuildDoesNotKnowAreRefused() throws {
        var shop = RandomShop(seed: 15)
        let image = shop.image(barbers: 1, appointments: 3, notifications: false)
        let body = Array(SnapshotPayload.encode(image).dropLast())  // without the zero section count
        Self.expectEqual(try SnapshotPayload.decode(body, version: 2), image)
        let unknown = #expect(throws: BinaryDecodingError.self) { try Self.decodeImage(body + [0x01, 0xEE, 0x01, 0x00]) }
        #expect(unknown?.reason.contains("section 238 is unknown") == true)
        #expect(throws: BinaryDecodingError.self) { try Self.decodeImage(body + [0x05, 0xEE]) }
    }

    @Test func randomBytesDecodeToAnErrorOrAValueNeverATrap() throws {
        var generator = SeededGenerator(seed: 11)
        for _ in 0..<20_000 {
            let bytes = (0..<Int.random(in: 0...64, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if let changes = try? Self.decodeChanges(bytes) {
                #expect(LogRecord.changesPayload(changes) == bytes, "a decoded payload re-encodes to its bytes")
            }
            _ = try? Self.decodeImage(bytes)
        }
        #expect(try Self.decodeChanges([0x00]) == [])
    }

    /// Mutations of valid payloads reach deeper than random bytes: counts, tags, lengths and
    /// integers inside real records and states.
    @Test func mutatedPayloadsDecodeToAnErrorOrAValueNeverATrap() throws {
        var shop = RandomShop(seed: 12)
        var generator = SeededGenerator(seed: 13)
        let record = LogRecord.changesPayload((0..<RandomShop.changeCases).map { shop.change(case: $0) })
        let image = SnapshotPayload.encode(shop.image(barbers: 3, appointments: 8))
        for original in [record, image] {
            for _ in 0..<3_000 {
                var bytes = original
                for _ in 0..<Int.random(in: 1...4, using: &generator) {
                    let index = Int.random(in: 0..<bytes.count, using: &generator)
                    switch Int.random(in: 0...3, using: &generator) {
                    case 0: bytes[index] ^= UInt8(1) << UInt8.random(in: 0...7, using: &generator)
                    case 1: bytes[index] = [0x00, 0x01, 0x7F, 0x80, 0xFF][Int.random(in: 0...4, using: &generator)]
                    case 2: bytes.insert(UInt8.random(in: 0...255, using: &generator), at: index)
                    default: bytes.remove(at: index)
                    }
                }
                _ = try? Self.decodeChanges(bytes)
                _ = try? Self.decodeImage(bytes)
            }
        }
    }

    @Test func countLargerThanTheBytesLeftIsRefusedBeforeAllocating() {
        // A record claiming 2^62 changes, and a state whose one calendar claims 2^40 appointments.
        var record = BinaryWriter()
        record.write(unsigned: 1 << 62)
        let error = #expect(throws: BinaryDecodingError.self) { try Self.decodeChanges(record.bytes) }
        #expect(error?.reason.contains("exceeds") == true)
        var image = BinaryWriter()
        image.write(Int64(0))
        image.write(Int64(0))
        image.write(count: 0)
        image.write(ShopSettings())
        for _ in 0..<4 { image.write(count: 0) }
        image.write(count: 1)
        image.write(Barber(id: 1, name: "A"))
        image.write(count: 0)
        image.write(unsigned: 1 << 40)
        let imageError = #expect(throws: BinaryDecodingError.self) { try Self.decodeImage(image.bytes) }
        #expect(imageError?.reason.contains("exceeds") == true)
    }

    @Test func integersMustBeShortestAndFitIn64Bits() throws {
        func read(_ bytes: [UInt8]) throws -> UInt64 {
            try BinaryReader.read(bytes) { (reader) throws(BinaryDecodingError) in try reader.readUnsigned() }
        }
        #expect(try read([0x00]) == 0)
        #expect(try read([0x80, 0x01]) == 128)
        #expect(try read(Array(repeating: 0xFF, count: 9) + [0x01]) == UInt64.max)
        #expect(throws: BinaryDecodingError.self) { try read([0x80, 0x00]) }
        #expect(throws: BinaryDecodingError.self) { try read(Array(repeating: 0xFF, count: 9) + [0x02]) }
        #expect(throws: BinaryDecodingError.self) { try read(Array(repeating: 0xFF, count: 10) + [0x01]) }
        for value in [Int64.min, -1, 0, 1, 63, 64, -65, Int64.max] {
            var writer = BinaryWriter()
            writer.write(value)
            #expect(try BinaryReader.read(writer.bytes) { (reader) throws(BinaryDecodingError) in try reader.readInt64() } == value)
        }
    }

    @Test func invalidUTF8AndUnknownTagsAreRefused() throws {
        // One `barberUpdated` change whose name is the bytes given.
        func record(name: [UInt8]) -> [UInt8] { [0x01, 0x11, 0x02, UInt8(name.count)] + name + [0x01] }
        #expect(try Self.decodeChanges(record(name: Array("Sam".utf8))) == [.calendar(.barberUpdated(id: 1, name: "Sam", isActive: true))])
        #expect(throws: BinaryDecodingError.self) { try Self.decodeChanges(record(name: [0xC3, 0x28])) }
        #expect(throws: BinaryDecodingError.self) { try Self.decodeChanges([0x01, 0x7E, 0x00]) }
        #expect(throws: BinaryDecodingError.self) { try Self.decodeChanges([0x01, 0x04, 0x02, 0x02]) }  // optional tag 2
        #expect(throws: BinaryDecodingError.self) { try Self.decodeChanges([0x01, 0x11, 0x02, 0x00, 0x02]) }  // boolean 2
    }

    @Test func timeOfDayPast24HoursIsAnErrorNotATrap() {
        // `scheduleSet` for barber 1 with Monday 00:00-24:01.
        let bytes: [UInt8] = [0x01, 0x12, 0x02, 0x01, 0x00, 0xC2, 0x16] + Array(repeating: 0x00, count: 6) + [0x00]
        let error = #expect(throws: BinaryDecodingError.self) { try Self.decodeChanges(bytes) }
        #expect(error?.reason.contains("time of day") == true)
    }

    @Test func stateThatBreaksAnInvariantIsAnErrorNotATrap() throws {
        var shop = RandomShop(seed: 14)
        let barber = shop.barber(id: 3)
        let start = Instant(seconds: 1_800_000_000)
        var first = shop.appointment(id: 1, barber: 3, start: start, end: start.adding(minutes: 30))
        first.status = .confirmed
        var overlapping = first
        overlapping.id = 2
        overlapping.start = start.adding(minutes: 10)

        func payload(_ calendars: [(Barber, [Appointment])], settings: ShopSettings = ShopSettings()) -> [UInt8] {
            var writer = BinaryWriter()
            writer.write(Int64(0))
            writer.write(Int64(0))
            writer.write(count: 0)
            writer.write(settings)
            for _ in 0..<4 { writer.write(count: 0) }
            writer.write(count: calendars.count)
            for (barber, appointments) in calendars {
                writer.write(barber)
                writer.write(count: 0)
                writer.write(count: appointments.count)
                for appointment in appointments { writer.write(appointment) }
            }
            writer.write(count: 0)  // no sections
            return writer.bytes
        }
        _ = try Self.decodeImage(payload([(barber, [first])]))
        var reasons: [String] = []
        for bad in [
            payload([(barber, [first, overlapping])]),
            payload([(barber, [first, first])]),
            payload([(shop.barber(id: 4), [first])]),
            payload([(barber, []), (barber, [])]),
            payload([], settings: { var settings = ShopSettings(); settings.timeZone = "Mars/Olympus"; return settings }()),
        ] {
            let error = #expect(throws: BinaryDecodingError.self) { try Self.decodeImage(bad) }
            reasons.append(error?.reason ?? "")
        }
        #expect(reasons[0].contains("overlap") && reasons[1].contains("twice") && reasons[2].contains("barber 3 in the calendar of 4"))
    }
}
