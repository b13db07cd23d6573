/// Why parts read back from a snapshot do not make a valid state: an overlap of live
/// appointments, a duplicate id, an appointment filed under another barber, settings that break
/// their own rules. A snapshot that verified its checksums never holds one unless a bug wrote it;
/// the restoring initializers check anyway, so damaged input is an error and never a trap.
public struct StateInconsistency: Error, Equatable, CustomStringConvertible {
    public var reason: String

    public init(_ reason: String) { self.reason = reason }

    public var description: String { reason }
}
