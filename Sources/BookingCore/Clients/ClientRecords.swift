/// What the shop keeps about its clients beyond their account: staff's private notes and when
/// each client registered. Lives with the registry in the shop directory (and so shares its
/// watermark, `StateImage.directoryLSN`).
public struct ClientRecords: Sendable, Equatable, Codable {
    public static let notesLimit = 2000

    /// Notes by client; a client without notes has no entry.
    public private(set) var notes: [UserID: String] = [:]
    /// Registration instants of the clients created since this build records them.
    public private(set) var registeredAt: [UserID: Instant] = [:]

    public init() {}

    /// Records read back from a snapshot.
    public init(notes: [UserID: String], registeredAt: [UserID: Instant]) {
        self.notes = notes.filter { !$0.value.isEmpty }
        self.registeredAt = registeredAt
    }

    public var isEmpty: Bool { notes.isEmpty && registeredAt.isEmpty }

    /// Sets `client`'s notes: 404 unless `client` is a user with role `client`, 422 when longer
    /// than `notesLimit` characters.
    public static func decideSetNotes(_ notes: String, for client: UserID, in registry: ShopRegistry)
        -> Result<ClientRecordChange, BookingError>
    {
        guard registry.users[client]?.role == .client else { return .failure(.notFound("client \(client) not found")) }
        if let violation = TextLimits.violation(notes, field: "notes", max: notesLimit) { return .failure(violation) }
        return .success(.notesSet(client: client, notes: notes))
    }

    public mutating func apply(_ change: ClientRecordChange) {
        switch change {
        case .notesSet(let client, let text):
            notes[client] = text.isEmpty ? nil : text
        case .registered(let client, let at):
            registeredAt[client] = at
        }
    }

    private enum CodingKeys: String, CodingKey { case notes, registeredAt }

    /// Sorted by client id, so equal records encode to equal bytes (the state digest).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(notes.keys.sorted().map { Note(client: $0, text: notes[$0]!) }, forKey: .notes)
        try container.encode(registeredAt.keys.sorted().map { Registration(client: $0, at: registeredAt[$0]!) }, forKey: .registeredAt)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let notes = try container.decode([Note].self, forKey: .notes)
        let registrations = try container.decode([Registration].self, forKey: .registeredAt)
        self.init(
            notes: Dictionary(notes.map { ($0.client, $0.text) }, uniquingKeysWith: { $1 }),
            registeredAt: Dictionary(registrations.map { ($0.client, $0.at) }, uniquingKeysWith: { $1 }))
    }

    private struct Note: Codable {
        var client: UserID
        var text: String
    }

    private struct Registration: Codable {
        var client: UserID
        var at: Instant
    }
}
