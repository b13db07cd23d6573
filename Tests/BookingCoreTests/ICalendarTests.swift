import Foundation
import Testing

@testable import BookingCore

/// RFC 5545 text: CRLF, folding at 75 octets without splitting a character, escaping of TEXT,
/// UTC times, one VEVENT per appointment with UID, SEQUENCE and STATUS.
@Suite struct ICalendarTests {
    static func appointment(_ id: Int, status: AppointmentStatus = .confirmed) -> Appointment {
        Appointment(
            id: id, barberID: 1, clientID: 2, serviceID: 3, start: RFC3339.parse("2030-03-10T13:00:00Z")!,
            end: RFC3339.parse("2030-03-10T13:45:00Z")!, status: status, priceCents: 100, notes: nil,
            createdAt: RFC3339.parse("2030-01-01T00:00:00Z")!)
    }

    @Test func linesEndInCRLFAndNoneIsLongerThan75Octets() {
        let summary = String(repeating: "Beard trim and hot towel, ", count: 6) + "💈ünï"
        let text = ICalendar(name: "Shop", entries: [.init(appointment: Self.appointment(7), summary: summary, revision: nil)]).text
        #expect(text.hasSuffix("END:VCALENDAR\r\n"))
        let lines = text.split(separator: "\r\n", omittingEmptySubsequences: false).dropLast()
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "no bare LF")
        for line in lines { #expect(line.utf8.count <= 75, "\(line)") }
        // Unfolding gives back the escaped value whole.
        let unfolded = text.replacingOccurrences(of: "\r\n ", with: "")
        #expect(unfolded.contains("SUMMARY:" + summary.replacingOccurrences(of: ",", with: "\\,") + "\r\n"))
    }

    @Test func textValuesAreEscaped() {
        #expect(ICalendar.escape("a,b;c\\d\ne\r\nf") == "a\\,b\\;c\\\\d\\ne\\nf")
    }

    @Test func foldingNeverSplitsAMultiByteCharacter() {
        let line = "SUMMARY:" + String(repeating: "ü", count: 80)
        let folded = ICalendar.fold(line)
        for part in folded.split(separator: "\r\n") {
            #expect(part.utf8.count <= 75)
            #expect(String(part) == String(decoding: Array(part.utf8), as: UTF8.self))
        }
        #expect(folded.replacingOccurrences(of: "\r\n ", with: "") == line + "\r\n")
    }

    @Test func eventsCarryUIDSequenceStatusAndUTCTimes() {
        let revision = AppointmentRevision(sequence: 2, changedAt: RFC3339.parse("2030-02-01T08:09:10Z")!)
        let text = ICalendar(name: "Shop", entries: [
            .init(appointment: Self.appointment(7), summary: "Cut", revision: revision),
            .init(appointment: Self.appointment(8, status: .cancelled), summary: "Cut", revision: nil),
        ]).text
        #expect(text.contains("UID:appointment-7@bookedbarber\r\n"))
        #expect(text.contains("DTSTART:20300310T130000Z\r\nDTEND:20300310T134500Z\r\n"))
        #expect(text.contains("DTSTAMP:20300201T080910Z\r\n"))
        #expect(text.contains("SEQUENCE:2\r\n"))
        #expect(text.contains("UID:appointment-8@bookedbarber\r\nDTSTAMP:20300101T000000Z\r\n"))
        #expect(text.components(separatedBy: "STATUS:CONFIRMED").count == 2)
        #expect(text.components(separatedBy: "STATUS:CANCELLED").count == 2)
        #expect(text.components(separatedBy: "BEGIN:VEVENT").count == 3)
        #expect(ICalendar.utc(Instant(seconds: -1)) == "19691231T235959Z")
    }
}
