/// What a log record's payload holds and how it is encoded; byte 4 of the record frame.
///
/// A new encoding gets a new case and number; a number is never reused for another encoding, so
/// a log written by any version stays readable.
public enum RecordType: UInt8, Sendable {
    /// The changes of one request: a JSON array of `ShopChange`, written with sorted keys.
    /// Written up to format version 1; still read.
    case changesJSON = 1
    /// The changes of one request in the binary encoding (`ShopChange+Binary.swift`).
    case changesBinary = 2

    /// The type this build writes.
    public static let written = RecordType.changesBinary
}
