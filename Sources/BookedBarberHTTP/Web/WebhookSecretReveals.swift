import BookingCore
import Foundation
import Synchronization

/// One-time permissions to show a new webhook endpoint's secret. Creating an endpoint on the
/// admin page answers with a redirect (so reloading the result never creates a second one) to
/// the endpoint's page with a random token; that page shows the secret only when the token is
/// unused, was granted for that endpoint and to the same visitor (their CSRF token, which is bound
/// to their session), and uses it up: a reload shows the secret no more. Only (token → endpoint,
/// visitor) is kept, never the secret itself (the engine holds it); a grant expires after
/// `lifetimeSeconds`, and at most `capacity` are kept (the oldest are dropped first).
///
/// Why this is safe: the table is behind one mutex, held only for the few dictionary operations
/// of a grant or a take, never across a suspension.
final class WebhookSecretReveals: Sendable {
    static let lifetimeSeconds: Int64 = 600
    static let capacity = 64

    private struct Grant {
        var webhook: WebhookID
        var visitor: String
        var expires: Instant
    }

    private let grants = Mutex<[String: Grant]>([:])

    /// A new token allowing `visitor` to see `webhook`'s secret once, until `now` + the lifetime.
    func grant(webhook: WebhookID, visitor: String, now: Instant) -> String {
        let token = Data((0..<18).map { _ in UInt8.random(in: 0...255) }).base64URL
        grants.withLock { grants in
            grants = grants.filter { $0.value.expires > now }
            while grants.count >= Self.capacity, let oldest = grants.min(by: { $0.value.expires < $1.value.expires }) {
                grants[oldest.key] = nil
            }
            grants[token] = Grant(webhook: webhook, visitor: visitor, expires: now.adding(seconds: Self.lifetimeSeconds))
        }
        return token
    }

    /// Whether `token` lets `visitor` see `webhook`'s secret now; a token that does is used up.
    /// A token presented by someone else, or for another endpoint, stays for its owner.
    func take(_ token: String, webhook: WebhookID, visitor: String, now: Instant) -> Bool {
        grants.withLock { grants in
            guard let grant = grants[token], grant.webhook == webhook, grant.visitor == visitor else { return false }
            grants[token] = nil
            return grant.expires > now
        }
    }
}
