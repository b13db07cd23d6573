/// Every way a domain operation can be refused. Each case maps to one error code of the contract.
public enum BookingError: Error, Equatable, Sendable {
    /// 422 `validation_failed`: well-formed but invalid values.
    case validationFailed(String)
    /// 404 `not_found`.
    case notFound(String)
    /// 403 `forbidden`.
    case forbidden(String)
    /// 409 `slot_taken`: overlaps a live appointment of that barber, buffers included.
    case slotTaken
    /// 409 `email_taken`.
    case emailTaken
    /// 409 `cancellation_closed`: a client acting later than the cancellation cut-off.
    case cancellationClosed
    /// 409 `invalid_transition`.
    case invalidTransition(from: AppointmentStatus, action: String)
    /// 409 `invalid_transition` for something that is not an appointment (a waitlist entry
    /// without a live offer, a walk-in already served), with the reason.
    case invalidState(String)
    /// 422 `outside_hours`: not inside working hours, or hits time off.
    case outsideHours(String)
    /// 422 `too_soon`: in the past or closer than the minimum notice.
    case tooSoon
    /// 422 `too_far`: later than the booking horizon.
    case tooFar

    public var code: String {
        switch self {
        case .validationFailed: "validation_failed"
        case .notFound: "not_found"
        case .forbidden: "forbidden"
        case .slotTaken: "slot_taken"
        case .emailTaken: "email_taken"
        case .cancellationClosed: "cancellation_closed"
        case .invalidTransition, .invalidState: "invalid_transition"
        case .outsideHours: "outside_hours"
        case .tooSoon: "too_soon"
        case .tooFar: "too_far"
        }
    }

    public var message: String {
        switch self {
        case .validationFailed(let why), .notFound(let why), .forbidden(let why), .outsideHours(let why), .invalidState(let why): why
        case .slotTaken: "the interval overlaps another appointment of this barber"
        case .emailTaken: "that email is already registered"
        case .cancellationClosed: "it is too late to change this appointment; please contact the shop"
        case .invalidTransition(let from, let action): "cannot \(action) an appointment that is \(from.rawValue)"
        case .tooSoon: "the start is in the past or sooner than the shop's minimum notice"
        case .tooFar: "the start is further ahead than the shop takes bookings"
        }
    }
}
