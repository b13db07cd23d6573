/// Parsing and printing of RFC 3339 instants as the contract uses them.
///
/// Parsing is strict, on purpose: Foundation's ISO 8601 parser on Linux rolls impossible dates
/// over (`2027-02-30` becomes March 2nd) and ignores trailing characters, which would book a day
/// nobody asked for. So the fixed layout `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` is read here,
/// every field range-checked, and fractions truncated to whole seconds.
/// Printing uses a fixed offset in seconds (the shop's offset at that instant) and always prints
/// `±HH:MM`, so a UTC shop answers `+00:00`. Only instants in `supported` are accepted.
public enum RFC3339 {
    /// The instant written in `text`, or nil when it is not an RFC 3339 date-time with an offset.
    public static func parse(_ text: some StringProtocol) -> Instant? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, bytes.count <= 64 else { return nil }
        func number(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[from..<from + count] {
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        func byte(_ at: Int, is expected: Character) -> Bool {
            at < bytes.count && bytes[at] == expected.asciiValue!
        }
        guard let year = number(0, 4), byte(4, is: "-"), let month = number(5, 2), byte(7, is: "-"),
            let day = number(8, 2), byte(10, is: "T") || byte(10, is: "t") || byte(10, is: " "),
            let hour = number(11, 2), byte(13, is: ":"), let minute = number(14, 2), byte(16, is: ":"),
            let second = number(17, 2),
            (1...12).contains(month), day >= 1, day <= CivilDate.daysInMonth(year: year, month: month),
            hour < 24, minute < 60, second < 60
        else { return nil }
        var index = 19
        if byte(index, is: ".") {
            index += 1
            let digitsStart = index
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 { index += 1 }
            guard index > digitsStart else { return nil }
        }
        var offset = 0
        if byte(index, is: "Z") || byte(index, is: "z") {
            index += 1
        } else if byte(index, is: "+") || byte(index, is: "-") {
            guard let offsetHours = number(index + 1, 2), byte(index + 3, is: ":"), let offsetMinutes = number(index + 4, 2),
                offsetHours < 24, offsetMinutes < 60
            else { return nil }
            offset = (offsetHours * 3600 + offsetMinutes * 60) * (byte(index, is: "-") ? -1 : 1)
            index += 6
        } else {
            return nil
        }
        guard index == bytes.count else { return nil }
        let days = Int64(CivilDate(year: year, month: month, day: day).daysSinceEpoch)
        let instant = Instant(seconds: days * 86_400 + Int64(hour * 3600 + minute * 60 + second - offset))
        return supported.contains(instant) ? instant : nil
    }

    /// Instants from 1900-01-01 up to 9000-01-01 UTC: printed with any offset of less than a day
    /// they keep a four-digit year and parse again.
    public static let supported = Instant(seconds: -2_208_988_800)..<Instant(seconds: 221_845_392_000)

    /// `instant` written with the given UTC offset, e.g. `2027-03-15T09:00:00-04:00`.
    public static func format(_ instant: Instant, offsetSeconds: Int) -> String {
        String(unsafeUninitializedCapacity: formattedLength) { buffer in
            write(instant, offsetSeconds: offsetSeconds, into: UnsafeMutableRawBufferPointer(buffer))
        }
    }

    /// The length of every `format` answer for an instant in `supported`.
    public static let formattedLength = 25

    /// Writes `format(instant, offsetSeconds:)` into the first `formattedLength` bytes of
    /// `buffer` (which must hold them) and returns that length: for answers that write many
    /// times into one buffer (the slots of a day) without a `String` per time.
    @discardableResult
    public static func write(_ instant: Instant, offsetSeconds: Int, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        precondition(buffer.count >= formattedLength)
        let local = instant.seconds + Int64(offsetSeconds)
        let days = floorDiv(local, 86_400)
        let secondOfDay = Int(local - days * 86_400)
        let civil = CivilDate(daysSinceEpoch: Int(days))
        let magnitude = abs(offsetSeconds)
        func put(_ value: Int, _ width: Int, at position: Int) {
            var value = value
            for index in stride(from: position + width - 1, through: position, by: -1) {
                buffer[index] = UInt8(48 + value % 10)
                value /= 10
            }
        }
        put(civil.year, 4, at: 0)
        buffer[4] = UInt8(ascii: "-")
        put(civil.month, 2, at: 5)
        buffer[7] = UInt8(ascii: "-")
        put(civil.day, 2, at: 8)
        buffer[10] = UInt8(ascii: "T")
        put(secondOfDay / 3600, 2, at: 11)
        buffer[13] = UInt8(ascii: ":")
        put(secondOfDay / 60 % 60, 2, at: 14)
        buffer[16] = UInt8(ascii: ":")
        put(secondOfDay % 60, 2, at: 17)
        buffer[19] = offsetSeconds < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+")
        put(magnitude / 3600, 2, at: 20)
        buffer[22] = UInt8(ascii: ":")
        put(magnitude / 60 % 60, 2, at: 23)
        return formattedLength
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }
}
