/// A range of shop-local dates, both included, as the analytics endpoints take it: `from` not
/// after `to`, at most `maximumDays` days.
public struct AnalyticsRange: Sendable, Equatable {
    public static let maximumDays = 366

    public let from: CivilDate
    public let to: CivilDate

    /// The range, or why it is refused (the caller answers 400).
    public static func make(from: CivilDate, to: CivilDate) -> Result<AnalyticsRange, RangeRefusal> {
        if to < from { return .failure(.fromAfterTo) }
        if to.daysSinceEpoch - from.daysSinceEpoch + 1 > maximumDays { return .failure(.tooLong) }
        return .success(AnalyticsRange(from: from, to: to))
    }

    private init(from: CivilDate, to: CivilDate) {
        self.from = from
        self.to = to
    }

    public var dayCount: Int { to.daysSinceEpoch - from.daysSinceEpoch + 1 }
    public var dayNumbers: ClosedRange<Int> { from.daysSinceEpoch...to.daysSinceEpoch }
    public var dates: [CivilDate] { dayNumbers.map(CivilDate.init(daysSinceEpoch:)) }

    /// The instants the range covers in `shopTime`: from `from`'s midnight to the midnight after `to`.
    public func interval(in shopTime: ShopTime) -> (start: Instant, end: Instant) {
        (shopTime.instant(on: from, at: TimeOfDay(minutes: 0)), shopTime.instant(on: to.adding(days: 1), at: TimeOfDay(minutes: 0)))
    }
}

public enum RangeRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    case fromAfterTo, tooLong

    public var description: String {
        switch self {
        case .fromAfterTo: "from must not be after to"
        case .tooLong: "a range holds at most \(AnalyticsRange.maximumDays) days"
        }
    }
}
