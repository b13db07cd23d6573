import Foundation
import Testing

@testable import BookingCore

/// The mail composer: the headers a sendmail program and a mail client need, the MIME structure
/// (mixed of alternative text/html, and the .ics), base64 parts, RFC 2047 for non-ASCII headers,
/// no header injection through names, escaped HTML, a stable Message-ID, the iTIP METHOD.
@Suite struct MailMessageTests {
    static let newYork = ShopTime(identifier: "America/New_York")!
    static let sender = MailAddress("bookings@clip.example")!

    static func appointment(status: AppointmentStatus = .confirmed, reason: String? = nil) -> Appointment {
        Appointment(
            id: 42, barberID: 3, clientID: 7, serviceID: 2, start: RFC3339.parse("2027-03-02T09:00:00-05:00")!,
            end: RFC3339.parse("2027-03-02T09:45:00-05:00")!, status: status, priceCents: 2500, notes: nil,
            createdAt: RFC3339.parse("2027-02-01T10:00:00Z")!, cancelReason: reason)
    }

    static func mail(
        _ kind: MailKind, client: String = "Ana Díaz", service: String = "Haircut", shop: String = "Clip & Co", status: AppointmentStatus = .confirmed,
        reason: String? = nil, sequence: Int = 0, now: Instant = RFC3339.parse("2027-02-01T10:00:05Z")!
    ) -> MailMessage {
        AppointmentMail(
            kind: kind, appointment: appointment(status: status, reason: reason),
            revision: AppointmentRevision(sequence: sequence, changedAt: RFC3339.parse("2027-02-01T10:00:00Z")!), shopName: shop,
            serviceName: service, barberName: "Sam", client: MailMessage.Mailbox(name: client, address: MailAddress("ana@py.test")!),
            sender: sender, shopTime: newYork, now: now
        ).message
    }

    /// A rendered message split into its header block (unfolded) and the parts' decoded bodies.
    struct Parsed {
        var headers: [(name: String, value: String)] = []
        var parts: [(headers: [String], body: [UInt8])] = []

        init(_ text: String) {
            let (head, body) = text.range(of: "\r\n\r\n").map { (String(text[..<$0.lowerBound]), String(text[$0.upperBound...])) } ?? (text, "")
            for line in head.replacingOccurrences(of: "\r\n ", with: " ").components(separatedBy: "\r\n") {
                let colon = line.firstIndex(of: ":")!
                headers.append((String(line[..<colon]), String(line[line.index(colon, offsetBy: 2)...])))
            }
            for chunk in body.components(separatedBy: "\r\n--").dropFirst() where !chunk.hasPrefix(MailMessage.mixedBoundary + "--") {
                let lines = chunk.components(separatedBy: "\r\n").dropFirst()
                guard let blank = lines.firstIndex(of: "") else { continue }
                let partHeaders = Array(lines[..<blank])
                guard partHeaders.contains("Content-Transfer-Encoding: base64") else { continue }
                let data = Data(base64Encoded: lines[(blank + 1)...].joined())!
                parts.append((partHeaders, Array(data)))
            }
        }

        func header(_ name: String) -> String? { headers.first { $0.name == name }?.value }
        func part(_ type: String) -> String? {
            parts.first { $0.headers.contains { $0.hasPrefix("Content-Type: " + type) } }.map { String(decoding: $0.body, as: UTF8.self) }
        }
    }

    /// Decodes the RFC 2047 "B" encoded-words of a header value (joined by folding white space).
    static func decodeWords(_ value: String) -> String {
        let words = value.split(separator: " ").map(String.init)
        var result: [UInt8] = []
        for word in words {
            #expect(word.hasPrefix("=?UTF-8?B?") && word.hasSuffix("?="), "\(word)")
            #expect(word.count <= 68)
            result += Data(base64Encoded: String(word.dropFirst(10).dropLast(2)))!
        }
        return String(decoding: result, as: UTF8.self)
    }

