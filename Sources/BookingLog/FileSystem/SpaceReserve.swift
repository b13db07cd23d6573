/// The free space the server keeps in its data directory's file system (`--disk-reserve`).
///
/// Below it the server is read-only: it refuses changes before the disk is full, so the log
/// never meets a full disk halfway through a write (which stops the process, see `LogWriter`).
/// The default, 256 MiB, holds a snapshot of a large shop plus a whole log segment (64 MiB).
public struct SpaceReserve: Sendable, Equatable, CustomStringConvertible {
    public var bytes: Int

    public static let `default` = SpaceReserve(bytes: 256 << 20)

    /// Binary units the parser accepts after a number, by their shift.
    static let units: [(suffix: String, shift: Int)] = [("TiB", 40), ("GiB", 30), ("MiB", 20), ("KiB", 10), ("B", 0)]

    public init(bytes: Int) {
        precondition(bytes >= 0, "a space reserve cannot be negative")
        self.bytes = bytes
    }

    /// `256MiB`, `1GiB`, `512KiB`, `100B` or a plain count of bytes (`268435456`); units are
    /// binary and case-insensitive. Nil for anything else, or a size too large to count.
    public init?(parsing text: String) {
        let trimmed = text.trimmingWhitespace
        let unit = Self.units.first { trimmed.lowercased().hasSuffix($0.suffix.lowercased()) }
        let number = trimmed.dropLast(unit?.suffix.count ?? 0).trimmingWhitespace
        guard !number.isEmpty, number.allSatisfy(\.isASCII), let count = Int(number), count >= 0 else { return nil }
        let (bytes, overflow) = count.multipliedReportingOverflow(by: 1 << (unit?.shift ?? 0))
        guard !overflow else { return nil }
        self.init(bytes: bytes)
    }

    /// True when `availableBytes` is below the reserve: the server must not write.
    public func isShort(availableBytes: Int) -> Bool { availableBytes < bytes }

    /// The largest unit that divides the reserve exactly: `256MiB`, `1500B`.
    public var description: String {
        let unit = Self.units.first { bytes != 0 && bytes % (1 << $0.shift) == 0 } ?? ("B", 0)
        return "\(bytes >> unit.shift)\(unit.suffix)"
    }
}

extension StringProtocol {
    fileprivate var trimmingWhitespace: String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
