/// Bytes that are not a valid binary payload (record type 2, snapshot payload version 2): cut
/// short, a count larger than the bytes left could hold, an unknown tag, an integer out of range,
/// invalid UTF-8, bytes left over, or values that do not make a valid state.
public struct BinaryDecodingError: Error, Equatable, CustomStringConvertible {
    /// The payload offset at which reading failed.
    public var offset: Int
    public var reason: String

    public init(offset: Int, reason: String) {
        self.offset = offset
        self.reason = reason
    }

    public var description: String { "binary payload, byte \(offset): \(reason)" }
}
