import BookingCore

/// A part of the state added after snapshot payload version 2, stored in a version 3 payload as
/// a section of its own after the version 2 body (docs/log-format.md, "Snapshot payload,
/// version 3"): its tag byte, then its bytes as a length-prefixed byte string.
///
/// A new part of `ShopState` (client notes, webhooks, waitlist, …) gets a conformer with a tag
/// never used before, listed in `SnapshotSections.all`. A part that is empty writes no section,
/// so a state without it encodes as it did before the part existed; a payload with a tag this
/// build does not know is refused, never half-read.
protocol SnapshotSection: Sendable {
    /// Names the section in the payload; a number is never reused for another part.
    static var tag: UInt8 { get }
    /// The part's bytes, or nil when the part is empty (no section is written then).
    static func encode(_ image: StateImage) -> [UInt8]?
    /// Reads the part from exactly the bytes `encode` wrote and puts it into `image`.
    static func decode(_ reader: inout BinaryReader, into image: inout StateImage) throws(BinaryDecodingError)
}

/// The sections this build writes and reads, in the order they are written.
enum SnapshotSections {
    /// Section 6 (ended deliveries) is read into the notification part section 2 has read, so it
    /// comes after it.
    static let all: [any SnapshotSection.Type] = [
        ClientRecordsSection.self, NotificationSection.self, WaitlistSection.self, EndedDeliveriesSection.self,
    ]

    static func write(_ image: StateImage, to writer: inout BinaryWriter) {
        let present = all.compactMap { section in section.encode(image).map { (section.tag, $0) } }
        writer.write(count: present.count)
        for (tag, bytes) in present {
            writer.write(byte: tag)
            writer.write(bytes: bytes)
        }
    }

    /// Reads the sections after a version 2 body; each tag at most once, each known to this build.
    static func read(_ reader: inout BinaryReader, into image: inout StateImage) throws(BinaryDecodingError) {
        let count = try reader.readCount(minimumSize: 2)
        var seen = Set<UInt8>()
        for _ in 0..<count {
            let start = reader.offset
            let tag = try reader.readByte()
            guard let section = all.first(where: { $0.tag == tag }) else {
                throw BinaryDecodingError(offset: start, reason: "snapshot section \(tag) is unknown to this build")
            }
            guard seen.insert(tag).inserted else { throw BinaryDecodingError(offset: start, reason: "snapshot section \(tag) twice") }
            let bytes = try reader.readBytes()
            try BinaryReader.read(bytes) { (inner) throws(BinaryDecodingError) in try section.decode(&inner, into: &image) }
        }
    }
}
