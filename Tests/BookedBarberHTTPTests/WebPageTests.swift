import BookingCore
import BookingEngine
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

@testable import BookedBarberHTTP

/// The web pages through the real router: status codes, HTML escaping, the session cookie's
/// flags, CSRF refusals, role redirects and 403s, and the booking, cancel and reschedule forms
/// calling the same engine rules as the API.
@Suite struct WebPageTests {
    static let xss = "<script>alert(1)</script>"

    /// A shop with one barber named `xss`, working 09:00-17:00 every day, a 30-minute service,
    /// and the clock at 2027-03-01 12:00 New York time minus a few hours (the harness default).
    static func shop(_ api: APIClient) async throws -> (admin: String, barber: Int, service: Int) {
        let admin = try await api.adminToken()
        let barber = try await api.createBarber(adminToken: admin, name: xss, email: "barber@shop.test")
        let service = try await api.createService(adminToken: admin, name: "Cut \(xss)", duration: 30, price: 2500)
        return (admin, barber, service)
    }

    /// The first free start of `barber` on 2027-03-03.
    static func freeStart(_ api: APIClient, barber: Int, service: Int, date: String = "2027-03-03") async throws -> String {
        let slots = try await api.send(.get, "/api/v2/appointments/slots?service_id=\(service)&date=\(date)&barber_id=\(barber)")
        return try #require(slots.list("slots").first?["start"] as? String)
    }

    static func confirmURI(barber: Int, service: Int, start: String) -> String {
        "/book?service_id=\(service)&barber_id=\(barber)&start=\(BrowserlessClient.encode(start))"
    }

    /// Registers a new client on the confirm page and books `start`; returns the answer.
    static func registerAndBook(_ page: BrowserlessClient, barber: Int, service: Int, start: String, email: String)
        async throws -> PageResponse
    {
        let confirm = try await page.get(confirmURI(barber: barber, service: service, start: start))
        #expect(confirm.status == .ok)
        let csrf = try #require(confirm.csrf)
        return try await page.post(
            "/book",
            [("csrf", csrf), ("service_id", "\(service)"), ("barber_id", "\(barber)"), ("start", start), ("mode", "register"),
             ("name", "New Client"), ("email", email), ("phone", ""), ("password", "client-password"), ("notes", "")])
    }

    @Test func theBookingPageListsServicesBarbersAndDaysWithEveryNameEscaped() async throws {
        let harness = try await APIHarness.make()
        try await harness.runPages { page, api in
            let (_, barber, service) = try await Self.shop(api)
            let answer = try await page.get("/?service_id=\(service)&date=2027-03-03")
            #expect(answer.status == .ok)
            #expect(answer.headers[.contentType] == "text/html; charset=utf-8")
            let policy = try #require(answer.headers[.contentSecurityPolicy])
            #expect(policy.contains("script-src 'self'") && policy.contains("frame-ancestors 'none'") && !policy.contains("unsafe-inline"))
            #expect(answer.headers[values: .contentSecurityPolicy].count == 1)
            #expect(!answer.body.contains(Self.xss), "a user value reached the page unescaped")
            #expect(answer.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(answer.body.contains("30 min · $25.00"))
            #expect(answer.allMatches(#"name="date" value="(\d{4}-\d{2}-\d{2})""#).count == 14)
            #expect(answer.body.contains("America/New_York"))
            let start = try await Self.freeStart(api, barber: barber, service: service)
            #expect(answer.body.contains(Self.confirmURI(barber: barber, service: service, start: start).replacingOccurrences(of: "&", with: "&amp;")))
            #expect(answer.body.utf8.count < 30 * 1024, "the booking page is \(answer.body.utf8.count) bytes")
        }
    }

