import BookingCore

/// What a live page's script (`static/live.js`) is told, in the page as `PageJSON`: the event
/// stream to open, the event types that change what the page shows, the page to fetch again
/// when one arrives and the ids of its parts to swap in. The server renders every part; the
/// script only moves them into place.
struct LiveUpdates: Encodable {
    /// `/api/v2/events/stream` (the visitor's own events, by the session cookie) or the queue's
    /// public stream.
    var stream: String
    var events: [String]
    /// The page to fetch again (a `GET`: the page itself may have been the answer to a form).
    var source: String
    var regions: [String]
    /// On a barber's page: only that barber's appointments count (an admin hears them all).
    var barber_id: Int?

    static let eventStream = "/api/v2/events/stream"

    /// Every change to an appointment.
    static let appointmentEvents = [
        EventType.appointmentCreated, .appointmentRescheduled, .appointmentCancelled, .appointmentCompleted, .appointmentNoShow,
    ].map(\.rawValue)
}
