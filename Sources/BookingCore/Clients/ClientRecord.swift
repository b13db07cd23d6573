/// A client as staff see them (`GET /api/v2/clients/{id}`): the account, the private notes,
/// when they registered (nil for clients created before registrations were recorded) and their
/// figures over every barber.
public struct ClientRecord: Sendable, Equatable {
    public var user: User
    public var notes: String
    public var registeredAt: Instant?
    public var stats: ClientStats

    public init(user: User, notes: String, registeredAt: Instant?, stats: ClientStats) {
        self.user = user
        self.notes = notes
        self.registeredAt = registeredAt
        self.stats = stats
    }

    /// Whether `query` is a case-insensitive substring of the name, the email or the phone.
    public static func matches(_ user: User, query: String) -> Bool {
        let needle = query.lowercased()
        return user.name.lowercased().contains(needle) || user.email.lowercased().contains(needle)
            || (user.phone?.lowercased().contains(needle) ?? false)
    }
}
