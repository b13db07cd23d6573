import BookingCore
import Foundation
import HTTPTypes
import Testing

@testable import BookedBarberHTTP

/// The staff's client pages through the real router: `/clients` (search, paging, the figures of
/// each row), a client's record (history newest first, notes saved through the engine with its
/// limit, errors next to the field), escaping of a client named `<script>…`, CSRF, and the
/// engine's role rules (clients 403, a barber sees the history with them only).
@Suite struct ClientPagesTests {
    static let xss = WebPageTests.xss
    static let escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"

    @Test func theClientListSearchesPagesAndShowsEachClientsFigures() async throws {
        let harness = try await APIHarness.make()
        try await harness.runPages { page, api in
            let admin = try await api.adminToken()
            let barber = try await api.createBarber(adminToken: admin)
            let service = try await api.createService(adminToken: admin, price: 2500)
            let clients = try await api.registerClients(24, prefix: "client")
            let named = try await api.register("xss@example.com", name: Self.xss)
            let visit = try await api.book(named.token, barber: barber, service: service, start: "2027-03-03T10:00:00-05:00")
            _ = try await api.send(.post, "/api/v2/appointments/\(visit.id)/complete", token: admin)
            let missed = try await api.book(named.token, barber: barber, service: service, start: "2027-03-04T10:00:00-05:00")
            _ = try await api.send(.post, "/api/v2/appointments/\(missed.id)/no-show", token: admin)

            try await page.signInThroughLoginForm(APIHarness.adminEmail, APIHarness.adminPassword)
            let first = try await page.get("/clients")
            #expect(first.status == .ok)
            #expect(!first.body.contains(Self.xss), "a client's name reached the page unescaped")
            let ids = (clients.map(\.id) + [named.id]).sorted()
            #expect(first.allMatches(#"<tr id="client-(\d+)">"#).compactMap { Int($0) } == Array(ids.prefix(20)))
            let next = try #require(first.firstMatch(#"<a href="([^"]+)" id="next-page">"#)).replacingOccurrences(of: "&amp;", with: "&")
            let second = try await page.get(next)
            #expect(second.allMatches(#"<tr id="client-(\d+)">"#).compactMap { Int($0) } == Array(ids.suffix(5)))
            #expect(second.firstMatch(#"id="(next-page)""#) == nil)

            let found = try await page.get("/clients?q=SCRIPT")
            let row = try #require(found.element("tr", id: "client-\(named.id)"))
            #expect(found.allMatches(#"<tr id="client-(\d+)">"#) == ["\(named.id)"])
            #expect(row.contains(Self.escaped) && row.contains("xss@example.com"))
            // visits, no-shows, lifetime value, last visit
            #expect(row.contains("<td>1</td><td>1</td><td>$25.00</td><td>Wed 3 Mar 2027</td>"), "\(row)")
            let spaced = try await api.register("ann@example.com", name: "Ann Smith")
            #expect(try await page.get("/clients?q=ann+smith").allMatches(#"<tr id="client-(\d+)">"#) == ["\(spaced.id)"], "+ is a space")
            let none = try await page.get("/clients?q=nobody-matches-this")
            #expect(none.body.contains("No client matches “nobody-matches-this”."))
            #expect(try await page.get("/clients?after_id=zero").status == .badRequest)
            #expect(first.body.utf8.count < 30 * 1024)
        }
    }

