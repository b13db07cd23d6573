import BookingCore

/// Snapshot section 1: the client records (docs/log-format.md, "Section 1: client records"):
/// the notes as a count then (client id, text) pairs, then the registrations as a count then
/// (client id, instant) pairs, each sorted by client id. Nothing is written when both are empty.
enum ClientRecordsSection: SnapshotSection {
    static let tag: UInt8 = 1

    static func encode(_ image: StateImage) -> [UInt8]? {
        let records = image.clientRecords
        guard !records.isEmpty else { return nil }
        var writer = BinaryWriter(capacity: 64 + 32 * (records.notes.count + records.registeredAt.count))
        writer.write(count: records.notes.count)
        for client in records.notes.keys.sorted() {
            writer.write(client)
            writer.write(records.notes[client]!)
        }
        writer.write(count: records.registeredAt.count)
        for client in records.registeredAt.keys.sorted() {
            writer.write(client)
            writer.write(records.registeredAt[client]!)
        }
        return writer.bytes
    }

    static func decode(_ reader: inout BinaryReader, into image: inout StateImage) throws(BinaryDecodingError) {
        let notes = try reader.readArray(minimumSize: 2) { (reader) throws(BinaryDecodingError) in
            (client: try reader.readInt(), text: try reader.readString())
        }
        let registrations = try reader.readArray(minimumSize: 2) { (reader) throws(BinaryDecodingError) in
            (client: try reader.readInt(), at: try reader.readInstant())
        }
        guard zip(notes, notes.dropFirst()).allSatisfy({ $0.client < $1.client }),
            zip(registrations, registrations.dropFirst()).allSatisfy({ $0.client < $1.client })
        else { throw reader.error("client records are not sorted by client") }
        guard !notes.contains(where: { $0.text.isEmpty }) else { throw reader.error("empty client notes stored") }
        image.clientRecords = ClientRecords(
            notes: Dictionary(uniqueKeysWithValues: notes.map { ($0.client, $0.text) }),
            registeredAt: Dictionary(uniqueKeysWithValues: registrations.map { ($0.client, $0.at) }))
    }
}