    @Test func aNewClientRegistersInlineBooksAndSeesItInMyAppointments() async throws {
        let harness = try await APIHarness.make()
        try await harness.runPages { page, api in
            let (_, barber, service) = try await Self.shop(api)
            let start = try await Self.freeStart(api, barber: barber, service: service)
            let booked = try await Self.registerAndBook(page, barber: barber, service: service, start: start, email: "new@shop.test")
            #expect(booked.status == .seeOther, "\(booked.body.prefix(2000))")
            let location = try #require(booked.location)
            #expect(location.hasPrefix("/me/appointments/") && location.hasSuffix("?booked=1"))
            let session = try #require(booked.setCookies.first { $0.hasPrefix("bb_session=") })
            #expect(session.contains("HttpOnly") && session.contains("SameSite=Lax") && !session.contains("Secure"))

            let confirmation = try await page.get(location)
            #expect(confirmation.status == .ok)
            #expect(confirmation.body.contains("You are booked"))
            let icsPath = try #require(confirmation.firstMatch(#"href="(/me/appointments/\d+/calendar\.ics)""#))
            let ics = try await page.get(icsPath)
            #expect(ics.headers[.contentType] == "text/calendar; charset=utf-8")
            #expect(ics.body.hasPrefix("BEGIN:VCALENDAR\r\n") && ics.body.contains("\r\nDTSTART:20270303T140000Z\r\n"))
            #expect(ics.body.contains("SUMMARY:Cut <script>alert(1)</script> with <script>alert(1)</script>"))

            let mine = try await page.get("/me")
            #expect(mine.status == .ok)
            #expect(mine.body.contains("id=\"appointment-"))
            #expect(mine.body.contains("Cancel or change until Wed 3 Mar, 07:00"))

            let token = try await api.login("new@shop.test", "client-password")
            let listed = try await api.send(.get, "/api/v2/appointments", token: token)
            #expect(listed.list("appointments").map { $0["start"] as? String } == [start])
        }
    }

