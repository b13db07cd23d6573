/// A change to the shop's records about its clients (`ClientRecords`), logged with tags
/// 0x20-0x2F (docs/log-format.md, "Client records").
public enum ClientRecordChange: Hashable, Sendable, Codable {
    /// The private notes staff keep about a client; an empty text removes them.
    case notesSet(client: UserID, notes: String)
    /// When a client registered, logged in the record that creates the user.
    case registered(client: UserID, at: Instant)
}
