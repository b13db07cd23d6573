import Foundation

/// When reminders are due: at each offset before an appointment's start (`--reminders 24h,2h`),
/// as exact durations, so on a daylight-saving change day "24h before" is 24 elapsed hours, not
/// the same wall-clock time the day before.
///
/// A reminder is owed for an appointment that is still confirmed and has not started, once its
/// moment (start − offset) has come, if that moment lies after the appointment got its current
/// time (booked or moved): a booking made 1 hour ahead gets its confirmation and no "2 hours
/// before" reminder, and a moved appointment gets the reminders of its new time only. Of several
/// reminders whose moments have all passed (the server was down across them) only the latest
/// (the smallest offset) is owed; a reminder handed off for a start covers every larger offset
/// for that start.
public struct ReminderSchedule: Hashable, Sendable {
    /// Distinct positive offsets in seconds, largest first.
    public let offsets: [Int64]

    public init(offsets: [Int64]) {
        precondition(offsets.allSatisfy { $0 > 0 }, "reminder offsets must be positive")
        self.offsets = Array(Set(offsets)).sorted(by: >)
    }

    /// No reminders.
    public static let none = ReminderSchedule(offsets: [])

    /// Parses `24h,2h`: comma-separated whole numbers with a unit `d`, `h`, `m` or `s`; `none`
    /// or an empty text for no reminders. Throws the message a start-up error shows.
    public init(parsing text: String) throws(ReminderScheduleError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty || trimmed.lowercased() == "none" {
            self = .none
            return
        }
        var offsets: [Int64] = []
        for item in trimmed.split(separator: ",", omittingEmptySubsequences: false) {
            let part = item.trimmingCharacters(in: .whitespaces)
            guard let unit = part.last, let scale = Self.units[unit], let number = Int64(part.dropLast()), number > 0,
                part.dropLast().allSatisfy(\.isASCII), number <= Self.longest / scale
            else {
                throw ReminderScheduleError(
                    "reminder offset \"\(part)\" is not a positive whole number of d, h, m or s (e.g. 24h,2h; none for no reminders), at most 365d")
            }
            offsets.append(number * scale)
        }
        self.init(offsets: offsets)
    }

    static let units: [Character: Int64] = ["d": 86_400, "h": 3_600, "m": 60, "s": 1]
    static let longest: Int64 = 365 * 86_400

    /// The largest offset: no reminder is owed for an appointment further ahead than this.
    public var horizon: Int64 { offsets.first ?? 0 }

    /// The offset of the reminder owed at `now` for an appointment starting at `start` that got
    /// this time at `setAt`, given the last reminder handed off for it; nil when none is owed.
    /// The caller checks that the appointment is still confirmed.
    public func owed(start: Instant, setAt: Instant, now: Instant, sent: ReminderMark?) -> Int64? {
        guard now < start else { return nil }
        let due = offsets.last { offset in
            let moment = start.adding(seconds: -offset)
            return moment <= now && moment > setAt
        }
        guard let due else { return nil }
        if let sent, sent.start == start, sent.offset <= due { return nil }
        return due
    }
}

/// Why `--reminders` was refused.
public struct ReminderScheduleError: Error, Sendable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
