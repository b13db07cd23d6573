import BookingCore
import Foundation

/// The bytes a snapshot holds before compression: a `StateImage` (the whole state with the LSN
/// each part reflects). The snapshot header's format version says which encoding:
///
/// - version 1: sorted-key JSON (`Codable`), written by earlier builds; still read;
/// - version 2: the binary encoding of `StateImage+Binary.swift`; still read;
/// - version 3: the version 2 body followed by the sections of the parts added since
///   (`SnapshotSection`), written by this build.
public enum SnapshotPayload {
    /// The payload version this build writes (the snapshot header's format version).
    public static let writtenVersion: UInt32 = 3

    /// The payload of version `writtenVersion` for `image`.
    public static func encode(_ image: StateImage) -> [UInt8] {
        let appointments = image.state.calendars.values.reduce(0) { $0 + $1.appointments.count }
        var writer = BinaryWriter(capacity: 4096 + 48 * appointments)
        writer.write(image)
        SnapshotSections.write(image, to: &writer)
        return writer.bytes
    }

    /// The image in a payload of format `version`.
    public static func decode(_ bytes: [UInt8], version: UInt32) throws -> StateImage {
        switch version {
        case 1: try JSONDecoder().decode(StateImage.self, from: Data(bytes))
        case 2: try BinaryReader.read(bytes) { (reader) throws(BinaryDecodingError) in try reader.readStateImage() }
        case 3:
            try BinaryReader.read(bytes) { (reader) throws(BinaryDecodingError) in
                var image = try reader.readStateImage()
                try SnapshotSections.read(&reader, into: &image)
                return image
            }
        default: throw BinaryDecodingError(offset: 0, reason: "snapshot payload version \(version) is unknown to this build")
        }
    }
}
