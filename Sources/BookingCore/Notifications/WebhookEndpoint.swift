/// The id of a webhook endpoint; positive, never reused.
public typealias WebhookID = Int

/// Which event types an endpoint receives: all (`["*"]`) or a list of known types.
public enum EventSelection: Hashable, Sendable, Codable {
    case all
    case only([EventType])

    public func includes(_ type: EventType) -> Bool {
        switch self {
        case .all: true
        case .only(let types): types.contains(type)
        }
    }

    /// The contract's `events` array.
    public var names: [String] {
        switch self {
        case .all: ["*"]
        case .only(let types): types.map(\.rawValue)
        }
    }

    /// The selection an `events` array names: `["*"]`, or known types without repeats;
    /// anything else is 422 `validation_failed`.
    public static func parse(_ names: [String]) -> Result<EventSelection, BookingError> {
        if names == ["*"] { return .success(.all) }
        guard !names.isEmpty else { return .failure(.validationFailed("events: name at least one event type, or \"*\"")) }
        var types: [EventType] = []
        for name in names {
            let type = EventType(name)
            guard EventType.known.contains(type) else { return .failure(.validationFailed("events: unknown event type \"\(name)\"")) }
            if !types.contains(type) { types.append(type) }
        }
        return .success(.only(types))
    }
}

/// A receiver of signed event deliveries, managed by the admin.
public struct WebhookEndpoint: Hashable, Sendable, Codable {
    public var id: WebhookID
    public var url: String
    public var events: EventSelection
    public var description: String
    public var isActive: Bool
    /// The signing key's bytes (the `whsec_` secret decoded); kept in the log so deliveries
    /// after a restart are signed with the same key.
    public var secret: [UInt8]
    public var createdAt: Instant

    public init(
        id: WebhookID, url: String, events: EventSelection, description: String, isActive: Bool, secret: [UInt8],
        createdAt: Instant
    ) {
        self.id = id
        self.url = url
        self.events = events
        self.description = description
        self.isActive = isActive
        self.secret = secret
        self.createdAt = createdAt
    }
}
