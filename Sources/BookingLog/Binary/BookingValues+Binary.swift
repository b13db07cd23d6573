import BookingCore

/// The binary encoding of the domain values the log and snapshots hold (docs/log-format.md,
/// "Binary encoding"): each value's fields in declaration order, with `BinaryWriter`'s
/// primitives. Reading checks what a value's own initializer would otherwise trap on (a time of
/// day past 24:00, overlapping working periods); rules that span values (no overlapping
/// appointments) are checked where the state is rebuilt.
extension BinaryWriter {
    mutating func write(_ instant: Instant) { write(instant.seconds) }

    mutating func write(_ status: AppointmentStatus) {
        switch status {
        case .confirmed: write(byte: 0)
        case .cancelled: write(byte: 1)
        case .completed: write(byte: 2)
        case .noShow: write(byte: 3)
        }
    }

    mutating func write(_ role: Role) {
        switch role {
        case .client: write(byte: 0)
        case .barber: write(byte: 1)
        case .admin: write(byte: 2)
        }
    }

    mutating func write(_ appointment: Appointment) {
        write(appointment.id)
        write(appointment.barberID)
        write(appointment.clientID)
        write(appointment.serviceID)
        write(appointment.start)
        write(appointment.end)
        write(appointment.status)
        write(appointment.priceCents)
        writeOptional(appointment.notes) { $0.write($1) }
        write(appointment.createdAt)
        writeOptional(appointment.cancelReason) { $0.write($1) }
        writeOptional(appointment.idempotency) { writer, tag in
            writer.write(tag.user)
            writer.write(tag.key)
        }
    }

    mutating func write(_ weekly: WeeklySchedule) {
        for day in Weekday.allCases {
            let periods = weekly.periods(on: day)
            write(count: periods.count)
            for period in periods {
                write(period.start.minutes)
                write(period.end.minutes)
            }
        }
    }

    mutating func write(_ barber: Barber) {
        write(barber.id)
        write(barber.name)
        write(barber.isActive)
        writeOptional(barber.userID) { $0.write($1) }
        write(barber.weekly)
        write(barber.bufferMinutes)
    }

    mutating func write(_ timeOff: TimeOff) {
        write(timeOff.id)
        write(timeOff.barberID)
        write(timeOff.start)
        write(timeOff.end)
        writeOptional(timeOff.reason) { $0.write($1) }
    }

    mutating func write(_ user: User) {
        write(user.id)
        write(user.email)
        write(user.name)
        write(user.role)
        writeOptional(user.phone) { $0.write($1) }
        write(user.passwordHash)
    }

    mutating func write(_ service: Service) {
        write(service.id)
        write(service.name)
        write(service.durationMinutes)
        write(service.priceCents)
        write(service.isActive)
        writeOptional(service.barberIDs) { writer, ids in
            writer.write(count: ids.count)
            for id in ids { writer.write(id) }
        }
    }

    mutating func write(_ settings: ShopSettings) {
        write(settings.name)
        write(settings.timeZone)
        write(settings.slotIntervalMinutes)
        write(settings.minNoticeMinutes)
        write(settings.maxAdvanceDays)
        write(settings.cancellationCutoffMinutes)
    }
}

extension BinaryReader {
    /// The fewest bytes each value takes: one per field (a one-byte integer, an empty string, an
    /// absent optional), seven day counts for a week. `readCount(minimumSize:)` uses them.
    enum MinimumSize {
        static let appointment = 12
        static let workPeriod = 2
        static let barber = 12
        static let timeOff = 5
        static let user = 6
        static let service = 6
        static let integer = 1
    }

    mutating func readInstant() throws(BinaryDecodingError) -> Instant { Instant(seconds: try readInt64()) }

    mutating func readStatus() throws(BinaryDecodingError) -> AppointmentStatus {
        switch try readByte() {
        case 0: return .confirmed
        case 1: return .cancelled
        case 2: return .completed
        case 3: return .noShow
        case let tag: throw BinaryDecodingError(offset: offset - 1, reason: "appointment status \(tag)")
        }
    }

