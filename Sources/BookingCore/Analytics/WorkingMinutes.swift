/// Working minutes of a barber over a range: the minutes of the weekly schedule on each date,
/// each period resolved through the shop's time zone (so a period across a daylight-saving change
/// has its real length), minus the time off that overlaps those periods (overlapping time off
/// counted once).
///
/// Resolving wall-clock times through the calendar is the slow part, and on most days it is not
/// needed: on a day whose UTC offset does not change, a period lasts exactly its wall-clock
/// length. So only the days around an offset change of the zone in the range (found with
/// `ShopTime.nextOffsetChange`, a few per year) and the days some time off touches are
/// resolved period by period; every other day counts its weekday's scheduled minutes.
public enum WorkingMinutes {
    public static func of(
        schedule: WeeklySchedule, timeOff: [TimeOff], in range: AnalyticsRange, shopTime: ShopTime
    ) -> Int {
        let (rangeStart, rangeEnd) = range.interval(in: shopTime)
        // Time off is sorted by start; only entries that reach into the range matter.
        let relevant = timeOff.filter { $0.start < rangeEnd && $0.end > rangeStart }
        var resolved = offsetChangeDays(in: range, shopTime: shopTime)
        for entry in relevant {
            let first = max(shopTime.localDate(of: entry.start).daysSinceEpoch, range.from.daysSinceEpoch)
            let last = min(shopTime.localDate(of: entry.end.adding(seconds: -1)).daysSinceEpoch, range.to.daysSinceEpoch)
            if first <= last { resolved.formUnion(first...last) }
        }
        let nominal = Weekday.allCases.map { day in schedule.periods(on: day).reduce(0) { $0 + $1.end.minutes - $1.start.minutes } }
        var seconds: Int64 = 0
        for dayNumber in range.dayNumbers {
            guard resolved.contains(dayNumber) else {
                seconds += Int64(nominal[(dayNumber % 7 + 7 + 3) % 7]) * 60  // 0 = Monday; 1970-01-01 was a Thursday
                continue
            }
            let date = CivilDate(daysSinceEpoch: dayNumber)
            for period in WorkingDay(date: date, schedule: schedule, shopTime: shopTime).periods {
                let (start, end) = (period.start.seconds, period.end.seconds)
                seconds += end - start - covered(start, end, by: relevant)
            }
        }
        return Int(seconds / 60)
    }

    /// The day numbers of the range on which the zone's UTC offset changes, or which end or begin
    /// at a change (so a period up to `24:00` that meets one is resolved too).
    static func offsetChangeDays(in range: AnalyticsRange, shopTime: ShopTime) -> Set<Int> {
        let (rangeStart, rangeEnd) = range.interval(in: shopTime)
        var days = Set<Int>()
        var cursor = rangeStart.adding(seconds: -1)
        while let change = shopTime.nextOffsetChange(after: cursor), change < rangeEnd {
            days.insert(shopTime.localDate(of: change.adding(seconds: -1)).daysSinceEpoch)
            days.insert(shopTime.localDate(of: change).daysSinceEpoch)
            cursor = change
        }
        return days
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
