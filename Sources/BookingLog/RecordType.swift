/// What a log record's payload holds and how it is encoded; byte 4 of the record frame.
///
/// A new encoding gets a new case and number; a number is never reused for another encoding, so
/// a log written by any version stays readable.
public enum RecordType: UInt8, Sendable {
    /// The changes of one request: a JSON array of `ShopChange`, written with sorted keys.
    case changesJSON = 1
}
