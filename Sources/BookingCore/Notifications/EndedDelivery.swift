/// A delivery of one event to one endpoint that ended (delivered, or given up after a day of
/// retries), with its final attempt as `GET /api/v2/webhooks/{id}/deliveries` shows it: what
/// `NotificationChange.deliveryEnded` records, so the deliveries list survives a restart.
public struct EndedDelivery: Hashable, Sendable, Codable {
    /// The most bytes of UTF-8 an error keeps; a longer one is cut at the last whole character
    /// that fits, so a receiver's failure cannot grow a record much.
    public static let maximumErrorBytes = 200

    public var event: EventSequence
    /// The event's type, kept here because the event itself leaves the ring long before its
    /// delivery leaves the list.
    public var type: EventType
    public var outcome: DeliveryOutcome
    /// The final attempt's number (1 for the first attempt this process made).
    public var attempt: Int
    /// The receiver's status, nil when it did not answer (refused, timed out).
    public var statusCode: Int?
    /// At most `maximumErrorBytes` bytes of UTF-8.
    public private(set) var error: String?
    public var durationMilliseconds: Int
    public var at: Instant

    /// `error` is cut to `maximumErrorBytes` (`truncated`).
    public init(
        event: EventSequence, type: EventType, outcome: DeliveryOutcome, attempt: Int, statusCode: Int?, error: String?,
        durationMilliseconds: Int, at: Instant
    ) {
        self.event = event
        self.type = type
        self.outcome = outcome
        self.attempt = attempt
        self.statusCode = statusCode
        self.error = error.map(Self.truncated)
        self.durationMilliseconds = durationMilliseconds
        self.at = at
    }

    /// The longest prefix of `text` made of whole characters (extended grapheme clusters) that
    /// takes at most `maximumErrorBytes` bytes of UTF-8.
    public static func truncated(_ text: String) -> String {
        guard text.utf8.count > maximumErrorBytes else { return text }
        var end = text.startIndex
        var bytes = 0
        while end < text.endIndex {
            let next = text.index(after: end)
            let size = text.utf8.distance(from: end, to: next)
            if bytes + size > maximumErrorBytes { break }
            bytes += size
            end = next
        }
        return String(text[..<end])
    }
}
