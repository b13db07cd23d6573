import BookingCore
import Foundation
import JWTKit

/// Issues and verifies the bearer tokens: HS256 JWTs (jwt-kit) that carry the user id, role and,
/// for barbers, their barber id, so checking a token needs no state lookup.
///
/// Only HS256 with the server's secret verifies: a token with `alg: none`, another algorithm, a
/// changed payload or signature, or a past `exp` is refused.
public struct TokenIssuer: Sendable {
    struct Claims: JWTPayload {
        var sub: SubjectClaim
        var role: String
        var bid: Int?
        var exp: ExpirationClaim
        var iat: IssuedAtClaim

        func verify(using algorithm: some JWTAlgorithm) throws {
            try exp.verifyNotExpired()
        }
    }

    private let keys: JWTKeyCollection
    public let lifetime: Duration

    public init(secret: [UInt8], lifetime: Duration) async {
        self.keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        self.lifetime = lifetime
    }

    public func issue(for user: User, barberID: BarberID?) async throws -> String {
        let now = Date()
        let claims = Claims(
            sub: .init(value: String(user.id)), role: user.role.rawValue, bid: barberID,
            exp: .init(value: now.addingTimeInterval(Double(lifetime.components.seconds))), iat: .init(value: now))
        return try await keys.sign(claims)
    }

    /// The requester a token names, or a reason it is refused.
    public func verify(_ token: String) async -> Result<Requester, TokenRefusal> {
        do {
            let claims = try await keys.verify(token, as: Claims.self)
            guard let id = Int(claims.sub.value), let role = Role(rawValue: claims.role) else {
                return .failure(.malformed)
            }
            return .success(Requester(userID: id, role: role, barberID: claims.bid))
        } catch let error as JWTError where error.errorType == .claimVerificationFailure {
            return .failure(.expired)
        } catch {
            return .failure(.invalid)
        }
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
