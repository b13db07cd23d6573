import BookingCore
import TestSupport
import Testing

@testable import BookingLog

/// Snapshot section 1 (client records): round trips exactly, is left out when empty, and refuses
/// what `ClientRecordsSection.encode` never writes.
struct ClientRecordsSectionTests {
    static func image(_ records: ClientRecords) -> StateImage {
        var shop = RandomShop(seed: 21)
        var image = shop.image(barbers: 2, appointments: 5)
        image.clientRecords = records
        return image
    }

    static let records = ClientRecords(
        notes: [7: "allergic to the lavender oil", 3: "ünïcode 💈", 900_000: String(repeating: "x", count: 2000)],
        registeredAt: [3: Instant(seconds: 1_800_000_000), 7: Instant(seconds: -5)])

    @Test func clientRecordsRoundTripThroughASnapshot() throws {
        let image = Self.image(Self.records)
        let decoded = try SnapshotPayload.decode(SnapshotPayload.encode(image), version: 3)
        #expect(decoded.clientRecords == Self.records)
        #expect(decoded.state.canonicalEncoding() == image.state.canonicalEncoding())
    }

    @Test func emptyRecordsWriteNoSectionAndKeepTheDigest() throws {
        let image = Self.image(ClientRecords())
        let bytes = SnapshotPayload.encode(image)
        #expect(bytes.last == 0, "no section: the version 2 body and a zero count")
        var withNotes = ClientRecords()
        withNotes.apply(.notesSet(client: 3, notes: "x"))
        #expect(Self.image(withNotes).state.canonicalEncoding() != image.state.canonicalEncoding())
        withNotes.apply(.notesSet(client: 3, notes: ""))
        #expect(withNotes.isEmpty, "empty notes are no notes")
        #expect(Self.image(withNotes).state.canonicalEncoding() == image.state.canonicalEncoding())
    }

    @Test func unsortedOrEmptyEntriesAndCutSectionsAreRefused() throws {
        let body = Array(SnapshotPayload.encode(Self.image(ClientRecords())).dropLast())
        func section(_ bytes: [UInt8]) -> [UInt8] { body + [0x01, 0x01, UInt8(bytes.count)] + bytes }
        // notes: 2 entries (client 4 "a", client 2 "b"): not sorted.
        #expect(throws: BinaryDecodingError.self) {
            try SnapshotPayload.decode(section([0x02, 0x08, 0x01, 0x61, 0x04, 0x01, 0x62, 0x00]), version: 3)
        }
        // notes: client 2 with an empty text.
        #expect(throws: BinaryDecodingError.self) { try SnapshotPayload.decode(section([0x01, 0x04, 0x00, 0x00]), version: 3) }
        let good = section([0x01, 0x04, 0x01, 0x61, 0x00])
        #expect(try SnapshotPayload.decode(good, version: 3).clientRecords.notes == [2: "a"])
        for length in body.count..<good.count {
            #expect(throws: BinaryDecodingError.self) { try SnapshotPayload.decode(Array(good.prefix(length)), version: 3) }
        }
    }
}
