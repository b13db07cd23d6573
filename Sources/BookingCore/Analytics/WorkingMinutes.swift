/// Working minutes of a barber over a range: the minutes of the weekly schedule on each date,
/// each period resolved through the shop's time zone (so a period across a daylight-saving change
/// has its real length), minus the time off that overlaps those periods (overlapping time off
/// counted once).
public enum WorkingMinutes {
    public static func of(
        schedule: WeeklySchedule, timeOff: [TimeOff], in range: AnalyticsRange, shopTime: ShopTime
    ) -> Int {
        let (rangeStart, rangeEnd) = range.interval(in: shopTime)
        // Time off is sorted by start; only entries that reach into the range matter.
        let relevant = timeOff.filter { $0.start < rangeEnd && $0.end > rangeStart }
        var seconds: Int64 = 0
        for date in range.dates {
            for period in WorkingDay(date: date, schedule: schedule, shopTime: shopTime).periods {
                let (start, end) = (period.start.seconds, period.end.seconds)
                seconds += end - start - covered(start, end, by: relevant)
            }
        }
        return Int(seconds / 60)
    }

    /// Seconds of `[start, end)` covered by the union of `entries`.
    private static func covered(_ start: Int64, _ end: Int64, by entries: [TimeOff]) -> Int64 {
        var total: Int64 = 0
        var reached = start
        for entry in entries where entry.start.seconds < end && entry.end.seconds > start {
            // Sorted by start: the union grows left to right.
            let low = max(reached, entry.start.seconds)
            let high = min(end, entry.end.seconds)
            if high > low { total += high - low }
            reached = max(reached, high)
        }
        return total
    }
}