    @Test func aFormWithoutTheVisitorsCSRFTokenIsRefusedWithAnHTMLPageAndChangesNothing() async throws {
        let harness = try await APIHarness.make()
        try await harness.runPages { page, api in
            let (admin, barber, service) = try await Self.shop(api)
            let start = try await Self.freeStart(api, barber: barber, service: service)
            _ = try await page.get(Self.confirmURI(barber: barber, service: service, start: start))
            let fields: [(String, String)] = [
                ("service_id", "\(service)"), ("barber_id", "\(barber)"), ("start", start), ("mode", "register"),
                ("name", "Forged"), ("email", "forged@shop.test"), ("password", "client-password"),
            ]
            let missing = try await page.post("/book", fields)
            #expect(missing.status == .forbidden)
            #expect(missing.headers[.contentType] == "text/html; charset=utf-8")
            #expect(missing.body.contains("security token") && missing.body.contains("data-code=\"forbidden\""))
            let wrong = try await page.post("/book", [("csrf", "AAAA")] + fields)
            #expect(wrong.status == .forbidden)

            // Another visitor's valid token does not pass for this one.
            let other = BrowserlessClient(page.client)
            let theirs = try #require(try await other.get("/login").csrf)
            #expect(try await page.post("/book", [("csrf", theirs)] + fields).status == .forbidden)
            #expect(await harness.app.engine.user(email: "forged@shop.test") == nil)
            let all = try await api.send(.get, "/api/v2/appointments", token: admin)
            #expect(all.list("appointments").isEmpty)

            // Signed in, the session's token is needed; sign-out without one keeps the session.
            let signedIn = try await page.post("/login", [("csrf", try #require(try await page.get("/login").csrf)), ("email", APIHarness.adminEmail), ("password", APIHarness.adminPassword)])
            #expect(signedIn.status == .seeOther && signedIn.location == "/admin")
            #expect(try await page.post("/logout", []).status == .forbidden)
            #expect(try await page.get("/admin").status == .ok)
        }
    }

    @Test func pagesRedirectOrRefuseByRoleAsTheAPIDoes() async throws {
        let harness = try await APIHarness.make()
        try await harness.runPages { page, api in
            _ = try await Self.shop(api)
            let me = try await page.get("/me")
            #expect(me.status == .seeOther && me.location == "/login?next=%2Fme")
            #expect(try await page.get("/barber").location == "/login?next=%2Fbarber")
            #expect(try await page.get("/admin").location == "/login?next=%2Fadmin")

            func signIn(_ client: BrowserlessClient, _ email: String, _ password: String, next: String = "") async throws -> PageResponse {
                let form = try await client.get("/login")
                return try await client.post("/login", [("csrf", try #require(form.csrf)), ("email", email), ("password", password), ("next", next)])
            }
            let wrong = try await signIn(page, APIHarness.adminEmail, "not-the-password")
            #expect(wrong.status == .unauthorized && wrong.body.contains("wrong email or password"))
            #expect(wrong.body.contains("aria-invalid=\"true\""))

            _ = try await api.register("client@shop.test", password: "client-password", name: "C")
            let client = BrowserlessClient(page.client)
            #expect(try await signIn(client, "client@shop.test", "client-password", next: "//evil.example/").location == "/me")
            #expect(try await client.get("/me").status == .ok)
            let barberPage = try await client.get("/barber")
            #expect(barberPage.status == .forbidden && barberPage.headers[.contentType] == "text/html; charset=utf-8")
            #expect(try await client.get("/admin").status == .forbidden)

            let barber = BrowserlessClient(page.client)
            #expect(try await signIn(barber, "barber@shop.test", "barber-password").location == "/barber")
            #expect(try await barber.get("/me").location == "/barber")
            let schedule = try await barber.get("/barber")
            #expect(schedule.status == .ok && !schedule.body.contains(Self.xss))
            #expect(try await barber.get("/admin").status == .forbidden)

            let admin = BrowserlessClient(page.client)
            #expect(try await signIn(admin, APIHarness.adminEmail, APIHarness.adminPassword, next: "/barber").location == "/barber")
            let adminPage = try await admin.get("/admin")
            #expect(adminPage.status == .ok && !adminPage.body.contains(Self.xss) && adminPage.body.contains("Requests per second"))
            #expect(adminPage.body.utf8.count < 30 * 1024)
        }
    }

    @Test func aTimeTakenMeanwhileShowsAClearMessageAndTheNearestFreeTimes() async throws {
        let harness = try await APIHarness.make()
        try await harness.runPages { page, api in
            let (_, barber, service) = try await Self.shop(api)
            let start = try await Self.freeStart(api, barber: barber, service: service)
            let confirm = try await page.get(Self.confirmURI(barber: barber, service: service, start: start))
            let first = try await api.register("first@shop.test", name: "First")
            #expect(try await api.book(first.token, barber: barber, service: service, start: start).status == .created)
            let answer = try await page.post(
                "/book",
                [("csrf", try #require(confirm.csrf)), ("service_id", "\(service)"), ("barber_id", "\(barber)"), ("start", start),
                 ("mode", "register"), ("name", "Second"), ("email", "second@shop.test"), ("password", "client-password")])
            #expect(answer.status == .conflict)
            #expect(answer.body.contains("09:00 was taken a moment ago"))
            let alternatives = answer.allMatches(#"<a class="time" href="(/book\?[^"]+)""#)
            #expect(alternatives.count == 6)
            #expect(alternatives.first?.contains(BrowserlessClient.encode("2027-03-03T09:30:00-05:00")) == true)
            // Registered meanwhile: the page now books as the new client.
            #expect(answer.setCookies.contains { $0.hasPrefix("bb_session=") })
            #expect(answer.body.contains("id=\"confirm-form\""))
        }
    }

    @Test func registrationErrorsAreShownNextToTheirField() async throws {
        let harness = try await APIHarness.make()
        try await harness.runPages { page, api in
            let (_, barber, service) = try await Self.shop(api)
            let start = try await Self.freeStart(api, barber: barber, service: service)
            let confirm = try await page.get(Self.confirmURI(barber: barber, service: service, start: start))
            let answer = try await page.post(
                "/book",
                [("csrf", try #require(confirm.csrf)), ("service_id", "\(service)"), ("barber_id", "\(barber)"), ("start", start),
                 ("mode", "register"), ("name", Self.xss), ("email", "short@shop.test"), ("password", "short")])
            #expect(answer.status == .unprocessableContent)
            #expect(answer.body.contains(#"<p class="error" id="register-password-error">password must be 8 to 128 characters</p>"#))
            #expect(answer.body.contains("value=\"&lt;script&gt;alert(1)&lt;/script&gt;\""))
            #expect(!answer.body.contains(Self.xss))
        }
    }

    @Test func aClientCancelsBeforeTheCutOffAndIsRefusedAfterIt() async throws {
        let harness = try await APIHarness.make()
        try await harness.runPages { page, api in
            let (_, barber, service) = try await Self.shop(api)
            let early = try await Self.freeStart(api, barber: barber, service: service)
            let booked = try await Self.registerAndBook(page, barber: barber, service: service, start: early, email: "c@shop.test")
            let id = try #require(booked.location.flatMap { Int($0.split(separator: "/")[2].split(separator: "?")[0]) })
            let me = try await page.get("/me")
            let cancelled = try await page.post("/me/appointments/\(id)/cancel", [("csrf", try #require(me.csrf))])
            #expect(cancelled.status == .seeOther && cancelled.location == "/me?cancelled=\(id)")
            let after = try await page.get("/me?cancelled=\(id)")
            #expect(after.body.contains("Your appointment was cancelled.") && after.body.contains("Cancelled"))

            // A second booking; then the clock passes its cut-off (2 h before the start).
            let confirm = try await page.get(Self.confirmURI(barber: barber, service: service, start: early))
            let again = try await page.post(
                "/book", [("csrf", try #require(confirm.csrf)), ("service_id", "\(service)"), ("barber_id", "\(barber)"), ("start", early)])
            let second = try #require(again.location.flatMap { Int($0.split(separator: "/")[2].split(separator: "?")[0]) })
            harness.clock.set(RFC3339.parse("2027-03-03T13:30:00Z")!)
            let late = try await page.get("/me")
            #expect(late.body.contains("The online cut-off (Wed 3 Mar, 07:00) has passed"))
            #expect(!late.body.contains("/me/appointments/\(second)/cancel"))
            let refused = try await page.post("/me/appointments/\(second)/cancel", [("csrf", try #require(late.csrf))])
            #expect(refused.status == .conflict && refused.body.contains("too late to change this appointment"))
            let token = try await api.login("c@shop.test", "client-password")
            #expect(try await api.send(.get, "/api/v2/appointments/\(second)", token: token)["status"] as? String == "confirmed")
        }
    }

    @Test func aClientReschedulesToAnotherFreeTime() async throws {
        let harness = try await APIHarness.make()
        try await harness.runPages { page, api in
            let (_, barber, service) = try await Self.shop(api)
            let start = try await Self.freeStart(api, barber: barber, service: service)
            let booked = try await Self.registerAndBook(page, barber: barber, service: service, start: start, email: "r@shop.test")
            let id = try #require(booked.location.flatMap { Int($0.split(separator: "/")[2].split(separator: "?")[0]) })
            let choose = try await page.get("/me/appointments/\(id)/reschedule?date=2027-03-04")
            #expect(choose.status == .ok)
            let slot = try #require(choose.allMatches(#"name="slot" value="([^"]+)""#).first)
            #expect(slot == "\(barber)@2027-03-04T09:00:00-05:00")
            let moved = try await page.post("/me/appointments/\(id)/reschedule", [("csrf", try #require(choose.csrf)), ("slot", slot)])
            #expect(moved.status == .seeOther && moved.location == "/me/appointments/\(id)?rescheduled=1")
            let token = try await api.login("r@shop.test", "client-password")
            #expect(try await api.send(.get, "/api/v2/appointments/\(id)", token: token)["start"] as? String == "2027-03-04T09:00:00-05:00")
            let stale = try await page.post("/me/appointments/\(id)/reschedule", [("csrf", try #require(choose.csrf)), ("slot", "bad")])
            #expect(stale.status == .badRequest && stale.headers[.contentType] == "text/html; charset=utf-8")
        }
    }

    @Test func theBarberPageShowsGapsMarksAppointmentsAndTimeOff() async throws {
        let harness = try await APIHarness.make(now: RFC3339.parse("2027-03-03T05:00:00Z")!)
        try await harness.runPages { page, api in
            let (_, barber, service) = try await Self.shop(api)
            let client = try await api.register("client@shop.test", name: Self.xss)
            let booked = try await api.book(client.token, barber: barber, service: service, start: "2027-03-03T10:00:00-05:00")
            #expect(booked.status == .created)
            let form = try await page.get("/login")
            _ = try await page.post("/login", [("csrf", try #require(form.csrf)), ("email", "barber@shop.test"), ("password", "barber-password")])
            let day = try await page.get("/barber")
            #expect(day.status == .ok && !day.body.contains(Self.xss))
            #expect(day.body.contains("09:00–10:00") && day.body.contains("10:30–17:00"), "the gaps around the booking")
            #expect(day.body.contains("/barber/appointments/\(booked.id)/complete"))

            let done = try await page.post("/barber/appointments/\(booked.id)/complete", [("csrf", try #require(day.csrf)), ("barber_id", "\(barber)")])
            #expect(done.status == .seeOther)
            #expect(try await api.send(.get, "/api/v2/appointments/\(booked.id)", token: client.token)["status"] as? String == "completed")
            let again = try await page.post("/barber/appointments/\(booked.id)/no-show", [("csrf", try #require(day.csrf))])
            #expect(again.status == .conflict && again.body.contains("cannot mark as no-show an appointment that is completed"))

            let off = try await page.post(
                "/barber/time-off", [("csrf", try #require(day.csrf)), ("barber_id", "\(barber)"), ("date", "2027-03-03"), ("from", "15:00"), ("to", "16:00"), ("reason", Self.xss)])
            #expect(off.status == .seeOther)
            let withOff = try await page.get("/barber")
            #expect(withOff.body.contains("Time off") && !withOff.body.contains(Self.xss))
            let removeAction = try #require(withOff.firstMatch(#"action="(/barber/time-off/\d+/remove)""#))
            #expect(try await page.post(removeAction, [("csrf", try #require(withOff.csrf)), ("barber_id", "\(barber)")]).status == .seeOther)
            #expect(!(try await page.get("/barber")).body.contains(removeAction))
        }
    }

    @Test func theAdminEditsAScheduleAndTheBookingPageChanges() async throws {
        let harness = try await APIHarness.make()
        try await harness.runPages { page, api in
            let (_, barber, service) = try await Self.shop(api)
            let form = try await page.get("/login")
            _ = try await page.post("/login", [("csrf", try #require(form.csrf)), ("email", APIHarness.adminEmail), ("password", APIHarness.adminPassword)])
            let admin = try await page.get("/admin")
            var fields: [(String, String)] = [("csrf", try #require(admin.csrf))]
            for day in Weekday.allCases { fields.append((day.rawValue, day == .wednesday ? "13:00-14:00" : "")) }
            fields.append(("buffer_minutes", "0"))
            let saved = try await page.post("/admin/barbers/\(barber)/schedule", fields)
            #expect(saved.status == .seeOther && saved.location == "/admin#barber-\(barber)")
            let slots = try await api.send(.get, "/api/v2/appointments/slots?service_id=\(service)&date=2027-03-03&barber_id=\(barber)")
            #expect(slots.list("slots").compactMap { $0["start"] as? String } == ["2027-03-03T13:00:00-05:00", "2027-03-03T13:15:00-05:00", "2027-03-03T13:30:00-05:00"])
            let book = try await page.get("/?service_id=\(service)&date=2027-03-03")
            #expect(book.allMatches(#"<a class="time" href="[^"]*">(\d\d:\d\d)"#) == ["13:00", "13:15", "13:30"])

            fields[3] = ("wednesday", "14:00-13:00")
            let refused = try await page.post("/admin/barbers/\(barber)/schedule", fields)
            #expect(refused.status == .unprocessableContent && refused.body.contains("id=\"barber-\(barber)-error\""))
            fields[3] = ("wednesday", "nine to five")
            #expect(try await page.post("/admin/barbers/\(barber)/schedule", fields).status == .unprocessableContent)
        }
    }

    @Test func assetsAreFingerprintedCachedForeverAnsweredWith304AndGzipped() async throws {
        let harness = try await APIHarness.make()
        try await harness.runPages { page, api in
            _ = try await Self.shop(api)
            let home = try await page.get("/")
            let css = try #require(home.firstMatch(#"<link rel="stylesheet" href="(/static/app\.[0-9a-f]{12}\.css)">"#))
            let script = try #require(home.firstMatch(#"<script type="module" src="(/static/timezone\.[0-9a-f]{12}\.js)">"#))
            let first = try await page.get(css)
            #expect(first.status == .ok && first.headers[.contentType] == "text/css; charset=utf-8")
            #expect(first.headers[.cacheControl] == "public, max-age=31536000, immutable")
            let etag = try #require(first.headers[.eTag])
            #expect(try await page.get(css, headers: [.ifNoneMatch: etag]).status == .notModified)
            let zipped = try await page.client.execute(uri: css, method: .get, headers: [.acceptEncoding: "gzip"], body: nil) { $0 }
            #expect(zipped.headers[.contentEncoding] == "gzip")
            #expect(try await page.get(script).headers[.contentType] == "text/javascript; charset=utf-8")
            #expect(try await page.get("/static/app.000000000000.css").status == .notFound)
            let total = harness.app.renderer.assets.all.reduce(0) { $0 + $1.bytes.readableBytes }
            #expect(total < 60 * 1024, "the pages' assets are \(total) bytes")
        }
    }
}

/// The session cookies get `Secure` exactly when the request came over TLS: `X-Forwarded-Proto:
/// https` from a `--trusted-proxy`. From any other peer the header is the client's word and is
/// ignored. Needs a real socket peer, so it runs a live server on loopback.
@Suite struct WebCookieSecurityTests {
    static func loginPageHead(port: Int, forwardedProto: String?) async throws -> String {
        let connection = try RawConnection(port: port)
        connection.send(
            "GET /login HTTP/1.1\r\nHost: localhost\r\n" + (forwardedProto.map { "X-Forwarded-Proto: \($0)\r\n" } ?? "")
                + "Connection: close\r\n\r\n")
        let answer = await connection.receive(within: 30) ?? ""
        return String(answer.prefix { $0 != "<" })
    }

    static func visitorCookie(_ head: String) -> String? {
        head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("set-cookie: bb_visitor=") }.map(String.init)
    }

    @Test func behindATrustedTLSProxyTheCookiesAreSecure() async throws {
        try await withLiveServer({ $0.rateLimit.trustedProxies = [IPAddressRange("127.0.0.1")!] }) { port in
            let tls = try #require(Self.visitorCookie(try await Self.loginPageHead(port: port, forwardedProto: "https")))
            #expect(tls.contains("; Secure") && tls.contains("; HttpOnly") && tls.contains("SameSite=Lax"), "\(tls)")
            let plain = try #require(Self.visitorCookie(try await Self.loginPageHead(port: port, forwardedProto: nil)))
            #expect(!plain.contains("Secure") && plain.contains("; HttpOnly"), "\(plain)")
        }
    }

    @Test func fromAnUntrustedPeerTheForwardedProtoIsIgnored() async throws {
        try await withLiveServer({ _ in }) { port in
            let head = try await Self.loginPageHead(port: port, forwardedProto: "https")
            let cookie = try #require(Self.visitorCookie(head), "\(head)")
            #expect(!cookie.contains("Secure"), "\(cookie)")
        }
    }
}

extension WebPageTests {
    @Test func theAdminFiltersAndPagesThroughAppointments() async throws {
        let harness = try await APIHarness.make()
        try await harness.runPages { page, api in
            let (_, barber, service) = try await Self.shop(api)
            let client = try await api.register("many@shop.test", name: "Many")
            var ids: [Int] = []
            for index in 0..<25 {
                let start = String(format: "2027-03-%02dT10:00:00-05:00", 3 + index)
                let booked = try await api.book(client.token, barber: barber, service: service, start: start)
                #expect(booked.status == .created, "\(booked.raw)")
                ids.append(booked.id)
            }
            _ = try await api.send(.post, "/api/v2/appointments/\(ids[1])/cancel", token: client.token)
            let form = try await page.get("/login")
            _ = try await page.post("/login", [("csrf", try #require(form.csrf)), ("email", APIHarness.adminEmail), ("password", APIHarness.adminPassword)])
            let first = try await page.get("/admin")
            let rows = first.allMatches(#"<tr><td>(\d+)</td>"#).compactMap { Int($0) }
            #expect(rows == Array(ids.prefix(20)))
            let next = try #require(first.firstMatch(#"<a href="([^"]+)" id="next-page">"#)).replacingOccurrences(of: "&amp;", with: "&")
            let second = try await page.get(next)
            #expect(second.allMatches(#"<tr><td>(\d+)</td>"#).compactMap { Int($0) } == Array(ids.suffix(5)))
            #expect(second.firstMatch(#"id="(next-page)""#) == nil)

            let cancelled = try await page.get("/admin?status=cancelled&barber_id=\(barber)")
            #expect(cancelled.allMatches(#"<tr><td>(\d+)</td>"#).compactMap { Int($0) } == [ids[1]])
            let dated = try await page.get("/admin?from=2027-03-05&to=2027-03-06")
            #expect(dated.allMatches(#"<tr><td>(\d+)</td>"#).compactMap { Int($0) } == [ids[2], ids[3]])
            let wrong = try await page.get("/admin?from=March")
            #expect(wrong.status == .ok && wrong.body.contains("dates are written YYYY-MM-DD"))
        }
    }
}
