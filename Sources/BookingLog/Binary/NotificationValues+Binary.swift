import BookingCore

/// The binary encoding of the notification values (docs/log-format.md, "Notification changes"):
/// each value's fields in declaration order, an event's payload as a kind byte and its fields.
extension BinaryWriter {
    /// The kind byte of each case of `EventPayload`; a number is never reused for another case.
    enum EventPayloadKind {
        static let appointment: UInt8 = 0
        /// Issue 12: `waitlist.offered`, `.expired`, `.booked`.
        static let waitlistEntry: UInt8 = 1
        /// Issue 12: `queue.updated`.
        static let queue: UInt8 = 2
    }

    mutating func write(_ event: Event) {
        write(event.sequence)
        write(event.type.rawValue)
        write(event.createdAt)
        switch event.payload {
        case .appointment(let appointment):
            write(byte: EventPayloadKind.appointment)
            write(appointment)
        case .waitlistEntry(let entry):
            write(byte: EventPayloadKind.waitlistEntry)
            write(entry)
        case .queue(let board):
            write(byte: EventPayloadKind.queue)
            write(count: board.entries.count)
            for entry in board.entries {
                write(entry.walkIn)
                writeOptional(entry.position) { $0.write($1) }
                writeOptional(entry.placement) { writer, placement in
                    writer.write(placement.barberID)
                    writer.write(placement.start)
                }
            }
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

    mutating func write(_ delivery: EndedDelivery) {
        write(delivery.event)
        write(delivery.type.rawValue)
        write(delivery.outcome)
        write(delivery.attempt)
        writeOptional(delivery.statusCode) { $0.write($1) }
        writeOptional(delivery.error) { $0.write($1) }
        write(delivery.durationMilliseconds)
        write(delivery.at)
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
        case BinaryWriter.EventPayloadKind.waitlistEntry: payload = .waitlistEntry(try readWaitlistEntry())
        case BinaryWriter.EventPayloadKind.queue: payload = .queue(try readQueueBoard())
        case let kind: throw BinaryDecodingError(offset: kindOffset, reason: "unknown event payload kind \(kind)")
        }
        return Event(sequence: sequence, type: type, createdAt: createdAt, payload: payload)
    }

    /// A board as `write(_ event:)` writes a `queue.updated` payload: entries of a walk-in, an
    /// optional position and an optional placement (barber, start).
    mutating func readQueueBoard() throws(BinaryDecodingError) -> QueueBoard {
        QueueBoard(entries: try readArray(minimumSize: WaitlistMinimumSize.walkIn + 2) { (reader) throws(BinaryDecodingError) in
            let start = reader.offset
            let entry = QueueBoard.Entry(
                walkIn: try reader.readWalkIn(), position: try reader.readOptional { (reader) throws(BinaryDecodingError) in try reader.readInt() },
                placement: try reader.readOptional { (reader) throws(BinaryDecodingError) in
                    WalkInEstimates.Placement(barberID: try reader.readInt(), start: try reader.readInstant())
                })
            guard (entry.walkIn.status == .waiting) == (entry.position != nil), entry.position.map({ $0 > 0 }) ?? true else {
                throw BinaryDecodingError(offset: start, reason: "queue board entry \(entry.walkIn.id) has a position that does not match its status")
            }
            return entry
        })
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

    /// An ended delivery as `write(_ delivery:)` writes it; refuses what the writer never
    /// writes: an event or attempt number below 1, a negative duration, an error over
    /// `EndedDelivery.maximumErrorBytes`.
    mutating func readEndedDelivery() throws(BinaryDecodingError) -> EndedDelivery {
        let start = offset
        let event = try readInt64()
        let type = EventType(try readString())
        let outcome = try readDeliveryOutcome()
        let attempt = try readInt()
        let statusCode = try readOptional { (reader) throws(BinaryDecodingError) in try reader.readInt() }
        let error = try readOptional { (reader) throws(BinaryDecodingError) in try reader.readString() }
        let duration = try readInt()
        let at = try readInstant()
        guard event > 0, attempt > 0, duration >= 0, (error?.utf8.count ?? 0) <= EndedDelivery.maximumErrorBytes else {
            throw BinaryDecodingError(offset: start, reason: "ended delivery of event \(event), attempt \(attempt) is out of bounds")
        }
        return EndedDelivery(
            event: event, type: type, outcome: outcome, attempt: attempt, statusCode: statusCode, error: error, durationMilliseconds: duration,
            at: at)
    }

    mutating func readMailOutcome() throws(BinaryDecodingError) -> MailOutcome {
        switch try readByte() {
        case 0: return .handedOff
        case 1: return .skipped
        case let byte: throw BinaryDecodingError(offset: offset - 1, reason: "unknown mail outcome \(byte)")
        }
    }
}
