/// A log that cannot be read as written: a damaged record with intact ones after it, damage in a
/// segment that is not the last, a gap or repeat in the LSNs, a format version this build does not
/// read, or records missing that the caller needs. Never a torn tail: that is repaired, not refused.
///
/// Recovery stops on it: silently dropping the records after the damage would lose acknowledged
/// changes. The message names the file and the byte offset for the operator.
public struct LogCorruption: Error, Equatable, CustomStringConvertible {
    public var path: String
    public var offset: Int
    public var reason: String

    public init(path: String, offset: Int, reason: String) {
        self.path = path
        self.offset = offset
        self.reason = reason
    }

    public var description: String { "\(path) at byte \(offset): \(reason)" }
}
