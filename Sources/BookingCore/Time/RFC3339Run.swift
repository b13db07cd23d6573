/// Writes `RFC3339.format` answers one after another, as an answer listing many times does (the
/// slots of a day): when a time falls on the same local day with the same offset as the one
/// before, it reuses that time's date and offset text and writes only the six digits of
/// `HH:MM:SS`, instead of converting the day to a civil date and writing all nineteen digits.
///
/// Invariant: every write yields exactly the bytes of `RFC3339.format(instant, offsetSeconds:)`
/// (checked against it for random runs of times, across midnights, offset changes and 1970, by
/// `TimeFormatsTests`).
public struct RFC3339Run {
    /// The previous answer, and the local day number and offset it was written for.
    private var previous = [UInt8](repeating: 0, count: RFC3339.formattedLength)
    private var previousDay = Int64.min
    private var previousOffset = Int.min

    public init() {}

    /// Writes `RFC3339.format(instant, offsetSeconds:)` into the first `RFC3339.formattedLength`
    /// bytes of `buffer` (which must hold them) and returns that length.
    @discardableResult
    public mutating func write(_ instant: Instant, offsetSeconds: Int, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        precondition(buffer.count >= RFC3339.formattedLength)
        let local = instant.seconds + Int64(offsetSeconds)
        let day = RFC3339.floorDiv(local, 86_400)
        if day != previousDay || offsetSeconds != previousOffset {
            previous.withUnsafeMutableBytes { _ = RFC3339.write(instant, offsetSeconds: offsetSeconds, into: $0) }
            previousDay = day
            previousOffset = offsetSeconds
        } else {
            let secondOfDay = Int(local - day * 86_400)
            previous.withUnsafeMutableBufferPointer { text in
                func put(_ value: Int, at position: Int) {
                    text[position] = UInt8(48 + value / 10)
                    text[position + 1] = UInt8(48 + value % 10)
                }
                put(secondOfDay / 3600, at: 11)
                put(secondOfDay / 60 % 60, at: 14)
                put(secondOfDay % 60, at: 17)
            }
        }
        previous.withUnsafeBytes { buffer.copyMemory(from: $0) }
        return RFC3339.formattedLength
    }
}
