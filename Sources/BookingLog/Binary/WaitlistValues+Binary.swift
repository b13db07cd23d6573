import BookingCore

/// The binary encoding of the waitlist's and the walk-in queue's values (docs/log-format.md, "Waitlist values"), with
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

    mutating func write(_ status: WalkInStatus) {
        switch status {
        case .waiting: write(byte: 0)
        case .serving: write(byte: 1)
        case .done: write(byte: 2)
        case .left: write(byte: 3)
        }
    }

    mutating func write(_ walkIn: WalkIn) {
        write(walkIn.id)
        write(walkIn.name)
        writeOptional(walkIn.phone) { $0.write($1) }
        write(walkIn.serviceID)
        writeOptional(walkIn.barberID) { $0.write($1) }
        write(walkIn.status)
        writeOptional(walkIn.appointmentID) { $0.write($1) }
        write(walkIn.checkedInAt)
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
        static let walkIn = 8
    }

    mutating func readWalkIn() throws(BinaryDecodingError) -> WalkIn {
        var walkIn = WalkIn(
            id: try readInt(), name: try readString(), phone: try readOptional { (reader) throws(BinaryDecodingError) in try reader.readString() },
            serviceID: try readInt(), barberID: try readOptional { (reader) throws(BinaryDecodingError) in try reader.readInt() },
            checkedInAt: Instant(seconds: 0))
        switch try readByte() {
        case 0: walkIn.status = .waiting
        case 1: walkIn.status = .serving
        case 2: walkIn.status = .done
        case 3: walkIn.status = .left
        case let tag: throw BinaryDecodingError(offset: offset - 1, reason: "walk-in status \(tag)")
        }
        walkIn.appointmentID = try readOptional { (reader) throws(BinaryDecodingError) in try reader.readInt() }
        walkIn.checkedInAt = try readInstant()
        return walkIn
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
