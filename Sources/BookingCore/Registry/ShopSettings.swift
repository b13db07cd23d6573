import Foundation

/// Shop-wide settings. Defaults are the contract's.
public struct ShopSettings: Hashable, Sendable, Codable {
    public var name: String = "BookedBarber"
    /// An IANA identifier, validated by `ShopTime(identifier:)` before it is stored.
    public var timeZone: String = "UTC"
    public var slotIntervalMinutes: Int = 15
    public var minNoticeMinutes: Int = 60
    public var maxAdvanceDays: Int = 90
    public var cancellationCutoffMinutes: Int = 120
    /// How long a waitlist offer holds its start before it passes on.
    public var waitlistHoldMinutes: Int = Self.defaultWaitlistHoldMinutes

    public static let defaultWaitlistHoldMinutes = 15

    public init() {}

    /// The settings' own rules; an error names the first field that breaks one.
    public func validate() -> BookingError? {
        if name.trimmingCharacters(in: .whitespaces).isEmpty || name.count > 200 {
            return .validationFailed("name must be 1 to 200 characters")
        }
        if ShopTime(identifier: timeZone) == nil { return .validationFailed("unknown time zone \(timeZone)") }
        if !(1...1440).contains(slotIntervalMinutes) {
            return .validationFailed("slot_interval_minutes must be between 1 and 1440")
        }
        if !(0...525_600).contains(minNoticeMinutes) {
            return .validationFailed("min_notice_minutes must be between 0 and 525600")
        }
        if !(1...3660).contains(maxAdvanceDays) { return .validationFailed("max_advance_days must be between 1 and 3660") }
        if !(0...525_600).contains(cancellationCutoffMinutes) {
            return .validationFailed("cancellation_cutoff_minutes must be between 0 and 525600")
        }
        if !(1...1440).contains(waitlistHoldMinutes) {
            return .validationFailed("waitlist_hold_minutes must be between 1 and 1440")
        }
        return nil
    }
}

/// The fields by name; `waitlistHoldMinutes` is left out at its default and read as the default
/// when absent, so settings written before it existed (JSON records, version 1 snapshots, the
/// canonical state digest) read and encode as they did.
extension ShopSettings {
    private enum CodingKeys: String, CodingKey {
        case name, timeZone, slotIntervalMinutes, minNoticeMinutes, maxAdvanceDays, cancellationCutoffMinutes, waitlistHoldMinutes
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        timeZone = try container.decode(String.self, forKey: .timeZone)
        slotIntervalMinutes = try container.decode(Int.self, forKey: .slotIntervalMinutes)
        minNoticeMinutes = try container.decode(Int.self, forKey: .minNoticeMinutes)
        maxAdvanceDays = try container.decode(Int.self, forKey: .maxAdvanceDays)
        cancellationCutoffMinutes = try container.decode(Int.self, forKey: .cancellationCutoffMinutes)
        waitlistHoldMinutes = try container.decodeIfPresent(Int.self, forKey: .waitlistHoldMinutes) ?? Self.defaultWaitlistHoldMinutes
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(timeZone, forKey: .timeZone)
        try container.encode(slotIntervalMinutes, forKey: .slotIntervalMinutes)
        try container.encode(minNoticeMinutes, forKey: .minNoticeMinutes)
        try container.encode(maxAdvanceDays, forKey: .maxAdvanceDays)
        try container.encode(cancellationCutoffMinutes, forKey: .cancellationCutoffMinutes)
        if waitlistHoldMinutes != Self.defaultWaitlistHoldMinutes {
            try container.encode(waitlistHoldMinutes, forKey: .waitlistHoldMinutes)
        }
    }
}
