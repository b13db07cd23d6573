import BookingCore
import TestSupport
import Testing

/// `LiveIntervals` against a brute-force model: a plain list of intervals scanned linearly.
struct LiveIntervalsTests {
    struct Interval: Equatable {
        var start: Int64
        var end: Int64
        var id: AppointmentID
    }

    /// The brute-force rule: `a` conflicts when `start < a.end + buffer && a.start < end + buffer`;
    /// the answer is the earliest-starting such interval other than `ignoring`.
    static func bruteConflict(_ model: [Interval], start: Int64, end: Int64, buffer: Int64, ignoring: AppointmentID?)
        -> AppointmentID?
    {
        model.filter { $0.id != ignoring && start < $0.end + buffer && $0.start < end + buffer }
            .min { $0.start < $1.start }?.id
    }

    @Test("touching intervals do not conflict without a buffer; with one they do, on both sides")
    func touchingAndBuffer() {
        var live = LiveIntervals()
        live.insert(start: 600, end: 1_200, id: 1)
        #expect(live.conflict(start: 1_200, end: 1_800, buffer: 0) == nil)
        #expect(live.conflict(start: 0, end: 600, buffer: 0) == nil)
        #expect(live.conflict(start: 1_199, end: 1_800, buffer: 0) == 1)
        #expect(live.conflict(start: 0, end: 601, buffer: 0) == 1)
        #expect(live.conflict(start: 1_200, end: 1_800, buffer: 60) == 1)
        #expect(live.conflict(start: 1_260, end: 1_800, buffer: 60) == nil)
        #expect(live.conflict(start: 0, end: 541, buffer: 60) == 1)
        #expect(live.conflict(start: 0, end: 540, buffer: 60) == nil)
        #expect(live.conflict(start: 600, end: 1_200, buffer: 0, ignoring: 1) == nil)
        #expect(live.conflict(start: 0, end: 10_000, buffer: 0) == 1)
    }

    @Test("the conflict found is the earliest-starting one that is not ignored")
    func conflictSkipsTheIgnoredOne() {
        var live = LiveIntervals()
        live.insert(start: 0, end: 100, id: 1)
        live.insert(start: 100, end: 200, id: 2)
        live.insert(start: 300, end: 400, id: 3)
        #expect(live.conflict(start: 50, end: 350, buffer: 0) == 1)
        #expect(live.conflict(start: 50, end: 350, buffer: 0, ignoring: 1) == 2)
        #expect(live.conflict(start: 150, end: 350, buffer: 0, ignoring: 2) == 3)
        #expect(live.conflict(start: 150, end: 250, buffer: 0, ignoring: 2) == nil)
        #expect(live.conflict(start: 150, end: 250, buffer: 50, ignoring: 2) == nil)
        #expect(live.conflict(start: 160, end: 250, buffer: 51, ignoring: 2) == 3)
        #expect(live.conflict(start: 150, end: 250, buffer: 51, ignoring: 2) == 1)
    }

    @Test("random inserts, removes and conflict queries agree with a linear scan", arguments: 1...12 as ClosedRange<UInt64>)
    func randomizedAgainstBruteForce(seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        var live = LiveIntervals()
        var model: [Interval] = []
        var nextID = 1
        var mismatches: [String] = []
        let buffers: [Int64] = [0, 60, 300, 900, 3_600]
        for _ in 0..<400 {
            // Mutate: insert a random interval if it is free (buffer 0), or remove a random one.
            if model.isEmpty || Int.random(in: 0..<3, using: &rng) > 0 {
                let start = Int64.random(in: 0..<2_000, using: &rng) * 60
                let end = start + Int64.random(in: 1...180, using: &rng) * 60
                let modelFree = Self.bruteConflict(model, start: start, end: end, buffer: 0, ignoring: nil) == nil
                let liveFree = live.conflict(start: start, end: end, buffer: 0) == nil
                if modelFree != liveFree { mismatches.append("free(\(start),\(end)) model=\(modelFree)") }
                if modelFree {
                    live.insert(start: start, end: end, id: nextID)
                    model.append(Interval(start: start, end: end, id: nextID))
                    nextID += 1
                }
            } else {
                let victim = model.remove(at: Int.random(in: 0..<model.count, using: &rng))
                live.remove(start: victim.start, id: victim.id)
            }
            // Query.
            for _ in 0..<10 {
                let start = Int64.random(in: -200..<2_200, using: &rng) * 60
                let end = start + Int64.random(in: 1...240, using: &rng) * 60
                let buffer = buffers.randomElement(using: &rng)!
                let ignoring: AppointmentID? = Bool.random(using: &rng) ? model.randomElement(using: &rng)?.id : nil
                let expected = Self.bruteConflict(model, start: start, end: end, buffer: buffer, ignoring: ignoring)
                let actual = live.conflict(start: start, end: end, buffer: buffer, ignoring: ignoring)
                if expected != actual {
                    mismatches.append("conflict(\(start),\(end),b=\(buffer),ign=\(String(describing: ignoring))) "
                        + "expected \(String(describing: expected)) got \(String(describing: actual))")
                }
            }
            let sorted = model.sorted { $0.start < $1.start }
            if live.entries.map({ Interval(start: $0.start, end: $0.end, id: $0.id) }) != sorted {
                mismatches.append("entries differ from the sorted model")
            }
        }
        #expect(live.count == model.count)
        #expect(mismatches.isEmpty, "\(mismatches.prefix(10))")
    }

    @Test("the intervals ending from a time and starting before a limit are exactly the brute-force ones, by start")
    func rangeMatchesBruteForce() {
        var random = SeededGenerator(seed: 41)
        var live = LiveIntervals()
        var model: [Interval] = []
        var cursor: Int64 = 0
        for id in 1...200 {
            cursor += Int64(random.next() % 600)
            let end = cursor + 1 + Int64(random.next() % 900)
            live.insert(start: cursor, end: end, id: id)
            model.append(Interval(start: cursor, end: end, id: id))
            cursor = end
        }
        for _ in 0..<500 {
            let time = Int64(random.next() % UInt64(cursor + 1_000)) - 500
            let limit = time + Int64(random.next() % 20_000) - 2_000
            let found = live.entries(endingFrom: time, startingBefore: limit).map { Interval(start: $0.start, end: $0.end, id: $0.id) }
            #expect(found == model.filter { $0.end >= time && $0.start < limit }, "from \(time) before \(limit)")
        }
    }
}
