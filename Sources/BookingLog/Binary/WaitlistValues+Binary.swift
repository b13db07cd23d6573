import BookingCore

/// The binary encoding of the waitlist's values (docs/log-format.md, "Waitlist values"), with
/// `BinaryWriter`'s primitives: each value's fields in declaration order.
extension BinaryWriter {
    mutating func write(_ date: CivilDate) { write(date.daysSinceEpoch) }

    mutating func write(_ hold: Hold) {
        write(hold.entryID)
        write(hold.barberID)
        write(hold.serviceID)
        write(hold.start)
        write(hold.end)
        write(hold.expiresAt)
    }

    mutating func write(_ status: WaitlistStatus) {
        switch status {
        case .waiting: write(byte: 0)
        case .offered: write(byte: 1)
        case .booked: write(byte: 2)
        case .expired: write(byte: 3)
        case .cancelled: write(byte: 4)
        }
    }

    mutating func write(_ entry: WaitlistEntry) {
        write(entry.id)
        write(entry.clientID)
        write(entry.serviceID)
        writeOptional(entry.barberID) { $0.write($1) }
        write(entry.dateFrom)
        write(entry.dateTo)
        write(entry.timeFrom.minutes)
        write(entry.timeTo.minutes)
        write(entry.status)
        writeOptional(entry.offer) { $0.write($1) }
        writeOptional(entry.appointmentID) { $0.write($1) }
        write(entry.createdAt)
    }
}

extension BinaryReader {
    /// The fewest bytes a hold and an entry take (one per field).
    enum WaitlistMinimumSize {
        static let hold = 6
        static let entry = 12
    }

    mutating func readCivilDate() throws(BinaryDecodingError) -> CivilDate {
        CivilDate(daysSinceEpoch: try readInt(in: -1_000_000...10_000_000, "date"))
    }

    mutating func readHold() throws(BinaryDecodingError) -> Hold {
        let start = offset
        let hold = Hold(
            entryID: try readInt(), barberID: try readInt(), serviceID: try readInt(), start: try readInstant(),
            end: try readInstant(), expiresAt: try readInstant())
        guard hold.start < hold.end else { throw BinaryDecodingError(offset: start, reason: "hold with an empty interval") }
        return hold
    }

    mutating func readWaitlistStatus() throws(BinaryDecodingError) -> WaitlistStatus {
        switch try readByte() {
        case 0: return .waiting
        case 1: return .offered
        case 2: return .booked
        case 3: return .expired
        case 4: return .cancelled
        case let tag: throw BinaryDecodingError(offset: offset - 1, reason: "waitlist status \(tag)")
        }
    }

    mutating func readWaitlistEntry() throws(BinaryDecodingError) -> WaitlistEntry {
        let start = offset
        var entry = WaitlistEntry(
            id: try readInt(), clientID: try readInt(), serviceID: try readInt(),
            barberID: try readOptional { (reader) throws(BinaryDecodingError) in try reader.readInt() },
            dateFrom: try readCivilDate(), dateTo: try readCivilDate(),
            timeFrom: TimeOfDay(minutes: try readInt(in: 0...1440, "time of day")),
            timeTo: TimeOfDay(minutes: try readInt(in: 0...1440, "time of day")), createdAt: Instant(seconds: 0))
        entry.status = try readWaitlistStatus()
        entry.offer = try readOptional { (reader) throws(BinaryDecodingError) in try reader.readHold() }
        entry.appointmentID = try readOptional { (reader) throws(BinaryDecodingError) in try reader.readInt() }
        entry.createdAt = try readInstant()
        if let problem = entry.validate() { throw BinaryDecodingError(offset: start, reason: "waitlist entry: \(problem.message)") }
        return entry
    }
}