    @Test func aConfirmationHasTheHeadersAndPartsOfTheContract() throws {
        let text = Self.mail(.confirmation).rendered()
        let parsed = Parsed(text)
        #expect(parsed.header("From") == "\"Clip & Co\" <bookings@clip.example>")
        #expect(parsed.header("To")?.hasSuffix(" <ana@py.test>") == true)
        #expect(parsed.header("Date") == "Mon, 01 Feb 2027 10:00:05 +0000")
        #expect(parsed.header("Message-ID") == "<apt-42.confirmation@clip.example>")
        #expect(parsed.header("MIME-Version") == "1.0")
        #expect(parsed.header("Content-Type") == "multipart/mixed; boundary=\"=_BookedBarber_mixed\"")
        #expect(parsed.header("Subject") == "Booked: Haircut with Sam, Tuesday 2 March 2027 at 09:00")
        #expect(text.contains("\r\nContent-Type: multipart/alternative; boundary=\"=_BookedBarber_alternative\"\r\n"))
        let plain = try #require(parsed.part("text/plain; charset=UTF-8"))
        #expect(plain.contains("Hello Ana Díaz,"))
        #expect(plain.contains("Haircut with Sam"))
        #expect(plain.contains("Tuesday 2 March 2027, 09:00–09:45 (America/New_York"))
        #expect(plain.contains("Clip & Co"))
        let html = try #require(parsed.part("text/html; charset=UTF-8"))
        #expect(html.contains("Clip &amp; Co"))
        let calendar = try #require(parsed.part("text/calendar; charset=UTF-8; method=REQUEST"))
        #expect(calendar.contains("\r\nMETHOD:REQUEST\r\n"))
        #expect(calendar.contains("\r\nUID:appointment-42@bookedbarber\r\n"), "the UID of the appointment's feed entry")
        #expect(calendar.contains("\r\nSEQUENCE:0\r\n"))
        #expect(calendar.contains("\r\nSTATUS:CONFIRMED\r\n"))
        #expect(calendar.contains("\r\nDTSTART:20270302T140000Z\r\n"))
        #expect(calendar.contains("\r\nORGANIZER;CN=\"Clip & Co\":mailto:bookings@clip.example\r\n"))
        #expect(text.contains("Content-Disposition: attachment; filename=\"appointment.ics\"\r\n"))
        #expect(parsed.parts.count == 3)
        #expect(text.hasSuffix("--=_BookedBarber_mixed--\r\n"))
    }

