import Foundation

public enum Role: String, Sendable, Codable, Hashable {
    case client, barber, admin
}

/// A person who can log in. `email` is stored trimmed and lowercased; it is the login key.
public struct User: Hashable, Sendable, Codable {
    public var id: UserID
    public var email: String
    public var name: String
    public var role: Role
    public var phone: String?
    /// A bcrypt hash; the plain password is never stored.
    public var passwordHash: String

    public init(id: UserID, email: String, name: String, role: Role, phone: String?, passwordHash: String) {
        self.id = id
        self.email = email
        self.name = name
        self.role = role
        self.phone = phone
        self.passwordHash = passwordHash
    }

    /// The canonical form of an email address used as login key.
    public static func normalizedEmail(_ email: String) -> String {
        email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }
}
