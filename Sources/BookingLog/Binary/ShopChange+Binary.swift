import BookingCore

/// The payload of a record of type 2 (`RecordType.changesBinary`): the changes of one request as
/// a count, then each change as a tag byte naming its case and the case's fields in order
/// (docs/log-format.md, "Payload of type 2").
extension BinaryWriter {
    /// The tag byte of each case of `ShopChange`; a number is never reused for another case.
    enum ChangeTag {
        static let settingsSet: UInt8 = 0x01
        static let userCreated: UInt8 = 0x02
        static let serviceSaved: UInt8 = 0x03
        static let barberAdded: UInt8 = 0x04
        static let barberCreated: UInt8 = 0x10
        static let barberUpdated: UInt8 = 0x11
        static let scheduleSet: UInt8 = 0x12
        static let timeOffAdded: UInt8 = 0x13
        static let timeOffRemoved: UInt8 = 0x14
        static let booked: UInt8 = 0x15
        static let cancelled: UInt8 = 0x16
        static let statusSet: UInt8 = 0x17
        static let rescheduled: UInt8 = 0x18
        static let movedOut: UInt8 = 0x19
        static let movedIn: UInt8 = 0x1A
        // Issue 12 (waitlist, holds, walk-in queue): 0x40-0x4F.
        static let holdPlaced: UInt8 = 0x40
        static let holdReleased: UInt8 = 0x41
        /// The settings with the fields added since 0x01 (`waitlistHoldMinutes`); written only
        /// when one differs from its default, so settings at their defaults keep the 0x01 bytes.
        static let settingsSetExtended: UInt8 = 0x42
        static let waitlistEntryAdded: UInt8 = 0x43
        static let waitlistOffered: UInt8 = 0x44
        static let waitlistExpired: UInt8 = 0x45
        static let waitlistBooked: UInt8 = 0x46
        static let waitlistCancelled: UInt8 = 0x47
        static let walkInCheckedIn: UInt8 = 0x48
        static let walkInStarted: UInt8 = 0x49
        static let walkInDone: UInt8 = 0x4A
        static let walkInLeft: UInt8 = 0x4B
        static let clientNotesSet: UInt8 = 0x20
        static let clientRegistered: UInt8 = 0x21
        // Notifications (issue 11): 0x30-0x3F.
        static let eventRecorded: UInt8 = 0x30
        static let webhookSaved: UInt8 = 0x31
        static let webhookDeleted: UInt8 = 0x32
        static let deliveryFinished: UInt8 = 0x33
        static let feedIssued: UInt8 = 0x34
        // Mail (issue 11, part 3): 0x35-0x3F.
        static let mailSwitched: UInt8 = 0x35
        static let mailFinished: UInt8 = 0x36
        static let reminderFinished: UInt8 = 0x37
        /// Replaces `deliveryFinished` (0x33) for new records; 0x33 is still read.
        static let deliveryEnded: UInt8 = 0x38
    }

    mutating func write(_ changes: [ShopChange]) {
        write(count: changes.count)
        for change in changes { write(change) }
    }

