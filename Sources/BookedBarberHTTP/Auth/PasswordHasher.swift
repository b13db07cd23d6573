import BookingEngine
import Crypto
import Foundation
import HummingbirdBcrypt

/// bcrypt hashing (hummingbird-auth's `Bcrypt`), run on `Offload.compute` so the slow,
/// CPU-bound work never holds a thread of the shared pool that serves requests.
///
/// bcrypt reads only the first 72 bytes of its input, and passwords may have 128 characters (up
/// to 512 bytes of UTF-8), so the password is first reduced to the base64 of its SHA-256 (44
/// bytes): every byte of it counts.
public struct PasswordHasher: Sendable {
    /// bcrypt's cost factor: 2^cost rounds. 10 takes tens of milliseconds on one core.
    public let cost: UInt8
    /// A real hash of a random string, verified against when an email is unknown, so a wrong
    /// email and a wrong password take the same time.
    private let decoy: String

    public init(cost: UInt8) {
        precondition((4...31).contains(cost), "bcrypt cost must be 4...31")
        self.cost = cost
        self.decoy = Bcrypt.hash("decoy-\(UInt64.random(in: .min ... .max))", cost: cost)
    }

    public func hash(_ password: String) async -> String {
        let cost = cost
        return await offload(.compute) { Bcrypt.hash(Self.prehashed(password), cost: cost) }
    }

    /// True when `password` matches `hash`; with `hash` nil, spends the same time and is false.
    public func verify(_ password: String, hash: String?) async -> Bool {
        let decoy = decoy
        return await offload(.compute) { Bcrypt.verify(Self.prehashed(password), hash: hash ?? decoy) && hash != nil }
    }

    static func prehashed(_ password: String) -> String {
        Data(SHA256.hash(data: Data(password.utf8))).base64EncodedString()
    }

}
