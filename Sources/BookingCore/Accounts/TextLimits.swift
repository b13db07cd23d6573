/// The longest free text each field may hold, in characters; longer is 422 `validation_failed`.
public enum TextLimits {
    public static let phone = 40
    public static let appointmentNotes = 1000
    public static let reason = 500
    public static let webhookDescription = 500

    /// The violation of `value` against `max`, if any; nil values are always allowed.
    public static func violation(_ value: String?, field: String, max: Int) -> BookingError? {
        guard let value, value.count > max else { return nil }
        return .validationFailed("\(field) must be at most \(max) characters")
    }
}
