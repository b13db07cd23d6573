import BookingCore

/// The binary encoding of the notification values (docs/log-format.md, "Notification changes"):
/// each value's fields in declaration order, an event's payload as a kind byte and its fields.
extension BinaryWriter {
    /// The kind byte of each case of `EventPayload`; a number is never reused for another case.
    enum EventPayloadKind {
        static let appointment: UInt8 = 0
    }

    mutating func write(_ event: Event) {
        write(event.sequence)
        write(event.type.rawValue)
        write(event.createdAt)
        switch event.payload {
        case .appointment(let appointment):
            write(byte: EventPayloadKind.appointment)
            write(appointment)
        }
    }

    mutating func write(_ selection: EventSelection) {
        switch selection {
        case .all: write(byte: 0)
        case .only(let types):
            write(byte: 1)
            write(count: types.count)
            for type in types { write(type.rawValue) }
        }
    }

    mutating func write(_ endpoint: WebhookEndpoint) {
        write(endpoint.id)
        write(endpoint.url)
        write(endpoint.events)
        write(endpoint.description)
        write(endpoint.isActive)
        write(bytes: endpoint.secret)
        write(endpoint.createdAt)
    }

    mutating func write(_ owner: FeedOwner) {
        switch owner {
        case .barber(let id):
            write(byte: 0)
            write(id)
        case .user(let id):
            write(byte: 1)
            write(id)
        }
    }

    mutating func write(_ outcome: DeliveryOutcome) {
        switch outcome {
        case .delivered: write(byte: 0)
        case .givenUp: write(byte: 1)
        }
    }

    mutating func write(_ outcome: MailOutcome) {
        switch outcome {
        case .handedOff: write(byte: 0)
        case .skipped: write(byte: 1)
        }
    }
}

extension BinaryReader {
    mutating func readEvent() throws(BinaryDecodingError) -> Event {
        let start = offset
        let sequence = try readInt64()
        guard sequence > 0 else { throw BinaryDecodingError(offset: start, reason: "event sequence \(sequence) is not positive") }
        let type = EventType(try readString())
        let createdAt = try readInstant()
        let kindOffset = offset
        let payload: EventPayload
        switch try readByte() {
        case BinaryWriter.EventPayloadKind.appointment: payload = .appointment(try readAppointment())
        case let kind: throw BinaryDecodingError(offset: kindOffset, reason: "unknown event payload kind \(kind)")
        }
        return Event(sequence: sequence, type: type, createdAt: createdAt, payload: payload)
    }

    mutating func readEventSelection() throws(BinaryDecodingError) -> EventSelection {
        let start = offset
        switch try readByte() {
        case 0: return .all
        case 1:
            let names = try readArray(minimumSize: 1) { (reader) throws(BinaryDecodingError) in try reader.readString() }
            guard case .success(let selection) = EventSelection.parse(names), case .only = selection else {
                throw BinaryDecodingError(offset: start, reason: "webhook event selection \(names) is not valid")
            }
            return selection
        case let kind: throw BinaryDecodingError(offset: start, reason: "unknown event selection kind \(kind)")
        }
    }

    mutating func readWebhookEndpoint() throws(BinaryDecodingError) -> WebhookEndpoint {
        let start = offset
        let id = try readInt()
        guard id > 0 else { throw BinaryDecodingError(offset: start, reason: "webhook id \(id) is not positive") }
        return WebhookEndpoint(
            id: id, url: try readString(), events: try readEventSelection(), description: try readString(), isActive: try readBool(),
            secret: try readBytes(), createdAt: try readInstant())
    }

    mutating func readFeedOwner() throws(BinaryDecodingError) -> FeedOwner {
        switch try readByte() {
        case 0: return .barber(try readInt())
        case 1: return .user(try readInt())
        case let byte: throw BinaryDecodingError(offset: offset - 1, reason: "unknown feed owner kind \(byte)")
        }
    }

    mutating func readDeliveryOutcome() throws(BinaryDecodingError) -> DeliveryOutcome {
        switch try readByte() {
        case 0: return .delivered
        case 1: return .givenUp
        case let byte: throw BinaryDecodingError(offset: offset - 1, reason: "unknown delivery outcome \(byte)")
        }
    }

    mutating func readMailOutcome() throws(BinaryDecodingError) -> MailOutcome {
        switch try readByte() {
        case 0: return .handedOff
        case 1: return .skipped
        case let byte: throw BinaryDecodingError(offset: offset - 1, reason: "unknown mail outcome \(byte)")
        }
    }
}
