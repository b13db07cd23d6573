import BookingCore
import TestSupport
import Testing

/// `SortedStarts` against a plain sorted array, through enough random insertions and removals to
/// split and drop many chunks.
struct SortedStartsTests {
    @Test func agreesWithASortedArrayThroughRandomChanges() {
        var generator = SeededGenerator(seed: 5)
        var starts = SortedStarts()
        var reference: [SortedStarts.Entry] = []
        for id in 0..<20_000 {
            if !reference.isEmpty, Int.random(in: 0...2, using: &generator) == 0 {
                let gone = reference.remove(at: Int.random(in: 0..<reference.count, using: &generator))
                starts.remove(start: gone.start, id: gone.id)
            } else {
                let start = Int64.random(in: 0...5_000, using: &generator)  // many equal starts
                starts.insert(start: start, id: id)
                reference.append(SortedStarts.Entry(start: start, id: id))
                reference.sort()
            }
            if id % 997 == 0 {
                #expect(starts.entries == reference && starts.count == reference.count)
                #expect(starts.first == reference.first && starts.last == reference.last)
                for probe in stride(from: Int64(-1), through: 5_001, by: 250) {
                    #expect(starts.firstStart(after: probe) == reference.first { $0.start > probe }?.start)
                    #expect(starts.firstStart(atOrAfter: probe) == reference.first { $0.start >= probe }?.start)
                }
            }
        }
        #expect(reference.count > 5_000, "enough entries for several chunks")
        while let gone = reference.popLast() { starts.remove(start: gone.start, id: gone.id) }
        #expect(starts.isEmpty && starts.first == nil && starts.firstStart(after: 0) == nil)
    }
}
