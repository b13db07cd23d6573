import BookingCore
import Foundation

/// One record read back from the log: its LSN, when it was appended, its type and its verified
/// payload bytes.
public struct LogRecord: Sendable, Equatable {
    public var lsn: LSN
    /// The writer's clock when the record was appended; never decreases along LSNs within one run
    /// of the writer (for `replay --until`).
    public var appendedAt: Instant
    public var type: RecordType
    public var payload: [UInt8]

    public init(lsn: LSN, appendedAt: Instant, type: RecordType, payload: [UInt8]) {
        self.lsn = lsn
        self.appendedAt = appendedAt
        self.type = type
        self.payload = payload
    }

    /// The changes the record holds, to apply in order and all together.
    public func changes() throws -> [ShopChange] {
        switch type {
        case .changesJSON: try JSONDecoder().decode([ShopChange].self, from: Data(payload))
        case .changesBinary: try BinaryReader.read(payload) { (reader) throws(BinaryDecodingError) in try reader.readChanges() }
        }
    }

    /// The payload of a record of type `RecordType.written` holding `changes`. The same changes
    /// always give the same bytes.
    public static func changesPayload(_ changes: [ShopChange]) -> [UInt8] {
        var writer = BinaryWriter(capacity: 64 * changes.count)
        writer.write(changes)
        return writer.bytes
    }
}
