import Foundation

/// The contract's rules for account fields, checked before a password is hashed: an email with
/// one `@` and a dot in its domain, a password of 8 to 128 characters, a name of 1 to 200.
public enum AccountRules {
    /// The first rule `email`, `password` and `name` break, as 422 `validation_failed`; nil if none.
    public static func violation(email: String, password: String, name: String) -> BookingError? {
        let normalized = User.normalizedEmail(email)
        let parts = normalized.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), normalized.count <= 254,
            !normalized.contains(where: \.isWhitespace)
        else { return .validationFailed("email is not a valid address") }
        guard (8...128).contains(password.count) else { return .validationFailed("password must be 8 to 128 characters") }
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty, name.count <= 200 else {
            return .validationFailed("name must be 1 to 200 characters")
        }
        return nil
    }
}
