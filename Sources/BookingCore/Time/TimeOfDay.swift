/// A wall-clock time of the shop's day, `HH:MM`, as minutes since local midnight (0...1440).
///
/// `24:00` is accepted as the end of a working period that lasts until midnight.
public struct TimeOfDay: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let minutes: Int

    public init(minutes: Int) {
        precondition((0...1440).contains(minutes), "a time of day is 00:00 to 24:00")
        self.minutes = minutes
    }

    public init(from decoder: any Decoder) throws {
        let minutes = try decoder.singleValueContainer().decode(Int.self)
        guard (0...1440).contains(minutes) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "time of day out of range"))
        }
        self.minutes = minutes
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(minutes)
    }

    public init?(parsing text: some StringProtocol) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2,
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            let h = Int(parts[0]), let m = Int(parts[1]), m < 60, h < 24 || (h == 24 && m == 0)
        else { return nil }
        self.minutes = h * 60 + m
    }

    public var description: String { RFC3339.pad(minutes / 60, 2) + ":" + RFC3339.pad(minutes % 60, 2) }

    public static func < (lhs: TimeOfDay, rhs: TimeOfDay) -> Bool { lhs.minutes < rhs.minutes }
}
