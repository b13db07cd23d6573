import BookingCore
import Synchronization

/// One POST of an event to a webhook endpoint, as `GET /api/v2/webhooks/{id}/deliveries` shows it.
public struct WebhookAttempt: Hashable, Sendable {
    public var event: EventSequence
    public var type: EventType
    /// 1 for the first attempt of this event to this endpoint (since the process started).
    public var attempt: Int
    /// The receiver's status, nil when it did not answer (refused, timed out).
    public var statusCode: Int?
    public var error: String?
    public var durationMilliseconds: Int
    public var at: Instant
    /// When the next attempt is due; nil after a success, a give-up or a manual redelivery.
    public var nextAttemptAt: Instant?
    /// How the delivery ended with this attempt (nil when a retry follows, and for a manual
    /// redelivery, which ends nothing). `ShopEngine.deliveries` shows it only once that end is
    /// in the log.
    public var outcome: DeliveryOutcome?

    public init(
        event: EventSequence, type: EventType, attempt: Int, statusCode: Int?, error: String?, durationMilliseconds: Int,
        at: Instant, nextAttemptAt: Instant?, outcome: DeliveryOutcome? = nil
    ) {
        self.event = event
        self.type = type
        self.attempt = attempt
        self.statusCode = statusCode
        self.error = error
        self.durationMilliseconds = durationMilliseconds
        self.at = at
        self.nextAttemptAt = nextAttemptAt
        self.outcome = outcome
    }

    /// The final attempt of a delivery the log keeps.
    public init(_ ended: EndedDelivery) {
        self.init(
            event: ended.event, type: ended.type, attempt: ended.attempt, statusCode: ended.statusCode, error: ended.error,
            durationMilliseconds: ended.durationMilliseconds, at: ended.at, nextAttemptAt: nil, outcome: ended.outcome)
    }
}

/// The recent delivery attempts of each endpoint (in memory, the newest `retained` per endpoint:
/// the log keeps only each ended delivery's final attempt, so the failed attempts before it and
/// those waiting for their retry are shown until a restart only), and the redeliveries asked for
/// and not yet started.
///
/// Why this is safe: all of it is behind one mutex, held only to copy in or out.
public final class WebhookAttemptLog: Sendable {
    public static let retained = 200

    private struct Shared {
        var attempts: [WebhookID: [WebhookAttempt]] = [:]
        var redeliveries: [(webhook: WebhookID, event: EventSequence)] = []
    }

    private let shared = Mutex(Shared())
    private let requests: AsyncStream<Void>.Continuation
    /// Yields (coalesced) when a redelivery is asked for.
    public let redeliveryRequests: AsyncStream<Void>

    public init() {
        (redeliveryRequests, requests) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    public func record(_ attempt: WebhookAttempt, for webhook: WebhookID) {
        shared.withLock { shared in
            shared.attempts[webhook, default: []].append(attempt)
            if shared.attempts[webhook]!.count > Self.retained + Self.retained / 2 {
                shared.attempts[webhook]!.removeFirst(shared.attempts[webhook]!.count - Self.retained)
            }
        }
    }

    /// The newest `limit` attempts to `webhook`, newest first.
    public func recent(_ webhook: WebhookID, limit: Int) -> [WebhookAttempt] {
        shared.withLock { Array(($0.attempts[webhook] ?? []).suffix(min(limit, Self.retained)).reversed()) }
    }

    public func forget(_ webhook: WebhookID) { _ = shared.withLock { $0.attempts.removeValue(forKey: webhook) } }

    public func requestRedelivery(of event: EventSequence, to webhook: WebhookID) {
        shared.withLock { $0.redeliveries.append((webhook, event)) }
        requests.yield()
    }

    /// The redeliveries asked for since the last call.
    public func takeRedeliveries() -> [(webhook: WebhookID, event: EventSequence)] {
        shared.withLock { shared in
            defer { shared.redeliveries = [] }
            return shared.redeliveries
        }
    }
}
