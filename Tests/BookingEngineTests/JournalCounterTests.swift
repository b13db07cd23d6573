import BookingCore
import Dispatch
import Synchronization
import Testing

@testable import BookingEngine

/// The counter behind LSNs and event numbers: both consecutive, and in the same order.
struct JournalCounterTests {
    @Test func lsnsAndEventNumbersAreTakenTogether() {
        let counter = JournalCounter(lastLSN: 5)
        counter.continueEvents(after: 40)
        #expect(counter.current == .init(lsn: 5, lastEvent: 40))
        let first = counter.next(events: 2)
        #expect(first.lsn == 6 && first.firstEvent == 41)
        let plain = counter.next()
        #expect(plain.lsn == 7 && plain.firstEvent == 43, "no events: the next number stays free")
        #expect(counter.current == .init(lsn: 7, lastEvent: 42))
        // A record decided before event 42 was numbered gets no LSN; one decided after it does.
        #expect(counter.next(ifLastEventIs: 41) == nil)
        #expect(counter.next(ifLastEventIs: 42) == 8)
        #expect(counter.current == .init(lsn: 8, lastEvent: 42))
        // Continuing with the number it has is allowed (a state restored twice).
        counter.continueEvents(after: 42)
        #expect(counter.lastLSN == 8)
    }

    /// Four threads take LSNs with 0–2 events each: sorted by LSN, the LSNs have no gap and the
    /// event numbers follow on from one record to the next.
    @Test func concurrentTakersGetEventNumbersInLSNOrder() {
        let counter = JournalCounter()
        let taken = Mutex<[(lsn: LSN, first: EventSequence, count: Int)]>([])
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            var mine: [(lsn: LSN, first: EventSequence, count: Int)] = []
            for index in 0..<20_000 {
                let count = (index + worker) % 3
                let (lsn, first) = counter.next(events: count)
                mine.append((lsn, first, count))
            }
            taken.withLock { $0.append(contentsOf: mine) }
        }
        let records = taken.withLock { $0 }.sorted { $0.lsn < $1.lsn }
        #expect(records.map(\.lsn) == Array(1...LSN(80_000)))
        var next: EventSequence = 1
        var inOrder = true
        for record in records {
            if record.first != next { inOrder = false }
            next += EventSequence(record.count)
        }
        #expect(inOrder)
        #expect(counter.current == .init(lsn: 80_000, lastEvent: next - 1))
    }
}
