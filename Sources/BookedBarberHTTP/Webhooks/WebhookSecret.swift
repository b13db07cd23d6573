import Foundation

/// Webhook signing secrets and Standard Webhooks signatures (standardwebhooks.com): the secret
/// is `whsec_` + base64 of random bytes; a signature is `v1,` + base64 HMAC-SHA256 of
/// `"{id}.{timestamp}.{body}"` keyed with the secret's bytes.
public enum WebhookSecret {
    /// Bytes of a new secret: 32 from the system's generator (the contract asks for 24 or more).
    public static func generate() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    public static func text(of secret: [UInt8]) -> String { "whsec_" + Data(secret).base64EncodedString() }
}
