import BookingCore
import BookingEngine
import Foundation
import Hummingbird

/// The contract's `Event`: `{"id","type","created_at","data"}`, the body of a webhook delivery
/// and the `data:` of a stream message. The data of each kind has the one JSON shape its
/// resource has in the API: `Appointment`, `WaitlistEntry`, `QueueEntry` (whole for staff and
/// webhooks, the public view otherwise).
public struct EventJSON: Encodable {
    var id: String
    var type: String
    var created_at: String
    var data: Payload

    enum Payload: Encodable {
        case appointment(AppointmentJSON)
        case entry(WaitlistEntryJSON)
        case entries([QueueEntryJSON])

        enum Keys: String, CodingKey { case appointment, entry, entries }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            switch self {
            case .appointment(let appointment): try container.encode(appointment, forKey: .appointment)
            case .entry(let entry): try container.encode(entry, forKey: .entry)
            case .entries(let entries): try container.encode(entries, forKey: .entries)
            }
        }
    }

    /// `staff`: the walk-in board with full names and phones (webhooks, admins and barbers);
    /// otherwise its public view.
    public init(_ event: Event, _ time: ShopTime, staff: Bool = true) {
        id = event.id
        type = event.type.rawValue
        created_at = time.format(event.createdAt)
        switch event.payload {
        case .appointment(let appointment): data = .appointment(AppointmentJSON(appointment, time))
        case .waitlistEntry(let entry): data = .entry(WaitlistEntryJSON(entry: entry, time: time))
        case .queue(let board): data = .entries(board.entries.map { QueueEntryJSON($0, staff: staff, time: time) })
        }
    }

    /// The event's JSON bytes, keys sorted (so the same event always has the same bytes). An appointment's event (nearly every
    /// event: each booking has one) is written by `JSONWriter`, to the same bytes.
    public static func encode(_ event: Event, _ time: ShopTime, staff: Bool = true) -> Data {
        if case .appointment(let appointment) = event.payload {
            var json = JSONWriter()
            json.beginObject()
            json.field("created_at", event.createdAt, time)
            json.key("data")
            json.beginObject()
            json.key("appointment")
            AppointmentJSON.write(appointment, time, into: &json)
            json.endObject()
            json.field("id", event.id)
            json.field("type", event.type.rawValue)
            json.endObject()
            return json.data
        }
        return encoded(EventJSON(event, time, staff: staff))
    }

    /// Through `JSONEncoder`, as `JSONWriter` writes the same shapes.
    static func encoded(_ event: EventJSON) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return try encoder.encode(event)
        } catch {
            preconditionFailure("event \(event.id) does not encode: \(error)")
        }
    }
}

/// A webhook endpoint as the contract shows it; `secret` only in the answer to its creation.
struct WebhookJSON: ResponseEncodable {
    var id: Int
    var url: String
    var events: [String]
    var description: String
    var is_active: Bool
    var secret: String?
    var created_at: String

    init(_ endpoint: WebhookEndpoint, _ time: ShopTime, withSecret: Bool = false) {
        id = endpoint.id
        url = endpoint.url
        events = endpoint.events.names
        description = endpoint.description
        is_active = endpoint.isActive
        secret = withSecret ? WebhookSecret.text(of: endpoint.secret) : nil
        created_at = time.format(endpoint.createdAt)
    }
}

/// One entry of `GET /api/v2/webhooks/{id}/deliveries`; `status_code` is `null` without an answer.
struct WebhookAttemptJSON: Encodable {
    var attempt: WebhookAttempt
    var time: ShopTime

    enum Keys: String, CodingKey { case event_id, type, attempt, status_code, error, duration_ms, at, next_attempt_at, outcome }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(Event.id(of: attempt.event), forKey: .event_id)
        try container.encode(attempt.type.rawValue, forKey: .type)
        try container.encode(attempt.attempt, forKey: .attempt)
        try container.encode(attempt.statusCode, forKey: .status_code)
        try container.encodeIfPresent(attempt.error, forKey: .error)
        try container.encode(attempt.durationMilliseconds, forKey: .duration_ms)
        try container.encode(time.format(attempt.at), forKey: .at)
        try container.encodeIfPresent(attempt.nextAttemptAt.map(time.format), forKey: .next_attempt_at)
        try container.encodeIfPresent(attempt.outcome.map(Self.name(of:)), forKey: .outcome)
    }

    /// `outcome`: on the attempt that ended its delivery, once that end is in the log.
    static func name(of outcome: DeliveryOutcome) -> String {
        switch outcome {
        case .delivered: "delivered"
        case .givenUp: "given_up"
        }
    }
}
