/// A working period of one day, `[start, end)` in shop-local wall-clock time.
public struct WorkPeriod: Hashable, Sendable, Codable {
    public var start: TimeOfDay
    public var end: TimeOfDay

    public init(start: TimeOfDay, end: TimeOfDay) {
        self.start = start
        self.end = end
    }
}

/// A barber's working week. A day with no periods is a day off.
///
/// Invariant (established by `validated`, the only way to build one): every period has
/// `start < end`, and each day's periods are sorted by start and do not overlap.
public struct WeeklySchedule: Hashable, Sendable, Codable {
    /// Seven entries, Monday first.
    public private(set) var days: [[WorkPeriod]]

    public static let empty = WeeklySchedule(checked: Array(repeating: [], count: 7))

    private init(checked days: [[WorkPeriod]]) { self.days = days }

    /// Sorts each day's periods and checks the invariant.
    public static func validated(_ byDay: [Weekday: [WorkPeriod]]) -> Result<WeeklySchedule, BookingError> {
        var days: [[WorkPeriod]] = Array(repeating: [], count: 7)
        for (index, day) in Weekday.allCases.enumerated() {
            let ordered = (byDay[day] ?? []).sorted { $0.start < $1.start }
            for period in ordered where period.start >= period.end {
                return .failure(.validationFailed("\(day.rawValue): period \(period.start)-\(period.end) does not end after it starts"))
            }
            for (a, b) in zip(ordered, ordered.dropFirst()) where b.start < a.end {
                return .failure(.validationFailed("\(day.rawValue): periods \(a.start)-\(a.end) and \(b.start)-\(b.end) overlap"))
            }
            days[index] = ordered
        }
        return .success(WeeklySchedule(checked: days))
    }

    public func periods(on day: Weekday) -> [WorkPeriod] {
        days[Weekday.allCases.firstIndex(of: day)!]
    }

    public var byDay: [Weekday: [WorkPeriod]] {
        var result: [Weekday: [WorkPeriod]] = [:]
        for (index, day) in Weekday.allCases.enumerated() where !days[index].isEmpty { result[day] = days[index] }
        return result
    }

    public init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        var byDay: [Weekday: [WorkPeriod]] = [:]
        for day in Weekday.allCases { byDay[day] = try container.decode([WorkPeriod].self) }
        switch WeeklySchedule.validated(byDay) {
        case .success(let schedule): self = schedule
        case .failure(let error): throw error
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        for day in days { try container.encode(day) }
    }
}