    @Test func crlfAndLFRenderingsHaveNoStrayLineEnds() {
        let message = Self.mail(.confirmation)
        let crlf = message.rendered()
        #expect(!crlf.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        #expect(!crlf.replacingOccurrences(of: "\r\n", with: "").contains("\r"))
        let lf = message.rendered(lineEnding: "\n")
        #expect(!lf.contains("\r"))
        #expect(lf == crlf.replacingOccurrences(of: "\r\n", with: "\n"))
        for line in crlf.components(separatedBy: "\r\n") { #expect(line.utf8.count <= 78, "\(line)") }
    }

    @Test func rescheduleAndCancellationCarryTheirMethodSequenceAndStatus() throws {
        let moved = Parsed(Self.mail(.rescheduled(revision: 2), sequence: 2).rendered())
        #expect(moved.header("Message-ID") == "<apt-42.rescheduled.2@clip.example>")
        let request = try #require(moved.part("text/calendar; charset=UTF-8; method=REQUEST"))
        #expect(request.contains("\r\nSEQUENCE:2\r\n") && request.contains("\r\nMETHOD:REQUEST\r\n"))
        #expect(moved.part("text/plain")?.contains("has moved") == true)

        let cancelled = Parsed(Self.mail(.cancellation, status: .cancelled, reason: "ill", sequence: 3).rendered())
        #expect(cancelled.header("Message-ID") == "<apt-42.cancellation@clip.example>")
        let cancel = try #require(cancelled.part("text/calendar; charset=UTF-8; method=CANCEL"))
        #expect(cancel.contains("\r\nMETHOD:CANCEL\r\n") && cancel.contains("\r\nSTATUS:CANCELLED\r\n") && cancel.contains("\r\nSEQUENCE:3\r\n"))
        #expect(cancelled.part("text/plain")?.contains("Reason: ill") == true)
    }

    @Test func theMessageIDIsStablePerAppointmentAndKind() {
        let start = RFC3339.parse("2027-03-02T14:00:00Z")!
        let first = Self.mail(.reminder(offset: 7_200, start: start), now: Instant(seconds: 1))
        let again = Self.mail(.reminder(offset: 7_200, start: start), now: Instant(seconds: 999))
        #expect(first.messageID == again.messageID)
        #expect(first.messageID == "apt-42.reminder.7200s.\(start.seconds)@clip.example")
        let ids = [
            Self.mail(.confirmation), Self.mail(.rescheduled(revision: 1)), Self.mail(.rescheduled(revision: 2)), Self.mail(.cancellation),
            first, Self.mail(.reminder(offset: 86_400, start: start)), Self.mail(.reminder(offset: 7_200, start: start.adding(seconds: 3600))),
        ].map(\.messageID)
        #expect(Set(ids).count == ids.count)
    }

    @Test func nonASCIIHeadersAreEncodedWordsThatDecodeBack() {
        let parsed = Parsed(Self.mail(.confirmation, client: "Zoë Ünal-Øster 💈", service: "Coupe · Rasage à l’ancienne").rendered())
        let to = parsed.header("To")!
        #expect(to.hasSuffix(" <ana@py.test>"))
        #expect(Self.decodeWords(String(to.dropLast(" <ana@py.test>".count))) == "Zoë Ünal-Øster 💈")
        #expect(Self.decodeWords(parsed.header("Subject")!).hasPrefix("Booked: Coupe · Rasage à l’ancienne with Sam, "))
    }

    @Test func encodedWordsNeverSplitACharacterAndStayWithin75() {
        let long = String(repeating: "ü💈", count: 40)
        let encoded = MailMessage.encodedWords(long).replacingOccurrences(of: MailMessage.fold, with: " ")
        #expect(encoded.split(separator: " ").count > 1)
        #expect(Self.decodeWords(encoded) == long)
        for word in encoded.split(separator: " ") {
            let bytes = Data(base64Encoded: String(word.dropFirst(10).dropLast(2)))!
            #expect(String(data: bytes, encoding: .utf8) != nil, "each word holds whole characters")
        }
    }

    @Test func namesCannotInjectHeadersOrRecipients() {
        let evil = "Eve\r\nBcc: victim@x.test\r\n\r\nbody"
        let text = Self.mail(.confirmation, client: evil, service: "Cut\nX-Injected: 1", shop: "Shop\r\nReply-To: a@b.test").rendered()
        let head = String(text[..<text.range(of: "\r\n\r\n")!.lowerBound])
        let names = head.components(separatedBy: "\r\n").filter { !$0.hasPrefix(" ") }.map { $0.prefix { $0 != ":" } }
        #expect(names == ["From", "To", "Subject", "Date", "Message-ID", "MIME-Version", "Auto-Submitted", "Content-Type"])
        #expect(Parsed(text).header("To") == "\"Eve  Bcc: victim@x.test    body\" <ana@py.test>")
    }

    @Test func quotesAndBackslashesInANameAreEscapedInTheQuotedString() {
        let parsed = Parsed(Self.mail(.confirmation, client: "Al \"The Blade\" \\ Co").rendered())
        #expect(parsed.header("To") == "\"Al \\\"The Blade\\\" \\\\ Co\" <ana@py.test>")
    }

    @Test func everyUserValueIsEscapedInTheHTMLPart() throws {
        let parsed = Parsed(Self.mail(.confirmation, client: "<b>Ana</b>", service: "Cut & \"Style\" <script>alert(1)</script>").rendered())
        let html = try #require(parsed.part("text/html"))
        #expect(!html.contains("<script>") && !html.contains("<b>Ana"))
        #expect(html.contains("Hello &lt;b&gt;Ana&lt;/b&gt;,"))
        #expect(html.contains("Cut &amp; &quot;Style&quot; &lt;script&gt;alert(1)&lt;/script&gt; with Sam"))
        #expect(parsed.part("text/plain")?.contains("Cut & \"Style\" <script>") == true, "the text part is plain text")
    }

    @Test func longASCIISubjectsFoldAtSpaces() {
        let service = String(repeating: "Beard trim and hot towel ", count: 8)
        let text = Self.mail(.confirmation, client: "Ana", service: service).rendered()
        let subject = text.components(separatedBy: "\r\n").drop { !$0.hasPrefix("Subject: ") }.prefix { $0.hasPrefix("Subject: ") || $0.hasPrefix(" ") }
        #expect(subject.count > 2)
        for line in subject { #expect(line.utf8.count <= 78) }
        #expect(Parsed(text).header("Subject")?.hasPrefix("Booked: " + service.replacingOccurrences(of: "  ", with: " ")) == true)
    }

    @Test func onlyPlainAddressesAreAccepted() {
        for good in ["ana@py.test", "a.b+tag@mail.example.com", "x@localhost", "o'neil@x.io"] { #expect(MailAddress(good) != nil, "\(good)") }
        for bad in [
            "a,b@x.test", "a@x.test,b@y.test", "<a@x.test>", "a b@x.test", "a@x.test\r\nBcc: b@y.test", "\"a\"@x.test", "a@", "@x.test",
            "a..b@x.test", ".a@x.test", "a@-x.test", "a@x_y.test", "zoë@x.test", "a@x..test", "a(b)@x.test",
        ] {
            #expect(MailAddress(bad) == nil, "\(bad)")
        }
        #expect(MailAddress("bookings@clip.example")?.domain == "clip.example")
    }

    @Test func theTimeIsShownInTheShopsZoneNamedOnBothSidesOfAChange() {
        var summer = Self.appointment()
        summer.start = RFC3339.parse("2027-07-06T09:00:00-04:00")!
        summer.end = RFC3339.parse("2027-07-06T10:30:00-04:00")!
        #expect(AppointmentMail.describe(summer, in: Self.newYork).hasPrefix("Tuesday 6 July 2027, 09:00–10:30 (America/New_York"))
        #expect(AppointmentMail.describe(Self.appointment(), in: Self.newYork).hasPrefix("Tuesday 2 March 2027, 09:00–09:45 (America/New_York"))
        #expect(AppointmentMail.describe(Self.appointment(), in: .utc).hasPrefix("Tuesday 2 March 2027, 14:00–14:45 ("))
    }
}