    mutating func write(_ change: ShopChange) {
        switch change {
        case .registry(.settingsSet(let settings)) where settings.waitlistHoldMinutes != ShopSettings.defaultWaitlistHoldMinutes:
            write(byte: ChangeTag.settingsSetExtended)
            write(settings)
            write(settings.waitlistHoldMinutes)
        case .registry(.settingsSet(let settings)):
            write(byte: ChangeTag.settingsSet)
            write(settings)
        case .registry(.userCreated(let user)):
            write(byte: ChangeTag.userCreated)
            write(user)
        case .registry(.serviceSaved(let service)):
            write(byte: ChangeTag.serviceSaved)
            write(service)
        case .registry(.barberAdded(let id, let userID)):
            write(byte: ChangeTag.barberAdded)
            write(id)
            writeOptional(userID) { $0.write($1) }
        case .calendar(.barberCreated(let barber)):
            write(byte: ChangeTag.barberCreated)
            write(barber)
        case .calendar(.barberUpdated(let id, let name, let isActive)):
            write(byte: ChangeTag.barberUpdated)
            write(id)
            write(name)
            write(isActive)
        case .calendar(.scheduleSet(let barberID, let weekly, let bufferMinutes)):
            write(byte: ChangeTag.scheduleSet)
            write(barberID)
            write(weekly)
            write(bufferMinutes)
        case .calendar(.timeOffAdded(let timeOff)):
            write(byte: ChangeTag.timeOffAdded)
            write(timeOff)
        case .calendar(.timeOffRemoved(let barberID, let id)):
            write(byte: ChangeTag.timeOffRemoved)
            write(barberID)
            write(id)
        case .calendar(.booked(let appointment)):
            write(byte: ChangeTag.booked)
            write(appointment)
        case .calendar(.cancelled(let barberID, let id, let reason)):
            write(byte: ChangeTag.cancelled)
            write(barberID)
            write(id)
            writeOptional(reason) { $0.write($1) }
        case .calendar(.statusSet(let barberID, let id, let status)):
            write(byte: ChangeTag.statusSet)
            write(barberID)
            write(id)
            write(status)
        case .calendar(.rescheduled(let barberID, let id, let start, let end)):
            write(byte: ChangeTag.rescheduled)
            write(barberID)
            write(id)
            write(start)
            write(end)
        case .calendar(.movedOut(let barberID, let id)):
            write(byte: ChangeTag.movedOut)
            write(barberID)
            write(id)
        case .calendar(.movedIn(let appointment)):
            write(byte: ChangeTag.movedIn)
            write(appointment)
        case .calendar(.holdPlaced(let hold)):
            write(byte: ChangeTag.holdPlaced)
            write(hold)
        case .calendar(.holdReleased(let barberID, let entryID)):
            write(byte: ChangeTag.holdReleased)
            write(barberID)
            write(entryID)
        case .waitlist(.entryAdded(let entry)):
            write(byte: ChangeTag.waitlistEntryAdded)
            write(entry)
        case .waitlist(.offered(let hold)):
            write(byte: ChangeTag.waitlistOffered)
            write(hold)
        case .waitlist(.expired(let id)):
            write(byte: ChangeTag.waitlistExpired)
            write(id)
        case .waitlist(.booked(let id, let appointmentID)):
            write(byte: ChangeTag.waitlistBooked)
            write(id)
            write(appointmentID)
        case .waitlist(.cancelled(let id)):
            write(byte: ChangeTag.waitlistCancelled)
            write(id)
        case .queue(.checkedIn(let walkIn)):
            write(byte: ChangeTag.walkInCheckedIn)
            write(walkIn)
        case .queue(.started(let id, let barberID, let appointmentID)):
            write(byte: ChangeTag.walkInStarted)
            write(id)
            write(barberID)
            write(appointmentID)
        case .queue(.done(let id)):
            write(byte: ChangeTag.walkInDone)
            write(id)
        case .queue(.left(let id)):
            write(byte: ChangeTag.walkInLeft)
            write(id)
        case .clientRecord(.notesSet(let client, let notes)):
            write(byte: ChangeTag.clientNotesSet)
            write(client)
            write(notes)
        case .clientRecord(.registered(let client, let at)):
            write(byte: ChangeTag.clientRegistered)
            write(client)
            write(at)
        case .notification(.eventRecorded(let event)):
            write(byte: ChangeTag.eventRecorded)
            write(event)
        case .notification(.webhookSaved(let endpoint)):
            write(byte: ChangeTag.webhookSaved)
            write(endpoint)
        case .notification(.webhookDeleted(let id)):
            write(byte: ChangeTag.webhookDeleted)
            write(id)
        case .notification(.deliveryFinished(let webhook, let event, let outcome)):
            write(byte: ChangeTag.deliveryFinished)
            write(webhook)
            write(event)
            write(outcome)
        case .notification(.feedIssued(let owner, let hash)):
            write(byte: ChangeTag.feedIssued)
            write(owner)
            write(bytes: hash)
        case .notification(.mailSwitched(let on, let at)):
            write(byte: ChangeTag.mailSwitched)
            write(on)
            write(at)
        case .notification(.mailFinished(let event, let outcome)):
            write(byte: ChangeTag.mailFinished)
            write(event)
            write(outcome)
        case .notification(.reminderFinished(let appointment, let start, let offset, let outcome, let at)):
            write(byte: ChangeTag.reminderFinished)
            write(appointment)
            write(start)
            write(offset)
            write(outcome)
            write(at)
        case .notification(.deliveryEnded(let webhook, let delivery)):
            write(byte: ChangeTag.deliveryEnded)
            write(webhook)
            write(delivery)
        }
    }
}

extension BinaryReader {
    /// The fewest bytes a change takes: its tag and one byte of fields.
    static let minimumChangeSize = 2

    mutating func readChanges() throws(BinaryDecodingError) -> [ShopChange] {
        try readArray(minimumSize: Self.minimumChangeSize) { (reader) throws(BinaryDecodingError) in try reader.readChange() }
    }