    mutating func readRole() throws(BinaryDecodingError) -> Role {
        switch try readByte() {
        case 0: return .client
        case 1: return .barber
        case 2: return .admin
        case let tag: throw BinaryDecodingError(offset: offset - 1, reason: "role \(tag)")
        }
    }

    mutating func readAppointment() throws(BinaryDecodingError) -> Appointment {
        let id = try readInt()
        let barberID = try readInt()
        let clientID = try readInt()
        let serviceID = try readInt()
        let start = try readInstant()
        let end = try readInstant()
        let status = try readStatus()
        let priceCents = try readInt()
        let notes = try readOptional { (reader) throws(BinaryDecodingError) in try reader.readString() }
        let createdAt = try readInstant()
        let cancelReason = try readOptional { (reader) throws(BinaryDecodingError) in try reader.readString() }
        let idempotency = try readOptional { (reader) throws(BinaryDecodingError) in
            IdempotencyTag(user: try reader.readInt(), key: try reader.readString())
        }
        return Appointment(
            id: id, barberID: barberID, clientID: clientID, serviceID: serviceID, start: start, end: end, status: status,
            priceCents: priceCents, notes: notes, createdAt: createdAt, cancelReason: cancelReason, idempotency: idempotency)
    }

    mutating func readWeeklySchedule() throws(BinaryDecodingError) -> WeeklySchedule {
        let start = offset
        var byDay: [Weekday: [WorkPeriod]] = [:]
        for day in Weekday.allCases {
            let periods = try readArray(minimumSize: MinimumSize.workPeriod) { (reader) throws(BinaryDecodingError) in
                WorkPeriod(
                    start: TimeOfDay(minutes: try reader.readInt(in: 0...1440, "time of day")),
                    end: TimeOfDay(minutes: try reader.readInt(in: 0...1440, "time of day")))
            }
            // Sorted as written, so that a payload has one reading and re-encodes to its bytes.
            guard zip(periods, periods.dropFirst()).allSatisfy({ $0.start < $1.start }) else {
                throw BinaryDecodingError(offset: start, reason: "weekly schedule: \(day.rawValue) periods not sorted")
            }
            byDay[day] = periods
        }
        switch WeeklySchedule.validated(byDay) {
        case .success(let weekly): return weekly
        case .failure(let problem): throw BinaryDecodingError(offset: start, reason: "weekly schedule: \(problem)")
        }
    }

    mutating func readBarber() throws(BinaryDecodingError) -> Barber {
        Barber(
            id: try readInt(), name: try readString(), isActive: try readBool(),
            userID: try readOptional { (reader) throws(BinaryDecodingError) in try reader.readInt() },
            weekly: try readWeeklySchedule(), bufferMinutes: try readInt())
    }

    mutating func readTimeOff() throws(BinaryDecodingError) -> TimeOff {
        TimeOff(
            id: try readInt(), barberID: try readInt(), start: try readInstant(), end: try readInstant(),
            reason: try readOptional { (reader) throws(BinaryDecodingError) in try reader.readString() })
    }

    mutating func readUser() throws(BinaryDecodingError) -> User {
        User(
            id: try readInt(), email: try readString(), name: try readString(), role: try readRole(),
            phone: try readOptional { (reader) throws(BinaryDecodingError) in try reader.readString() },
            passwordHash: try readString())
    }

    mutating func readService() throws(BinaryDecodingError) -> Service {
        Service(
            id: try readInt(), name: try readString(), durationMinutes: try readInt(), priceCents: try readInt(),
            isActive: try readBool(),
            barberIDs: try readOptional { (reader) throws(BinaryDecodingError) in
                try reader.readArray(minimumSize: MinimumSize.integer) { (reader) throws(BinaryDecodingError) in try reader.readInt() }
            })
    }

    mutating func readSettings() throws(BinaryDecodingError) -> ShopSettings {
        var settings = ShopSettings()
        settings.name = try readString()
        settings.timeZone = try readString()
        settings.slotIntervalMinutes = try readInt()
        settings.minNoticeMinutes = try readInt()
        settings.maxAdvanceDays = try readInt()
        settings.cancellationCutoffMinutes = try readInt()
        return settings
    }
}
