import Foundation
import Synchronization

/// A time zone's UTC offsets over `OffsetTable.window`, read from Foundation's `TimeZone` (tzdata)
/// once, when a `ShopTime` is made, and answered from then on without Foundation.
///
/// Why: Foundation's `TimeZone` and `Calendar` on Linux serialise every query of one zone behind a
/// lock (`_TimeZoneICU` and `_CalendarICU` keep one ICU object each under a `LockedState`), so
/// every request that formats a time or resolves a working day took the same lock: the slots
/// answer spent a fifth of its CPU there (BENCHMARKS.md, bench/profile.sh). This table is an
/// immutable value shared by every reader, so reading it takes no lock.
///
/// Invariants (checked by `OffsetTableTests` against Foundation for several zones, including
/// half-hour and 45-minute offsets, a 30-minute daylight saving shift and zones that changed
/// their standard offset): `starts` is strictly increasing and `starts[0]` is
/// `window.lowerBound`; `offsets[k]` is the offset in force on `[starts[k], starts[k + 1])`
/// (the last up to `window.upperBound`); two neighbouring spans may share an offset (a transition
/// that changed only the zone's name or its daylight flag). Outside the window `ShopTime` asks
/// Foundation.
struct OffsetTable: Sendable {
    /// 1900-01-01 to 2200-01-01 UTC: every date a shop books, reports on or imports.
    static let window = Instant(seconds: -2_208_988_800)..<Instant(seconds: 7_258_118_400)

    private let starts: [Int64]
    private let offsets: [Int]

    /// The table of `zone`, read from Foundation the first time a zone of that name is asked for
    /// in this process (a few hundred transitions for a zone with daylight saving time) and
    /// shared after that. The cache's lock is taken when a `ShopTime` is made (a settings change,
    /// a new barber), never by a query.
    static func of(_ zone: TimeZone) -> OffsetTable {
        if let known = cache.withLock({ $0[zone.identifier] }) { return known }
        let table = OffsetTable(zone)
        cache.withLock { $0[zone.identifier] = table }
        return table
    }

    private static let cache = Mutex<[String: OffsetTable]>([:])

    private init(_ zone: TimeZone) {
        var starts = [Self.window.lowerBound.seconds]
        var offsets = [zone.secondsFromGMT(for: Self.window.lowerBound.date)]
        var cursor = Self.window.lowerBound.date
        while let next = zone.nextDaylightSavingTimeTransition(after: cursor), next < Self.window.upperBound.date {
            let seconds = Int64(next.timeIntervalSince1970.rounded(.down))
            guard seconds > starts[starts.count - 1] else { break }  // never loop on a non-advancing answer
            starts.append(seconds)
            offsets.append(zone.secondsFromGMT(for: next))
            cursor = next
        }
        self.starts = starts
        self.offsets = offsets
    }

    /// The index of the span holding `seconds` (inside the window).
    private func span(of seconds: Int64) -> Int {
        var low = 0
        var high = starts.count  // the answer is the last index whose start is <= seconds
        while high - low > 1 {
            let middle = (low + high) / 2
            if starts[middle] <= seconds { low = middle } else { high = middle }
        }
        return low
    }

    /// The offset at `instant`, which must be inside the window.
    func offset(at instant: Instant) -> Int { offsets[span(of: instant.seconds)] }

    /// The first instant after `instant` (inside the window) at which the offset changes; nil
    /// when it does not change again inside the window.
    func nextChange(after instant: Instant) -> Instant? {
        var index = span(of: instant.seconds) + 1
        while index < starts.count, offsets[index] == offsets[index - 1] { index += 1 }
        return index < starts.count ? Instant(seconds: starts[index]) : nil
    }

    /// The instant at which clocks show `localSeconds` (seconds since 1970-01-01T00:00 on the
    /// local wall clock), resolved as Foundation's Gregorian calendar resolves it: a wall time
    /// inside a forward gap is moved forward by the gap's length, one that occurs twice is its
    /// first occurrence. nil when the answer is not well inside the window.
    func instant(atLocal localSeconds: Int64) -> Instant? {
        // Offsets lie within ±18 h, so the answer lies within a day of the wall time read as UTC.
        let day: Int64 = 86_400
        guard localSeconds - day > Self.window.lowerBound.seconds, localSeconds + day < Self.window.upperBound.seconds else {
            return nil
        }
        var index = span(of: localSeconds - day)
        while index < starts.count {
            let candidate = localSeconds - Int64(offsets[index])
            let end = index + 1 < starts.count ? starts[index + 1] : Self.window.upperBound.seconds
            if candidate < end {
                if candidate >= starts[index] { return Instant(seconds: candidate) }
                // In a forward gap: this span starts after the wall time; the span before ends
                // before it. Read with the offset before the gap, as Foundation does.
                return Instant(seconds: localSeconds - Int64(offsets[index - 1]))
            }
            index += 1
        }
        return nil
    }
}
