import BookingCore

/// Version 2 of the snapshot payload: a `StateImage` in the binary encoding (docs/log-format.md,
/// "Snapshot payload, version 2"). Every collection is sorted by id, so equal images give equal
/// bytes. Reading rebuilds the registry and each calendar in bulk and checks the state's
/// invariants, throwing `BinaryDecodingError` for anything a valid state cannot hold.
extension BinaryWriter {
    mutating func write(_ image: StateImage) {
        write(image.directoryLSN)
        write(image.lastLSN)
        write(count: image.calendarLSNs.count)
        for barber in image.calendarLSNs.keys.sorted() {
            write(barber)
            write(image.calendarLSNs[barber]!)
        }
        write(image.state.registry)
        let calendars = image.state.orderedCalendars
        write(count: calendars.count)
        for calendar in calendars { write(calendar) }
    }

    mutating func write(_ registry: ShopRegistry) {
        write(registry.settings)
        write(count: registry.users.count)
        for id in registry.users.keys.sorted() { write(registry.users[id]!) }
        write(count: registry.services.count)
        for id in registry.services.keys.sorted() { write(registry.services[id]!) }
        write(count: registry.barberIDs.count)
        for id in registry.barberIDs { write(id) }
        write(count: registry.barberIDByUser.count)
        for user in registry.barberIDByUser.keys.sorted() {
            write(user)
            write(registry.barberIDByUser[user]!)
        }
    }

    mutating func write(_ calendar: BarberCalendar) {
        write(calendar.barber)
        write(count: calendar.timeOff.count)
        for entry in calendar.timeOff { write(entry) }
        write(count: calendar.appointments.count)
        for id in calendar.appointments.keys.sorted() { write(calendar.appointments[id]!) }
    }
}

extension BinaryReader {
    mutating func readStateImage() throws(BinaryDecodingError) -> StateImage {
        let directoryLSN = try readInt64()
        let lastLSN = try readInt64()
        let watermarks = try readArray(minimumSize: 2) { (reader) throws(BinaryDecodingError) in
            (barber: try reader.readInt(), lsn: try reader.readInt64())
        }
        guard zip(watermarks, watermarks.dropFirst()).allSatisfy({ $0.barber < $1.barber }) else {
            throw error("calendar watermarks are not sorted by barber")
        }
        let registry = try readRegistry()
        let shopTime = ShopTime(settings: registry.settings)
        let calendars = try readArray(minimumSize: MinimumSize.barber + 2) { (reader) throws(BinaryDecodingError) in
            try reader.readCalendar(shopTime: shopTime)
        }
        guard zip(calendars, calendars.dropFirst()).allSatisfy({ $0.barber.id < $1.barber.id }) else {
            throw error("calendars are not sorted by barber")
        }
        return StateImage(
            state: ShopState(registry: registry, calendars: calendars), directoryLSN: directoryLSN,
            calendarLSNs: Dictionary(uniqueKeysWithValues: watermarks.map { ($0.barber, $0.lsn) }), lastLSN: lastLSN)
    }

    mutating func readRegistry() throws(BinaryDecodingError) -> ShopRegistry {
        let start = offset
        let settings = try readSettings()
        let users = try readArray(minimumSize: MinimumSize.user) { (reader) throws(BinaryDecodingError) in try reader.readUser() }
        let services = try readArray(minimumSize: MinimumSize.service) { (reader) throws(BinaryDecodingError) in
            try reader.readService()
        }
        let barberIDs = try readArray(minimumSize: MinimumSize.integer) { (reader) throws(BinaryDecodingError) in
            try reader.readInt()
        }
        let links = try readArray(minimumSize: 2) { (reader) throws(BinaryDecodingError) in
            (user: try reader.readInt(), barber: try reader.readInt())
        }
        guard zip(links, links.dropFirst()).allSatisfy({ $0.user < $1.user }) else {
            throw error("barber links are not sorted by user")
        }
        do {
            return try ShopRegistry(
                settings: settings, users: users, services: services, barberIDs: barberIDs,
                barberIDByUser: Dictionary(uniqueKeysWithValues: links.map { ($0.user, $0.barber) }))
        } catch {
            throw BinaryDecodingError(offset: start, reason: "registry: \(error.reason)")
        }
    }

    /// A calendar, its figures built for the shop's time zone `shopTime`.
    mutating func readCalendar(shopTime: ShopTime) throws(BinaryDecodingError) -> BarberCalendar {
        let start = offset
        let barber = try readBarber()
        let timeOff = try readArray(minimumSize: MinimumSize.timeOff) { (reader) throws(BinaryDecodingError) in
            try reader.readTimeOff()
        }
        let appointments = try readArray(minimumSize: MinimumSize.appointment) { (reader) throws(BinaryDecodingError) in
            try reader.readAppointment()
        }
        do {
            return try BarberCalendar(barber: barber, timeOff: timeOff, appointments: appointments, shopTime: shopTime)
        } catch {
            throw BinaryDecodingError(offset: start, reason: "calendar of barber \(barber.id): \(error.reason)")
        }
    }
}
