import Foundation

/// The mail a client gets about one appointment: a confirmation, a notice of a move or of a
/// cancellation, or a reminder, in words (the shop, the service, the barber, the time in the
/// shop's time zone with the zone named) and as an iTIP invitation (`.ics`, the same `UID` as the
/// appointment's feed entry: `METHOD:REQUEST`, or `METHOD:CANCEL` with `STATUS:CANCELLED`).
public struct AppointmentMail: Sendable {
    public var kind: MailKind
    /// The appointment as the mail reports it (as it stood after the event, or now for a reminder).
    public var appointment: Appointment
    /// Its revision then: the invitation's SEQUENCE and DTSTAMP.
    public var revision: AppointmentRevision
    public var shopName: String
    public var serviceName: String
    public var barberName: String
    public var client: MailMessage.Mailbox
    public var sender: MailAddress
    public var shopTime: ShopTime
    /// The `Date` of the mail.
    public var now: Instant

    public init(
        kind: MailKind, appointment: Appointment, revision: AppointmentRevision, shopName: String, serviceName: String,
        barberName: String, client: MailMessage.Mailbox, sender: MailAddress, shopTime: ShopTime, now: Instant
    ) {
        self.kind = kind
        self.appointment = appointment
        self.revision = revision
        self.shopName = shopName
        self.serviceName = serviceName
        self.barberName = barberName
        self.client = client
        self.sender = sender
        self.shopTime = shopTime
        self.now = now
    }

    public var message: MailMessage {
        let what = serviceName + " with " + barberName
        let when = Self.describe(appointment, in: shopTime)
        let (subjectWord, lead): (String, String) =
            switch kind {
            case .confirmation: ("Booked", "your appointment at \(shopName) is booked:")
            case .rescheduled: ("Moved", "your appointment at \(shopName) has moved to a new time:")
            case .cancellation: ("Cancelled", "your appointment at \(shopName) is cancelled:")
            case .reminder: ("Reminder", "a reminder of your appointment at \(shopName):")
            }
        let closing =
            switch kind {
            case .cancellation: "The attached calendar update removes it from your calendar."
            default: "The attached invitation puts it in your calendar."
            }
        var details = [what, when]
        if case .cancellation = kind, let reason = appointment.cancelReason, !reason.isEmpty { details.append("Reason: " + reason) }

        let text = (["Hello \(client.name),", "", lead, ""] + details.map { "  " + $0 } + ["", closing, "", shopName])
            .joined(separator: "\n") + "\n"
        let html = """
            <!DOCTYPE html>
            <html><head><meta charset="utf-8"><title>\(Self.escape(subjectWord + ": " + what))</title></head>
            <body>
            <p>Hello \(Self.escape(client.name)),</p>
            <p>\(Self.escape(lead))</p>
            <p><strong>\(Self.escape(what))</strong><br>\(details.dropFirst().map(Self.escape).joined(separator: "<br>"))</p>
            <p>\(Self.escape(closing))</p>
            <p>\(Self.escape(shopName))</p>
            </body></html>

            """
        let method = kind == .cancellation ? "CANCEL" : "REQUEST"
        let from = MailMessage.Mailbox(name: shopName, address: sender)
        let calendar = ICalendar(
            name: shopName, method: method,
            entries: [
                ICalendar.Entry(
                    appointment: appointment, summary: what, revision: revision, location: shopName, organizer: from,
                    attendee: client)
            ])
        return MailMessage(
            from: from, to: client, subject: subjectWord + ": " + what + ", " + Self.day(appointment.start, in: shopTime), date: now,
            messageID: kind.messageIDLocalPart(appointment: appointment.id) + "@" + sender.domain, text: text, html: html,
            attachment: MailMessage.Attachment(
                contentType: "text/calendar; charset=UTF-8; method=\(method)", filename: "appointment.ics",
                bytes: Array(calendar.text.utf8)))
    }

    static let weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    static let months = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December",
    ]

    /// `Tuesday 2 March 2027, 09:00–09:45 (America/New_York, EST)`: shop-local, the zone named.
    static func describe(_ appointment: Appointment, in shopTime: ShopTime) -> String {
        let day = shopTime.localDate(of: appointment.start)
        let weekday = weekdays[Weekday.allCases.firstIndex(of: day.weekday)!]
        var zone = shopTime.identifier
        if let abbreviation = shopTime.timeZone.abbreviation(for: appointment.start.date), abbreviation != zone {
            zone += ", " + abbreviation
        }
        return "\(weekday) \(day.day) \(months[day.month - 1]) \(day.year), "
            + "\(localTime(appointment.start, shopTime))–\(localTime(appointment.end, shopTime)) (\(zone))"
    }

    /// `Tuesday 2 March 2027 at 09:00`, shop-local, for the subject line.
    static func day(_ instant: Instant, in shopTime: ShopTime) -> String {
        let day = shopTime.localDate(of: instant)
        return "\(weekdays[Weekday.allCases.firstIndex(of: day.weekday)!]) \(day.day) \(months[day.month - 1]) \(day.year) at "
            + localTime(instant, shopTime)
    }

    static func localTime(_ instant: Instant, _ shopTime: ShopTime) -> String {
        let local = instant.seconds + Int64(shopTime.offsetSeconds(at: instant))
        let minutes = Int(local - RFC3339.floorDiv(local, 86_400) * 86_400) / 60
        return TimeOfDay(minutes: minutes).description
    }

    /// Text for HTML: `& < > " '` as character references.
    static func escape(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }
}