    @Test func theRecordListsTheHistoryNewestFirstAndSavesNotesThroughTheEngine() async throws {
        let harness = try await APIHarness.make()
        try await harness.runPages { page, api in
            let admin = try await api.adminToken()
            let barber = try await api.createBarber(adminToken: admin, name: Self.xss)
            let service = try await api.createService(adminToken: admin, name: "Cut \(Self.xss)", price: 3000)
            let client = try await api.register("c@example.com", name: Self.xss)
            var booked: [Int] = []
            for start in ["2027-03-05T10:00:00-05:00", "2027-03-03T10:00:00-05:00", "2027-03-04T10:00:00-05:00"] {
                booked.append(try await api.book(client.token, barber: barber, service: service, start: start).id)
            }
            _ = try await api.send(.post, "/api/v2/appointments/\(booked[1])/complete", token: admin)
            _ = try await api.send(.post, "/api/v2/appointments/\(booked[2])/cancel", token: client.token)

            try await page.signInThroughLoginForm(APIHarness.adminEmail, APIHarness.adminPassword)
            let record = try await page.get("/clients/\(client.id)")
            #expect(record.status == .ok)
            #expect(!record.body.contains(Self.xss))
            #expect(record.element("h1", id: "client-name") == Self.escaped)
            #expect(record.element("dd", id: "stat-visits") == "1" && record.element("dd", id: "stat-cancellations") == "1")
            #expect(record.element("dd", id: "stat-value") == "$30.00")
            let history = try #require(record.element("table", id: "history-table"))
            let rows = PageResponse(status: .ok, headers: [:], body: history).allMatches(#"<tr><td>(\d+)</td>"#).compactMap { Int($0) }
            #expect(rows == [booked[0], booked[2], booked[1]], "newest first")
            #expect(history.contains("Fri 5 Mar 2027, 10:00") && history.contains("Cancelled"))

            let saved = try await page.post("/clients/\(client.id)/notes", [("csrf", try #require(record.csrf)), ("notes", "No. 2 \(Self.xss)")])
            #expect(saved.status == .seeOther && saved.location == "/clients/\(client.id)?saved=1#notes")
            let after = try await page.get("/clients/\(client.id)?saved=1")
            #expect(after.element("textarea", id: "notes-text") == "No. 2 \(Self.escaped)")
            #expect(after.body.contains(#"id="notes-saved""#) && !after.body.contains(Self.xss))
            let viaAPI = try await api.send(.get, "/api/v2/clients/\(client.id)", token: admin)
            #expect(viaAPI["notes"] as? String == "No. 2 \(Self.xss)")

            // Over the limit: 422, the message next to the field, the text kept, nothing changed.
            let long = String(repeating: "x", count: ClientRecords.notesLimit + 1)
            let refused = try await page.post("/clients/\(client.id)/notes", [("csrf", try #require(record.csrf)), ("notes", long)])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.body.contains(#"<p class="error" id="notes-error">notes must be at most 2000 characters</p>"#))
            #expect(refused.body.contains(#"aria-invalid="true" aria-describedby="notes-error""#))
            #expect(refused.element("textarea", id: "notes-text") == long)
            #expect((try await api.send(.get, "/api/v2/clients/\(client.id)", token: admin))["notes"] as? String == "No. 2 \(Self.xss)")
            // Exactly at the limit is taken.
            let full = String(repeating: "y", count: ClientRecords.notesLimit)
            #expect(try await page.post("/clients/\(client.id)/notes", [("csrf", try #require(record.csrf)), ("notes", full)]).status == .seeOther)

            // Without the CSRF token: 403 and nothing changed.
            let forged = try await page.post("/clients/\(client.id)/notes", [("notes", "forged")])
            #expect(forged.status == .forbidden && forged.body.contains("security token"))
            #expect((try await api.send(.get, "/api/v2/clients/\(client.id)", token: admin))["notes"] as? String == full)
            #expect(try await page.get("/clients/999").status == .notFound)
            #expect(record.body.utf8.count < 30 * 1024)
        }
    }

    @Test func aLongHistoryIsPagedOlderAndNewerAndEachPageWithFullNotesOfQuotesStaysUnderTheBudget() async throws {
        let harness = try await APIHarness.make()
        try await harness.runPages { page, api in
            let admin = try await api.adminToken()
            let barber = try await api.createBarber(adminToken: admin, name: "Alexandra Fade-Winterbottom")
            let service = try await api.createService(adminToken: admin, name: "Cut, beard and hot towel")
            let client = try await api.register("c@example.com", name: "Christopher Montgomery-Smythe")
            var booked: [Int] = []
            for index in 0..<65 {
                let start = String(format: "2027-03-%02dT%02d:00:00-05:00", 3 + index / 8, 9 + index % 8)
                booked.append(try await api.book(client.token, barber: barber, service: service, start: start).id)
            }
            let newestFirst = Array(booked.reversed())
            let quotes = String(repeating: "\"", count: ClientRecords.notesLimit)
            #expect(try await api.send(.patch, "/api/v2/clients/\(client.id)", token: admin, json: ["notes": quotes]).status == .ok)
            try await page.signInThroughLoginForm(APIHarness.adminEmail, APIHarness.adminPassword)

            func rows(_ record: PageResponse) throws -> [Int] {
                PageResponse(status: .ok, headers: [:], body: try #require(record.element("table", id: "history-table")))
                    .allMatches(#"<tr><td>(\d+)</td>"#).compactMap { Int($0) }
            }
            func link(_ record: PageResponse, _ id: String) -> String? {
                record.firstMatch(#"<a href="([^"]+)" id="\#(id)">"#)?.replacingOccurrences(of: "&amp;", with: "&")
            }
            let size = WebRoutes.historyPageSize
            let first = try await page.get("/clients/\(client.id)")
            #expect(try rows(first) == Array(newestFirst[0..<size]))
            #expect(first.body.contains("Appointments 1–30 of 65 with every barber, newest first."))
            #expect(link(first, "newer-history") == nil)
            let second = try await page.get(try #require(link(first, "older-history")))
            #expect(try rows(second) == Array(newestFirst[size..<(2 * size)]))
            #expect(second.body.contains("Appointments 31–60 of 65"))
            let toThird = try #require(link(second, "older-history"))

            // A newer appointment booked meanwhile does not shift the pages under the reader.
            let later = try await api.book(client.token, barber: barber, service: service, start: "2027-03-12T09:00:00-05:00").id
            let third = try await page.get(toThird)
            #expect(try rows(third) == Array(newestFirst[(2 * size)...]))
            #expect(third.body.contains("Appointments 62–66 of 66"))
            #expect(link(third, "older-history") == nil)
            let backToSecond = try await page.get(try #require(link(third, "newer-history")))
            #expect(try rows(backToSecond) == Array(newestFirst[size..<(2 * size)]))
            let backToFirst = try await page.get(try #require(link(backToSecond, "newer-history")))
            #expect(try rows(backToFirst) == Array(newestFirst[0..<size]))
            let newest = try await page.get(try #require(link(backToFirst, "newer-history")))
            #expect(try rows(newest) == [later] + newestFirst[0..<(size - 1)])
            #expect(link(newest, "newer-history") == nil)

            for record in [first, second, third, backToSecond, backToFirst, newest] {
                #expect(record.status == .ok)
                #expect(record.body.utf8.count < 30 * 1024, "the record is \(record.body.utf8.count) bytes")
            }
            // A cursor that is not an appointment of this history is refused.
            let other = try await api.register("o@example.com", name: "Other")
            let theirs = try await api.book(other.token, barber: barber, service: service, start: "2027-03-13T09:00:00-05:00").id
            for query in ["older_than=\(theirs)", "newer_than=999999", "older_than=first"] {
                #expect(try await page.get("/clients/\(client.id)?\(query)").status == .badRequest, "\(query)")
            }
        }
    }

    @Test func clientsAre403AndABarberSeesTheHistoryWithThemOnly() async throws {
        let harness = try await APIHarness.make()
        try await harness.runPages { page, api in
            let admin = try await api.adminToken()
            let mine = try await api.createBarber(adminToken: admin, name: "Mine", email: "mine@shop.test")
            let other = try await api.createBarber(adminToken: admin, name: "Other", email: "other@shop.test")
            let service = try await api.createService(adminToken: admin)
            let client = try await api.register("c@example.com", name: "Carla")
            let withMe = try await api.book(client.token, barber: mine, service: service, start: "2027-03-03T10:00:00-05:00")
            let withOther = try await api.book(client.token, barber: other, service: service, start: "2027-03-04T10:00:00-05:00")

            #expect(try await page.get("/clients/\(client.id)").location == "/login?next=%2Fclients%2F\(client.id)")

            let asClient = BrowserlessClient(page.client)
            try await asClient.signInThroughLoginForm("c@example.com", "password123")
            let me = try await asClient.get("/me")
            for path in ["/clients", "/clients/\(client.id)", "/barber/appointments/\(withMe.id)/client"] {
                let refused = try await asClient.get(path)
                #expect(refused.status == .forbidden && refused.headers[.contentType] == "text/html; charset=utf-8", "\(path)")
            }
            let notes = try await asClient.post("/clients/\(client.id)/notes", [("csrf", try #require(me.csrf)), ("notes", "by the client")])
            #expect(notes.status == .forbidden)
            #expect((try await api.send(.get, "/api/v2/clients/\(client.id)", token: admin))["notes"] as? String == "")
            #expect(!me.body.contains(#"href="/clients""#), "the client's navigation offers no client pages")

            try await page.signInThroughLoginForm("mine@shop.test", "barber-password")
            let schedule = try await page.get("/barber")
            let link = "/barber/appointments/\(withMe.id)/client"
            #expect(schedule.body.contains(#"<a href="\#(link)">Carla</a>"#))
            let followed = try await page.get(link)
            #expect(followed.status == .seeOther && followed.location == "/clients/\(client.id)")
            #expect(try await page.get("/barber/appointments/\(withOther.id)/client").status == .forbidden)
            let record = try await page.get("/clients/\(client.id)")
            #expect(record.status == .ok)
            let history = try #require(record.element("table", id: "history-table"))
            #expect(PageResponse(status: .ok, headers: [:], body: history).allMatches(#"<tr><td>(\d+)</td>"#) == ["\(withMe.id)"])
            #expect(record.body.contains("1 appointment with you."))
            let saved = try await page.post("/clients/\(client.id)/notes", [("csrf", try #require(record.csrf)), ("notes", "likes it short")])
            #expect(saved.status == .seeOther)
            #expect((try await api.send(.get, "/api/v2/clients/\(client.id)", token: admin))["notes"] as? String == "likes it short")
        }
    }
}
