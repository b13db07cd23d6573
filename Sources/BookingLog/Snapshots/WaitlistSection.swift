import BookingCore

/// Section 3 of a version 3 snapshot payload: the waitlist, the holds, the walk-in queue and the
/// settings field added with them (docs/log-format.md, "Section 3: waitlist"). Empty, and not
/// written, when no entry, no hold, no walk-in and the default `waitlist_hold_minutes`.
///
/// Bytes: the part's watermark (an optional LSN, see `StateImage.waitlistLSN`), the hold
/// minutes, the entries by id, the holds by barber then entry, the walk-ins by id.
enum WaitlistSection: SnapshotSection {
    static let tag: UInt8 = 3

    static func encode(_ image: StateImage) -> [UInt8]? {
        let state = image.state
        let holds = state.holds
        let minutes = state.registry.settings.waitlistHoldMinutes
        if state.waitlist.isEmpty, state.walkIns.isEmpty, holds.isEmpty, minutes == ShopSettings.defaultWaitlistHoldMinutes {
            return nil
        }
        var writer = BinaryWriter(capacity: 64 + 96 * state.waitlist.entries.count)
        writer.writeOptional(image.waitlistLSN) { $0.write($1) }
        writer.write(minutes)
        let entries = state.waitlist.ordered
        writer.write(count: entries.count)
        for entry in entries { writer.write(entry) }
        writer.write(count: holds.count)
        for hold in holds { writer.write(hold) }
        let walkIns = state.walkIns.ordered
        writer.write(count: walkIns.count)
        for walkIn in walkIns { writer.write(walkIn) }
        return writer.bytes
    }

    static func decode(_ reader: inout BinaryReader, into image: inout StateImage) throws(BinaryDecodingError) {
        let start = reader.offset
        let watermark = try reader.readOptional { (reader) throws(BinaryDecodingError) in try reader.readInt64() }
        let minutes = try reader.readInt()
        let entries = try reader.readArray(minimumSize: BinaryReader.WaitlistMinimumSize.entry) { (reader) throws(BinaryDecodingError) in
            try reader.readWaitlistEntry()
        }
        let holds = try reader.readArray(minimumSize: BinaryReader.WaitlistMinimumSize.hold) { (reader) throws(BinaryDecodingError) in
            try reader.readHold()
        }
        let walkIns = try reader.readArray(minimumSize: BinaryReader.WaitlistMinimumSize.walkIn) { (reader) throws(BinaryDecodingError) in
            try reader.readWalkIn()
        }
        guard zip(walkIns, walkIns.dropFirst()).allSatisfy({ $0.id < $1.id }) else {
            throw BinaryDecodingError(offset: start, reason: "walk-ins are not sorted by id")
        }
        guard zip(entries, entries.dropFirst()).allSatisfy({ $0.id < $1.id }) else {
            throw BinaryDecodingError(offset: start, reason: "waitlist entries are not sorted by id")
        }
        do throws(StateInconsistency) {
            var settings = image.state.registry.settings
            settings.waitlistHoldMinutes = minutes
            try image.restoreSettings(settings)
            let waitlist = try Waitlist(restoring: entries)
            let offered = Set(waitlist.offered.map(\.id))
            guard Set(holds.map(\.entryID)) == offered, holds.allSatisfy({ waitlist.entries[$0.entryID]?.offer == $0 }) else {
                throw StateInconsistency("the holds and the offered entries disagree")
            }
            try image.restoreWaitlist(waitlist, walkIns: try WalkInQueue(restoring: walkIns), holds: holds, waitlistLSN: watermark)
        } catch {
            throw BinaryDecodingError(offset: start, reason: "waitlist: \(error.reason)")
        }
    }
}
