import Foundation

/// A point on the global timeline, in whole seconds since 1970-01-01T00:00:00Z.
///
/// The booking core works in whole seconds: every rule (slot grid, notice, buffers) is a whole
/// number of minutes, so sub-second precision in a request is truncated when parsed.
public struct Instant: Hashable, Comparable, Sendable, Codable {
    public var seconds: Int64

    public init(seconds: Int64) { self.seconds = seconds }
    public init(_ date: Date) { self.seconds = Int64(date.timeIntervalSince1970.rounded(.down)) }

    public var date: Date { Date(timeIntervalSince1970: TimeInterval(seconds)) }

    public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.seconds < rhs.seconds }

    public func adding(minutes: Int) -> Instant { Instant(seconds: seconds + Int64(minutes) * 60) }
    public func adding(seconds delta: Int64) -> Instant { Instant(seconds: seconds + delta) }

    public init(from decoder: any Decoder) throws {
        self.seconds = try decoder.singleValueContainer().decode(Int64.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(seconds)
    }
}
