import BookingCore

/// One appointment as an iCalendar file (RFC 5545) for "add to calendar": CRLF line ends, lines
/// folded at 75 octets, text values escaped, a `UID` stable per appointment, times in UTC.
struct CalendarFile {
    var appointment: Appointment
    var serviceName: String
    var barberName: String
    var shopName: String
    var now: Instant

    var text: String {
        var lines = [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//BookedBarber//Web//EN", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
            "BEGIN:VEVENT",
            "UID:appointment-\(appointment.id)@bookedbarber",
            "DTSTAMP:\(Self.utc(now))",
            "DTSTART:\(Self.utc(appointment.start))",
            "DTEND:\(Self.utc(appointment.end))",
            "SUMMARY:\(Self.escape("\(serviceName) with \(barberName)"))",
            "LOCATION:\(Self.escape(shopName))",
            "STATUS:\(appointment.status == .cancelled ? "CANCELLED" : "CONFIRMED")",
        ]
        if let notes = appointment.notes, !notes.isEmpty { lines.append("DESCRIPTION:\(Self.escape(notes))") }
        lines += ["END:VEVENT", "END:VCALENDAR"]
        return lines.map(Self.fold).joined(separator: "\r\n") + "\r\n"
    }

    /// `20270302T143000Z`
    static func utc(_ instant: Instant) -> String {
        // `2027-03-02T14:30:00+00:00` without its separators and offset.
        String(RFC3339.format(instant, offsetSeconds: 0).prefix(19).filter { $0 != "-" && $0 != ":" }) + "Z"
    }

    /// TEXT escaping of RFC 5545 §3.3.11.
    static func escape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "\\": escaped += "\\\\"
            case ";": escaped += "\\;"
            case ",": escaped += "\\,"
            case "\n", "\r\n": escaped += "\\n"
            case "\r": continue
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// Folds a content line into lines of at most 75 octets, never inside a UTF-8 sequence.
    static func fold(_ line: String) -> String {
        var result = ""
        var width = 0
        for character in line {
            let octets = String(character).utf8.count
            if width + octets > 75 {
                result += "\r\n "
                width = 1
            }
            result.append(character)
            width += octets
        }
        return result
    }
}
