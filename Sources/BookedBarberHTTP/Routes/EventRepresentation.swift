import BookingCore
import BookingEngine
import Foundation
import Hummingbird

/// The contract's `Event`: `{"id","type","created_at","data"}`, the body of a webhook delivery
/// and the `data:` of a stream message.
public struct EventJSON: Encodable {
    var id: String
    var type: String
    var created_at: String
    var data: Payload

    enum Payload: Encodable {
        case appointment(AppointmentJSON)

        enum Keys: String, CodingKey { case appointment }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            switch self {
            case .appointment(let appointment): try container.encode(appointment, forKey: .appointment)
            }
        }
    }

    public init(_ event: Event, _ time: ShopTime) {
        id = event.id
        type = event.type.rawValue
        created_at = time.format(event.createdAt)
        switch event.payload {
        case .appointment(let appointment): data = .appointment(AppointmentJSON(appointment, time))
        }
    }

    /// The event's JSON bytes, keys in a fixed order.
    public static func encode(_ event: Event, _ time: ShopTime) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return try encoder.encode(EventJSON(event, time))
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

    enum Keys: String, CodingKey { case event_id, type, attempt, status_code, error, duration_ms, at, next_attempt_at }

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
    }
}
