import BookingCore
import Testing

@testable import BookingLog

/// The waitlist's and the queue's events in the log: payload kinds 1 (a waitlist entry) and 2
/// (a walk-in board) of the `0x30 eventRecorded` change round-trip exactly, and a board whose
/// positions disagree with its statuses is refused.
struct EventPayloadCodecTests {
    static func board(_ shop: inout RandomShop) -> QueueBoard {
        var position = 0
        return QueueBoard(entries: (0..<shop.int(0...6)).map { _ in
            var walkIn = WaitlistCodecTests.walkIn(&shop)
            walkIn.status = WalkInStatus.allCases[shop.int(0...3)]
            walkIn.appointmentID = shop.optional { $0.anyInt() }
            guard walkIn.status == .waiting else { return QueueBoard.Entry(walkIn: walkIn, position: nil, placement: nil) }
            position += 1
            return QueueBoard.Entry(
                walkIn: walkIn, position: position,
                placement: shop.optional { WalkInEstimates.Placement(barberID: $0.anyInt(), start: $0.instant()) })
        })
    }

    @Test("waitlist entries and boards in events round-trip exactly", arguments: [EventType.waitlistOffered, .queueUpdated])
    func payloadsRoundTrip(type: EventType) throws {
        var shop = RandomShop(seed: type == .queueUpdated ? 71 : 72)
        for sequence in 1...200 {
            let payload: EventPayload = type == .queueUpdated
                ? .queue(Self.board(&shop))
                : .waitlistEntry({
                    var entry = WaitlistCodecTests.entry(&shop)
                    entry.status = WaitlistStatus.allCases[shop.int(0...4)]
                    entry.offer = shop.optional { WaitlistCodecTests.hold(&$0, entry: entry.id) }
                    entry.appointmentID = shop.optional { $0.anyInt() }
                    return entry
                }())
            let change = ShopChange.notification(.eventRecorded(Event(
                sequence: EventSequence(sequence), type: type, createdAt: shop.instant(), payload: payload)))
            let bytes = LogRecord.changesPayload([change])
            #expect(try BinaryCodecTests.decodeChanges(bytes) == [change])
        }
    }

    @Test func aBoardWhosePositionsDisagreeWithTheStatusesIsRefused() {
        var shop = RandomShop(seed: 73)
        var walkIn = WaitlistCodecTests.walkIn(&shop)
        walkIn.status = .serving
        let event = Event(
            sequence: 1, type: .queueUpdated, createdAt: shop.instant(),
            payload: .queue(QueueBoard(entries: [QueueBoard.Entry(walkIn: walkIn, position: 1, placement: nil)])))
        let bytes = LogRecord.changesPayload([.notification(.eventRecorded(event))])
        #expect(throws: (any Error).self) { try BinaryCodecTests.decodeChanges(bytes) }
    }
}