    mutating func readChange() throws(BinaryDecodingError) -> ShopChange {
        typealias Tag = BinaryWriter.ChangeTag
        let tag = try readByte()
        switch tag {
        case Tag.settingsSet: return .registry(.settingsSet(try readSettings()))
        case Tag.userCreated: return .registry(.userCreated(try readUser()))
        case Tag.serviceSaved: return .registry(.serviceSaved(try readService()))
        case Tag.barberAdded:
            return .registry(.barberAdded(
                id: try readInt(), userID: try readOptional { (reader) throws(BinaryDecodingError) in try reader.readInt() }))
        case Tag.barberCreated: return .calendar(.barberCreated(try readBarber()))
        case Tag.barberUpdated: return .calendar(.barberUpdated(id: try readInt(), name: try readString(), isActive: try readBool()))
        case Tag.scheduleSet:
            return .calendar(.scheduleSet(barberID: try readInt(), weekly: try readWeeklySchedule(), bufferMinutes: try readInt()))
        case Tag.timeOffAdded: return .calendar(.timeOffAdded(try readTimeOff()))
        case Tag.timeOffRemoved: return .calendar(.timeOffRemoved(barberID: try readInt(), id: try readInt()))
        case Tag.booked: return .calendar(.booked(try readAppointment()))
        case Tag.cancelled:
            return .calendar(.cancelled(
                barberID: try readInt(), id: try readInt(),
                reason: try readOptional { (reader) throws(BinaryDecodingError) in try reader.readString() }))
        case Tag.statusSet: return .calendar(.statusSet(barberID: try readInt(), id: try readInt(), status: try readStatus()))
        case Tag.rescheduled:
            return .calendar(.rescheduled(barberID: try readInt(), id: try readInt(), start: try readInstant(), end: try readInstant()))
        case Tag.movedOut: return .calendar(.movedOut(barberID: try readInt(), id: try readInt()))
        case Tag.movedIn: return .calendar(.movedIn(try readAppointment()))
        case Tag.holdPlaced: return .calendar(.holdPlaced(try readHold()))
        case Tag.holdReleased: return .calendar(.holdReleased(barberID: try readInt(), entryID: try readInt()))
        case Tag.settingsSetExtended:
            var settings = try readSettings()
            settings.waitlistHoldMinutes = try readInt()
            return .registry(.settingsSet(settings))
        case Tag.waitlistEntryAdded: return .waitlist(.entryAdded(try readWaitlistEntry()))
        case Tag.waitlistOffered: return .waitlist(.offered(try readHold()))
        case Tag.waitlistExpired: return .waitlist(.expired(try readInt()))
        case Tag.waitlistBooked: return .waitlist(.booked(try readInt(), appointmentID: try readInt()))
        case Tag.waitlistCancelled: return .waitlist(.cancelled(try readInt()))
        case Tag.walkInCheckedIn: return .queue(.checkedIn(try readWalkIn()))
        case Tag.walkInStarted: return .queue(.started(try readInt(), barberID: try readInt(), appointmentID: try readInt()))
        case Tag.walkInDone: return .queue(.done(try readInt()))
        case Tag.walkInLeft: return .queue(.left(try readInt()))
        case Tag.clientNotesSet: return .clientRecord(.notesSet(client: try readInt(), notes: try readString()))
        case Tag.clientRegistered: return .clientRecord(.registered(client: try readInt(), at: try readInstant()))
        case Tag.eventRecorded: return .notification(.eventRecorded(try readEvent()))
        case Tag.webhookSaved: return .notification(.webhookSaved(try readWebhookEndpoint()))
        case Tag.webhookDeleted: return .notification(.webhookDeleted(try readInt()))
        case Tag.deliveryFinished:
            return .notification(.deliveryFinished(webhook: try readInt(), event: try readInt64(), outcome: try readDeliveryOutcome()))
        case Tag.feedIssued: return .notification(.feedIssued(owner: try readFeedOwner(), tokenHash: try readBytes()))
        case Tag.mailSwitched: return .notification(.mailSwitched(on: try readBool(), at: try readInstant()))
        case Tag.mailFinished: return .notification(.mailFinished(event: try readInt64(), outcome: try readMailOutcome()))
        case Tag.reminderFinished:
            let start = offset
            let appointment = try readInt()
            let appointmentStart = try readInstant()
            let reminderOffset = try readInt64()
            guard reminderOffset > 0 else { throw BinaryDecodingError(offset: start, reason: "reminder offset \(reminderOffset) is not positive") }
            return .notification(.reminderFinished(
                appointment: appointment, start: appointmentStart, offset: reminderOffset, outcome: try readMailOutcome(),
                at: try readInstant()))
        case Tag.deliveryEnded: return .notification(.deliveryEnded(webhook: try readInt(), try readEndedDelivery()))
        default: throw BinaryDecodingError(offset: offset - 1, reason: "unknown change tag \(tag)")
        }
    }
}
