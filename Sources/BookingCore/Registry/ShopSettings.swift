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
        return nil
    }
}
