import BookingCore
import Foundation
import HTTPTypes
import Testing

@testable import BookedBarberHTTP

/// `/analytics`: the server-drawn SVG charts say what the summary says (each bar's height is its
/// revenue over the range's highest, each heat-map cell's number is the summary's
/// `hours[weekday][hour]`, each utilisation bar is the barber's share of the track), the totals
/// and `daily.csv` are the API's, a barber sees their own figures whatever they ask, range
/// refusals appear next to their field, and the page stays under its 30 KB budget.
@Suite struct AnalyticsPageTests {
    static let week = "from=2027-03-01&to=2027-03-07"

    /// Two barbers with logins (`a@shop.test`, `b@shop.test`), two services, two clients, and
    /// appointments from Tuesday 2 to Friday 5 March 2027 in every status.
    static func shop(_ api: APIClient) async throws -> (admin: String, a: Int, b: Int) {
        let admin = try await api.adminToken()
        let a = try await api.createBarber(adminToken: admin, name: "Ann \(WebPageTests.xss)", email: "a@shop.test")
        let b = try await api.createBarber(adminToken: admin, name: "Bob", email: "b@shop.test")
        let cut = try await api.createService(adminToken: admin, name: "Cut", duration: 30, price: 2500)
        let long = try await api.createService(adminToken: admin, name: "Long", duration: 60, price: 4000)
        let first = try await api.register("first@example.com", name: "First")
        let second = try await api.register("second@example.com", name: "Second")
        func book(_ client: (token: String, id: Int), _ barber: Int, _ service: Int, _ start: String) async throws -> Int {
            let booked = try await api.book(client.token, barber: barber, service: service, start: start)
            #expect(booked.status == .created, "\(booked.raw)")
            return booked.id
        }
        let completed = [
            try await book(first, a, cut, "2027-03-02T10:00:00-05:00"), try await book(first, a, long, "2027-03-03T10:00:00-05:00"),
            try await book(second, b, long, "2027-03-03T14:00:00-05:00"),
        ]
        _ = try await book(second, a, long, "2027-03-02T11:00:00-05:00")
        _ = try await book(second, b, cut, "2027-03-03T10:00:00-05:00")
        let cancelled = try await book(first, b, cut, "2027-03-03T15:00:00-05:00")
        let missed = try await book(second, b, cut, "2027-03-04T09:00:00-05:00")
        _ = try await book(first, a, cut, "2027-03-05T16:00:00-05:00")
        for id in completed { #expect(try await api.send(.post, "/api/v2/appointments/\(id)/complete", token: admin).status == .ok) }
        #expect(try await api.send(.post, "/api/v2/appointments/\(cancelled)/cancel", token: first.token).status == .ok)
        #expect(try await api.send(.post, "/api/v2/appointments/\(missed)/no-show", token: admin).status == .ok)
        return (admin, a, b)
    }

    struct DrawnBar {
        var date: String
        var bookedHeight: Int
        var completedHeight: Int
    }

    /// The revenue chart's bars by date; a bar of height 0 is not drawn.
    static func bars(_ page: PageResponse) -> [DrawnBar] {
        page.groups(
            #"<g data-date="(\d{4}-\d\d-\d\d)"><title>[^<]*</title>(?:<rect class="booked" x="[\d.]+" height="(\d+)"/>)?(?:<rect class="done" x="[\d.]+" height="(\d+)"/>)?</g>"#
        ).map { DrawnBar(date: $0[0], bookedHeight: Int($0[1]) ?? 0, completedHeight: Int($0[2]) ?? 0) }
    }

    /// The heat map's cells as (weekday row, hour from the cell's position, shade level, the
    /// number written in it, 0 when none is).
    static func cells(_ page: PageResponse) -> [(row: Int, hour: Int, level: Int, count: Int)] {
        let rows = page.groups(#"<g transform="translate\(0,\d+\)"><text x="0" y="15">(\w+)</text>(.*?)</g>"#)
        return rows.enumerated().flatMap { row, groups in
            PageResponse(status: .ok, headers: [:], body: groups[1])
                .groups(#"<rect x="(\d+)" class="h(\d)"/>(?:<text x="\d+" y="15">(\d+)</text>)?"#)
                .map { (row: row, hour: ((Int($0[0]) ?? -1) - 40) / 28, level: Int($0[1]) ?? -1, count: Int($0[2]) ?? 0) }
        }
    }

    @Test func theChartsDrawTheSummarysNumbers() async throws {
        let harness = try await APIHarness.make()
        try await harness.runPages { page, api in
            let (admin, _, _) = try await Self.shop(api)
            try await page.signInThroughLoginForm(APIHarness.adminEmail, APIHarness.adminPassword)
            let answer = try await page.get("/analytics?\(Self.week)")
            #expect(answer.status == .ok)
            #expect(!answer.body.contains(WebPageTests.xss), "a barber's name reached the page unescaped")
            let summary = try await api.send(.get, "/api/v2/analytics/summary?\(Self.week)", token: admin)
            let days = summary.list("days")

            // Revenue: one bar pair per day; the tallest booked bar is the day with the most
            // booked revenue, and every bar is its revenue over that day's, of 160 units.
            let bars = Self.bars(answer)
            #expect(bars.map(\.date) == days.compactMap { $0["date"] as? String })
            let booked = days.compactMap { $0["revenue_booked_cents"] as? Int }
            let completed = days.compactMap { $0["revenue_completed_cents"] as? Int }
            let highest = try #require(booked.max())
            #expect(highest == 10_500)
            #expect(bars.max { $0.bookedHeight < $1.bookedHeight }?.date == "2027-03-03")
            for (index, bar) in bars.enumerated() {
                #expect(bar.bookedHeight == Int((Double(booked[index]) / Double(highest) * 160).rounded()), "\(bar.date)")
                #expect(bar.completedHeight == Int((Double(completed[index]) / Double(highest) * 160).rounded()), "\(bar.date)")
            }
            let tuesday = try #require(bars.first { $0.date == "2027-03-02" })
            #expect(tuesday.bookedHeight == 99 && tuesday.completedHeight == 38)

            // The heat map: 7 rows of 24 cells, each cell's number the summary's hours[w][h].
            let hours = try #require(summary["hours"] as? [[Int]])
            let cells = Self.cells(answer)
            #expect(cells.count == 168)
            for cell in cells {
                #expect(cell.count == hours[cell.row][cell.hour], "weekday \(cell.row), \(cell.hour):00")
                #expect((cell.level == 0) == (cell.count == 0))
            }
            let busiest = try #require(cells.first { $0.row == 2 && $0.hour == 10 })
            #expect(busiest.count == 2 && busiest.level == 4, "Wednesday 10:00 is the busiest")
            let single = try #require(cells.first { $0.row == 1 && $0.hour == 10 })
            #expect(single.count == 1 && single.level == 2)
            #expect(answer.element("desc", id: "heat-desc")?.contains("The busiest is Wednesday 10:00 with 2.") == true)

            // Utilisation: each barber's bar is their share of the 460-unit track.
            let drawn = answer.groups(
                #"<rect class="used" x="\d+" y="\d+" width="([\d.]+)" height="20"><title>([^<]*)</title></rect>"#)
            let listed = summary.list("barbers").compactMap { $0["utilisation"] as? Double }
            #expect(drawn.map { $0[0] } == listed.map { String(format: "%.1f", $0 * 460) })
            #expect(drawn.count == 2 && listed.allSatisfy { $0 > 0 })

            // The totals and the CSV are the API's.
            let totals = try #require(summary["totals"] as? [String: Any])
            #expect(answer.element("dd", id: "total-revenue-booked") == PageFormat.money(totals["revenue_booked_cents"] as? Int ?? -1))
            #expect(answer.element("dd", id: "total-revenue-completed") == "$105.00")
            #expect(answer.element("dd", id: "total-no-show-rate") == PageFormat.percent(totals["no_show_rate"] as? Double ?? -1))
            let csvLink = try #require(answer.firstMatch(#"<a href="([^"]+)" id="daily-csv">"#)).replacingOccurrences(of: "&amp;", with: "&")
            let csv = try await page.get(csvLink)
            #expect(csv.status == .ok && csv.headers[.contentType] == "text/csv; charset=utf-8")
            let apiCSV = try await api.send(.get, "/api/v2/analytics/daily.csv?\(Self.week)", token: admin)
            #expect(csv.body == apiCSV.raw && csv.body.hasPrefix("date,appointments,"))
            #expect(answer.body.utf8.count < 30 * 1024)
        }
    }

    @Test func aBarberSeesTheirOwnFiguresWhateverTheyAskAndClientsAre403() async throws {
        let harness = try await APIHarness.make()
        try await harness.runPages { page, api in
            let (admin, a, b) = try await Self.shop(api)
            try await page.signInThroughLoginForm("a@shop.test", "barber-password")
            let own = try await page.get("/analytics?\(Self.week)&barber_id=\(b)")
            #expect(own.status == .ok)
            #expect(own.body.contains(#"<h2 id="figures-heading">Your figures</h2>"#))
            #expect(!own.body.contains(#"id="range-barber""#), "a barber gets no barber picker")
            let barberToken = try await api.login("a@shop.test", "barber-password")
            let theirs = try await api.send(.get, "/api/v2/analytics/summary?\(Self.week)", token: barberToken)
            let mine = try await api.send(.get, "/api/v2/analytics/summary?\(Self.week)&barber_id=\(a)", token: admin)
            #expect(theirs.canonical == mine.canonical)
            let booked = (theirs["totals"] as? [String: Any])?["revenue_booked_cents"] as? Int
            #expect(booked == 13_000)
            #expect(own.element("dd", id: "total-revenue-booked") == PageFormat.money(booked ?? -1))
            let hours = try #require(theirs["hours"] as? [[Int]])
            #expect(Self.cells(own).allSatisfy { $0.count == hours[$0.row][$0.hour] })
            #expect(own.groups(#"<rect class="used""#).count == 1)
            let csv = try await page.get("/analytics/daily.csv?\(Self.week)&barber_id=\(b)")
            #expect(csv.body == (try await api.send(.get, "/api/v2/analytics/daily.csv?\(Self.week)", token: barberToken)).raw)

            let adminPage = BrowserlessClient(page.client)
            try await adminPage.signInThroughLoginForm(APIHarness.adminEmail, APIHarness.adminPassword)
            let ofBob = try await adminPage.get("/analytics?\(Self.week)&barber_id=\(b)")
            #expect(ofBob.body.contains(#"<h2 id="figures-heading">Figures of Bob</h2>"#))
            #expect(ofBob.body.contains(#"<option value="\#(b)" selected>Bob</option>"#))

            let client = BrowserlessClient(page.client)
            try await client.signInThroughLoginForm("first@example.com", "password123")
            #expect(try await client.get("/analytics").status == .forbidden)
            #expect(try await client.get("/analytics/daily.csv?\(Self.week)").status == .forbidden)
            let signedOut = BrowserlessClient(page.client)
            #expect(try await signedOut.get("/analytics").location == "/login?next=%2Fanalytics")
        }
    }

    @Test func theRangeDefaultsToTheLast30DaysAndRefusalsAppearNextToTheirField() async throws {
        let harness = try await APIHarness.make()
        try await harness.runPages { page, _ in
            try await page.signInThroughLoginForm(APIHarness.adminEmail, APIHarness.adminPassword)
            let standard = try await page.get("/analytics")
            #expect(standard.status == .ok)
            #expect(standard.body.contains(#"name="from" required value="2027-01-31""#) && standard.body.contains(#"name="to" required value="2027-03-01""#))
            #expect(Self.bars(standard).count == 30)
            #expect(standard.element("desc", id: "revenue-desc") == "No revenue in this range.")

            let backwards = try await page.get("/analytics?from=2027-03-10&to=2027-03-01")
            #expect(backwards.status == .badRequest)
            #expect(backwards.body.contains(#"<p class="error" id="range-from-error">from must not be after to</p>"#))
            #expect(!backwards.body.contains(#"id="revenue-chart""#))
            let long = try await page.get("/analytics?from=2026-01-01&to=2027-01-02")
            #expect(long.status == .badRequest && long.body.contains(#"<p class="error" id="range-to-error">a range holds at most 366 days</p>"#))
            let malformed = try await page.get("/analytics?from=March&to=2027-03-01&barber_id=x")
            #expect(malformed.status == .badRequest)
            #expect(malformed.body.contains(#"id="range-from-error">write the first day as YYYY-MM-DD</p>"#))
            #expect(malformed.body.contains(#"id="range-barber-error">pick a barber from the list</p>"#))
            #expect(malformed.body.contains(#"value="March" aria-invalid="true""#))
            #expect(try await page.get("/analytics/daily.csv?from=2027-03-10&to=2027-03-01").status == .badRequest)
            #expect(try await page.get("/analytics?\(Self.week)&barber_id=99").status == .notFound)
        }
    }

    @Test func aFullYearOfTenBarbersStaysUnderTheBudget() async throws {
        let harness = try await APIHarness.make()
        try await harness.runPages { page, api in
            let admin = try await api.adminToken()
            var barbers: [Int] = []
            for index in 0..<10 { barbers.append(try await api.createBarber(adminToken: admin, name: "\(WebPageTests.xss) \(index) with a long name")) }
            let service = try await api.createService(adminToken: admin, price: 123_456)
            let client = try await api.register("c@example.com")
            for (index, barber) in barbers.enumerated() {
                let booked = try await api.book(client.token, barber: barber, service: service, start: String(format: "2027-03-%02dT10:00:00-05:00", 2 + index))
                #expect(booked.status == .created, "\(booked.raw)")
            }
            try await page.signInThroughLoginForm(APIHarness.adminEmail, APIHarness.adminPassword)
            let year = try await page.get("/analytics?from=2026-03-12&to=2027-03-12")
            #expect(year.status == .ok)
            #expect(year.body.contains("Revenue per week"))
            let weeks = Self.bars(year)
            #expect(weeks.count == 53 && weeks.first?.date == "2026-03-12" && weeks.last?.date == "2027-03-11")
            #expect(weeks.filter { $0.bookedHeight > 0 }.map(\.date) == ["2027-02-25", "2027-03-04", "2027-03-11"])
            #expect(Self.cells(year).count == 168)
            #expect(year.groups(#"<rect class="used""#).count == 10)
            #expect(year.body.utf8.count < 30 * 1024, "the analytics page is \(year.body.utf8.count) bytes")
            let month = try await page.get("/analytics?from=2027-03-01&to=2027-03-31")
            #expect(Self.bars(month).count == 31)
            #expect(month.body.utf8.count < 30 * 1024, "the analytics page is \(month.body.utf8.count) bytes")
        }
    }
}
