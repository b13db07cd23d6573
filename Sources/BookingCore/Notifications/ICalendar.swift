/// An RFC 5545 calendar of appointments, as text: CRLF line ends, content lines folded at 75
/// octets (never inside a UTF-8 sequence), TEXT values escaped (`\\`, `;`, `,`, newlines), times
/// in UTC, one `VEVENT` per appointment with a stable `UID`, a `SEQUENCE` that grows with each
/// change and `STATUS` `CONFIRMED` or `CANCELLED`.
public struct ICalendar: Sendable {
    /// One appointment with what the feed says about it.
    public struct Entry: Sendable {
        public var appointment: Appointment
        public var summary: String
        public var description: String?
        public var revision: AppointmentRevision?
        /// `LOCATION`, and for an iTIP message (a mailed invitation) its `ORGANIZER` (the shop's
        /// sender) and `ATTENDEE` (the client), which RFC 5546 asks of a REQUEST and a CANCEL.
        public var location: String?
        public var organizer: MailMessage.Mailbox?
        public var attendee: MailMessage.Mailbox?

        public init(
            appointment: Appointment, summary: String, description: String? = nil, revision: AppointmentRevision?,
            location: String? = nil, organizer: MailMessage.Mailbox? = nil, attendee: MailMessage.Mailbox? = nil
        ) {
            self.appointment = appointment
            self.summary = summary
            self.description = description
            self.revision = revision
            self.location = location
            self.organizer = organizer
            self.attendee = attendee
        }
    }

    public var name: String
    /// `METHOD` of an iTIP message (`REQUEST`, `CANCEL`), nil for a subscribed feed.
    public var method: String?
    public var entries: [Entry]
    /// The host part of each `UID`.
    public var domain: String

    public init(name: String, method: String? = nil, entries: [Entry], domain: String = "bookedbarber") {
        self.name = name
        self.method = method
        self.entries = entries
        self.domain = domain
    }

    public var text: String {
        var lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//BookedBarber//Calendar feed//EN", "CALSCALE:GREGORIAN"]
        if let method { lines.append("METHOD:\(method)") }
        lines.append("X-WR-CALNAME:" + Self.escape(name))
        for entry in entries {
            let appointment = entry.appointment
            let cancelled = appointment.status == .cancelled
            lines += [
                "BEGIN:VEVENT",
                "UID:appointment-\(appointment.id)@\(domain)",
                "DTSTAMP:" + Self.utc(entry.revision?.changedAt ?? appointment.createdAt),
                "DTSTART:" + Self.utc(appointment.start),
                "DTEND:" + Self.utc(appointment.end),
                "SEQUENCE:\(entry.revision?.sequence ?? 0)",
                "SUMMARY:" + Self.escape(entry.summary),
                "STATUS:" + (cancelled ? "CANCELLED" : "CONFIRMED"),
                "TRANSP:" + (cancelled ? "TRANSPARENT" : "OPAQUE"),
            ]
            if let description = entry.description { lines.append("DESCRIPTION:" + Self.escape(description)) }
            if let location = entry.location { lines.append("LOCATION:" + Self.escape(location)) }
            if let organizer = entry.organizer { lines.append("ORGANIZER;CN=" + Self.parameter(organizer.name) + ":mailto:\(organizer.address)") }
            if let attendee = entry.attendee {
                lines.append(
                    "ATTENDEE;CN=" + Self.parameter(attendee.name) + ";ROLE=REQ-PARTICIPANT"
                        + (cancelled ? "" : ";PARTSTAT=ACCEPTED") + ":mailto:\(attendee.address)")
            }
            lines.append("END:VEVENT")
        }
        lines.append("END:VCALENDAR")
        return lines.map(Self.fold).joined()
    }

    /// `YYYYMMDDTHHMMSSZ`.
    static func utc(_ instant: Instant) -> String {
        let seconds = instant.seconds
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let date = CivilDate(daysSinceEpoch: Int(days))
        let rest = Int(seconds - days * 86_400)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let year = String(date.year)
        return String(repeating: "0", count: max(0, 4 - year.count)) + year + two(date.month) + two(date.day)
            + "T" + two(rest / 3600) + two(rest / 60 % 60) + two(rest % 60) + "Z"
    }

    /// A TEXT value: backslash, semicolon and comma escaped, line breaks as `\n`.
    static func escape(_ text: String) -> String {
        var result = ""
        var previousWasReturn = false
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case ";": result += "\\;"
            case ",": result += "\\,"
            case "\r": result += "\\n"
            case "\n": if !previousWasReturn { result += "\\n" }
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { result += " " } else { result.unicodeScalars.append(scalar) }
            }
            previousWasReturn = scalar == "\r"
        }
        return result
    }

    /// A parameter value (RFC 5545 3.2): always quoted, so `:;,` need no escaping; the double
    /// quotes and control characters it cannot hold become spaces.
    static func parameter(_ text: String) -> String {
        "\"" + String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
            scalar == "\"" || scalar.value < 0x20 || scalar.value == 0x7F ? " " : scalar
        })) + "\""
    }

    /// A content line with CRLF, folded so no line is longer than 75 octets: a fold is CRLF and
    /// one space, placed before a character, never inside one.
    static func fold(_ line: String) -> String {
        var result = ""
        var octets = 0
        for character in line {
            let size = character.utf8.count
            if octets + size > 75 {
                result += "\r\n "
                octets = 1
            }
            result.append(character)
            octets += size
        }
        return result + "\r\n"
    }
}
