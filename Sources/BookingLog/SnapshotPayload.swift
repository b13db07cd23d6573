import BookingCore
import Foundation

/// The bytes a snapshot holds before compression: a `StateImage` (the whole state with the LSN
/// each part reflects) as sorted-key JSON, version 1 of the payload.
public enum SnapshotPayload {
    public static func encode(_ image: StateImage) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        do {
            return Array(try encoder.encode(image))
        } catch {
            preconditionFailure("a state image does not encode: \(error)")
        }
    }

    public static func decode(_ bytes: [UInt8]) throws -> StateImage {
        try JSONDecoder().decode(StateImage.self, from: Data(bytes))
    }
}
