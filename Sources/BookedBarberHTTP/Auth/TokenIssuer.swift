import BookingCore
import Foundation
import JWTKit

/// Issues and verifies the bearer tokens: HS256 JWTs (jwt-kit) that carry the user id, role and,
/// for barbers, their barber id, so checking a token needs no state lookup.
///
/// Only HS256 with the server's secret verifies: a token with `alg: none`, another algorithm, a
/// changed payload or signature, or an `exp` not after `now` is refused. A token is verified by
/// jwt-kit once; later requests with it are answered from `VerifiedTokenCache` until it expires.
/// Times come from the injected clock, the engine's.
public struct TokenIssuer: Sendable {
    struct Claims: JWTPayload {
        var sub: SubjectClaim
        var role: String
        var bid: Int?
        var exp: ExpirationClaim
        var iat: IssuedAtClaim

        /// Expiry is checked against the injected clock by `verify(_:)`, not here.
        func verify(using algorithm: some JWTAlgorithm) throws {}
    }

    private let keys: JWTKeyCollection
    private let verified = VerifiedTokenCache()
    private let clock: @Sendable () -> Instant
    public let lifetime: Duration

    public init(secret: [UInt8], lifetime: Duration, clock: @escaping @Sendable () -> Instant = { Instant(Date()) }) async {
        self.keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        self.lifetime = lifetime
        self.clock = clock
    }

    public func issue(for user: User, barberID: BarberID?) async throws -> String {
        let now = clock().date
        let claims = Claims(
            sub: .init(value: String(user.id)), role: user.role.rawValue, bid: barberID,
            exp: .init(value: now.addingTimeInterval(Double(lifetime.components.seconds))), iat: .init(value: now))
        return try await keys.sign(claims)
    }

    /// The requester a token names, or a reason it is refused.
    public func verify(_ token: String) async -> Result<Requester, TokenRefusal> {
        let now = clock()
        if let requester = verified.requester(for: token, now: now) { return .success(requester) }
        let claims: Claims
        do {
            claims = try await keys.verify(token, as: Claims.self)
        } catch {
            return .failure(.invalid)
        }
        guard let id = Int(claims.sub.value), let role = Role(rawValue: claims.role) else { return .failure(.malformed) }
        let expires = Instant(claims.exp.value)
        guard now < expires else { return .failure(.expired) }
        let requester = Requester(userID: id, role: role, barberID: claims.bid)
        verified.insert(token, .init(requester: requester, expires: expires), now: now)
        return .success(requester)
    }

    public enum TokenRefusal: Error, Equatable {
        case expired, invalid, malformed

        var message: String {
            switch self {
            case .expired: "the token has expired"
            case .invalid: "the token's signature or algorithm is not accepted"
            case .malformed: "the token is malformed"
            }
        }
    }
}
