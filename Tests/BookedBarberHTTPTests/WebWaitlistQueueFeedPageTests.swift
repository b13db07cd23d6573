import BookingCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import BookedBarberHTTP

/// The pages added for the waitlist, calendar feeds, live updates and the walk-in board, through
/// the real router: status codes, errors next to their field, escaping, CSRF refusals and the
/// engine's role checks.
@Suite struct WebWaitlistQueueFeedPageTests {
    static let xss = WebPageTests.xss
    static let day = "2027-03-03"

    /// Signs `page` in through the login form.
    static func signIn(_ page: BrowserlessClient, _ email: String, _ password: String) async throws {
        let form = try await page.get("/login")
        let answer = try await page.post("/login", [("csrf", try #require(form.csrf)), ("email", email), ("password", password)])
        #expect(answer.status == .seeOther, "\(answer.body.prefix(500))")
    }

    /// The `WebPageTests` shop with the barber working 09:00-10:00 only, and both half hours of
    /// `day` booked by another client: a full day.
    static func fullDay(_ api: APIClient) async throws -> (admin: String, barber: Int, service: Int, holder: String, booked: [Int]) {
        let (admin, barber, service) = try await WebPageTests.shop(api)
        let schedule = try await api.send(
            .put, "/api/v2/barbers/\(barber)/schedule", token: admin, json: ["weekly": APIClient.everyDay("09:00", "10:00"), "buffer_minutes": 0])
        #expect(schedule.status == .ok, "\(schedule.raw)")
        let holder = try await api.register("holder@shop.test", name: "Holder")
        var booked: [Int] = []
        for start in ["\(day)T09:00:00-05:00", "\(day)T09:30:00-05:00"] {
            let answer = try await api.book(holder.token, barber: barber, service: service, start: start)
            #expect(answer.status == .created, "\(answer.raw)")
            booked.append(answer.id)
        }
        return (admin, barber, service, holder.token, booked)
    }

    static func joinFields(_ csrf: String?, service: Int, from: String = day, to: String = day, timeFrom: String = "", timeTo: String = "")
        -> [(String, String)]
    {
        (csrf.map { [("csrf", $0)] } ?? [])
            + [("service_id", "\(service)"), ("barber_id", ""), ("date_from", from), ("date_to", to), ("time_from", timeFrom), ("time_to", timeTo)]
    }

    @Test func aClientJoinsTheWaitlistOnAFullDayClaimsTheOfferAndLeavesAnotherEntry() async throws {
        let harness = try await APIHarness.make()
        try await harness.runPages { page, api in
            let shop = try await Self.fullDay(api)
            let client = try await api.register("wait@shop.test", name: "Waiting \(Self.xss)")
            try await Self.signIn(page, "wait@shop.test", "password123")

            let book = try await page.get("/?service_id=\(shop.service)&date=\(Self.day)")
            #expect(book.status == .ok && book.body.contains("Nothing free? Join the waitlist"))
            #expect(book.body.contains(#"id="waitlist-date-from" name="date_from" type="date" required min="2027-03-01" value="2027-03-03""#))
            #expect(!book.body.contains(Self.xss) && book.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))

            // Refused without the page's token; nothing joined.
            let forged = try await page.post("/waitlist", Self.joinFields(nil, service: shop.service))
            #expect(forged.status == .forbidden && forged.body.contains("security token"))
            #expect(try await api.send(.get, "/api/v2/waitlist", token: client.token).list("entries").isEmpty)

            // The engine's and the parser's refusals, next to their field, with what was typed kept.
            let backwards = try await page.post("/waitlist", Self.joinFields(book.csrf, service: shop.service, from: "2027-03-05", to: Self.day))
            #expect(backwards.status == .unprocessableContent)
            #expect(backwards.body.contains(#"<p class="error" id="waitlist-date-to-error">date_to must not be before date_from</p>"#))
            #expect(backwards.body.contains(#"id="waitlist-date-from" name="date_from" type="date" required min="2027-03-01" value="2027-03-05""#))
            let badTime = try await page.post("/waitlist", Self.joinFields(book.csrf, service: shop.service, timeFrom: "nine"))
            #expect(badTime.status == .badRequest)
            #expect(badTime.body.contains(#"<p class="error" id="waitlist-time-from-error">time_from: expected a time HH:MM</p>"#))
            let window = try await page.post("/waitlist", Self.joinFields(book.csrf, service: shop.service, timeFrom: "12:00", timeTo: "11:00"))
            #expect(window.status == .unprocessableContent && window.body.contains(#"id="waitlist-time-to-error">time_to must be after time_from"#))
            let unknown = try await page.post("/waitlist", Self.joinFields(book.csrf, service: 999))
            #expect(unknown.status == .notFound && unknown.body.contains(#"id="waitlist-service-error""#))
            #expect(try await api.send(.get, "/api/v2/waitlist", token: client.token).list("entries").isEmpty)

            let joined = try await page.post("/waitlist", Self.joinFields(book.csrf, service: shop.service))
            #expect(joined.status == .seeOther, "\(joined.body.prefix(1000))")
            let entry = try #require(joined.location.flatMap { $0.split(separator: "=").last.flatMap { Int($0) } })
            #expect(joined.location == "/me?joined=\(entry)")
            let waiting = try await page.get("/me?joined=\(entry)")
            #expect(waiting.body.contains("You are on the waitlist") && waiting.body.contains("id=\"waitlist-\(entry)\""))
            #expect(waiting.body.contains("Waiting") && !waiting.body.contains("id=\"offer-\(entry)\""))

            // The holder cancels: the start is offered to the entry, shown with its expiry and Claim.
            let cancelled = try await api.send(.post, "/api/v2/appointments/\(shop.booked[0])/cancel", token: shop.holder, json: [:])
            #expect(cancelled.status == .ok, "\(cancelled.raw)")
            let offered = try await page.get("/me")
            #expect(offered.body.contains("id=\"offer-\(entry)\""))
            #expect(offered.body.contains("A time opened for you: <strong>Wed 3 Mar, 09:00</strong>"))
            #expect(offered.body.contains("held for you until Mon 1 Mar, 07:15"), "\(offered.body)")
            let claim = try #require(offered.firstMatch(#"action="(/me/waitlist/\d+/claim)""#))
            let claimed = try await page.post(claim, [("csrf", try #require(offered.csrf))])
            #expect(claimed.status == .seeOther)
            let appointment = try #require(claimed.location.flatMap { $0.split(separator: "/")[2].split(separator: "?").first.flatMap { Int($0) } })
            #expect(claimed.location == "/me/appointments/\(appointment)?booked=1")
            #expect(try await page.get(try #require(claimed.location)).body.contains("You are booked"))
            let booked = try await api.appointment(appointment, token: client.token)
            #expect(booked["start"] as? String == "\(Self.day)T09:00:00-05:00" && booked["client_id"] as? Int == client.id)

            // No live offer any more: 409 and the page says so.
            let again = try await page.post(claim, [("csrf", try #require(offered.csrf))])
            #expect(again.status == .conflict && again.body.contains("The offered time was not booked"))

            // Another entry, then leaving it.
            let second = try await page.post("/waitlist", Self.joinFields(book.csrf, service: shop.service, from: "2027-03-04", to: "2027-03-04"))
            let secondID = try #require(second.location.flatMap { $0.split(separator: "=").last.flatMap { Int($0) } })
            let left = try await page.post("/me/waitlist/\(secondID)/leave", [("csrf", try #require(offered.csrf))])
            #expect(left.status == .seeOther && left.location == "/me?left=\(secondID)")
            let status = try await api.send(.get, "/api/v2/waitlist", token: client.token).list("entries").first { $0["id"] as? Int == secondID }
            #expect(status?["status"] as? String == "cancelled")
            #expect(try await page.post("/me/waitlist/\(secondID)/leave", []).status == .forbidden)
        }
    }

    @Test func anotherClientsEntryIsRefusedAndVisitorsAreSentToSignIn() async throws {
        let harness = try await APIHarness.make()
        try await harness.runPages { page, api in
            let shop = try await Self.fullDay(api)
            let other = try await api.register("other@shop.test", name: "Other")
            let entry = try await api.send(
                .post, "/api/v2/waitlist", token: other.token, json: ["service_id": shop.service, "date_from": Self.day, "date_to": Self.day])
            #expect(entry.status == .created)

            let visitor = try await page.get("/?service_id=\(shop.service)&date=\(Self.day)")
            #expect(!visitor.body.contains("id=\"waitlist-form\""))
            let signIn = try #require(visitor.firstMatch(#"<a href="([^"]+)" id="waitlist-sign-in">"#))
            #expect(signIn == "/login?next=%2F%3Fservice_id%3D\(shop.service)%26date%3D\(Self.day)")
            #expect(try await page.get("/waitlist").location == "/login?next=%2Fwaitlist")

            _ = try await api.register("mine@shop.test", name: "Mine")
            try await Self.signIn(page, "mine@shop.test", "password123")
            let me = try await page.get("/me")
            let refused = try await page.post("/me/waitlist/\(entry.id)/leave", [("csrf", try #require(me.csrf))])
            #expect(refused.status == .forbidden && refused.headers[.contentType] == "text/html; charset=utf-8")
            #expect(try await page.post("/me/waitlist/\(entry.id)/claim", [("csrf", try #require(me.csrf))]).status == .forbidden)

            // Staff see no waitlist form on the booking page (they book for clients over the API).
            let barber = BrowserlessClient(page.client)
            try await Self.signIn(barber, "barber@shop.test", "barber-password")
            #expect(!(try await barber.get("/?service_id=\(shop.service)&date=\(Self.day)")).body.contains("id=\"waitlist\""))
        }
    }

    @Test func feedLinksAreMadeOnMeAndTheBarberPageAndANewOneRevokesTheOld() async throws {
        let harness = try await APIHarness.make()
        try await harness.runPages { page, api in
            let (_, barber, service) = try await WebPageTests.shop(api)
            let client = try await api.register("feed@shop.test", name: "Feed")
            #expect(try await api.book(client.token, barber: barber, service: service, start: "\(Self.day)T10:00:00-05:00").status == .created)
            try await Self.signIn(page, "feed@shop.test", "password123")
            let me = try await page.get("/me")
            #expect(me.body.contains("Subscribe in your calendar") && !me.body.contains("id=\"feed-address\""))
            #expect(try await page.post("/me/calendar-feed", []).status == .forbidden)

            // The address on the server the page came from (the router tests' authority is `localhost`).
            let made = try await page.post("/me/calendar-feed", [("csrf", try #require(me.csrf))])
            #expect(made.status == .ok)
            let token = try #require(made.firstMatch(#"href="webcal://localhost/calendar/([A-Za-z0-9_-]+)\.ics""#))
            #expect(made.body.contains("href=\"http://localhost/calendar/\(token).ics\""))
            let feed = try await page.get("/calendar/\(token).ics")
            #expect(feed.status == .ok && feed.headers[.contentType] == "text/calendar; charset=utf-8" && feed.body.contains("BEGIN:VEVENT"))
            let remade = try await page.post("/me/calendar-feed", [("csrf", try #require(me.csrf))])
            let newer = try #require(remade.firstMatch(#"href="webcal://[^/]+/calendar/([A-Za-z0-9_-]+)\.ics""#))
            #expect(newer != token)
            #expect(try await page.get("/calendar/\(token).ics").status == .notFound)
            #expect(try await page.get("/calendar/\(newer).ics").status == .ok)

            // A client may not make a barber's feed; the barber may, for their own calendar only.
            let refused = try await page.post("/barber/calendar-feed", [("csrf", try #require(me.csrf)), ("barber_id", "\(barber)")])
            #expect(refused.status == .forbidden)
            let staff = BrowserlessClient(page.client)
            try await Self.signIn(staff, "barber@shop.test", "barber-password")
            let schedule = try await staff.get("/barber")
            let barberFeed = try await staff.post("/barber/calendar-feed", [("csrf", try #require(schedule.csrf)), ("barber_id", "\(barber)")])
            #expect(barberFeed.status == .ok && barberFeed.body.contains("id=\"schedule\""))
            let barberToken = try #require(barberFeed.firstMatch(#"href="webcal://[^/]+/calendar/([A-Za-z0-9_-]+)\.ics""#))
            let barberCalendar = try await staff.get("/calendar/\(barberToken).ics")
            #expect(barberCalendar.status == .ok && barberCalendar.body.contains("SUMMARY:Cut <script>alert(1)</script> — Feed"))
            let admin = try await api.adminToken()
            let second = try await api.createBarber(adminToken: admin, name: "Second")
            let notTheirs = try await staff.post("/barber/calendar-feed", [("csrf", try #require(schedule.csrf)), ("barber_id", "\(second)")])
            #expect(notTheirs.status == .forbidden)
        }
    }

    @Test func theLivePagesNameTheirStreamEventsAndPartsAndThePollingEndpointIsGone() async throws {
        let harness = try await APIHarness.make()
        try await harness.runPages { page, api in
            let (_, barber, _) = try await WebPageTests.shop(api)
            try await Self.signIn(page, "barber@shop.test", "barber-password")
            let schedule = try await page.get("/barber")
            let config = try #require(schedule.firstMatch(#"<script type="application/json" id="live-config">([^<]*)</script>"#))
            let live = try #require(try JSONSerialization.jsonObject(with: Data(config.utf8)) as? [String: Any])
            #expect(live["stream"] as? String == "/api/v2/events/stream" && live["barber_id"] as? Int == barber)
            #expect(live["source"] as? String == "/barber?barber_id=\(barber)" && live["regions"] as? [String] == ["schedule"])
            #expect((live["events"] as? [String])?.contains("appointment.created") == true)
            #expect(schedule.firstMatch(#"<script type="module" src="(/static/live\.[0-9a-f]{12}\.js)">"#) != nil)
            #expect(schedule.body.contains(#"id="live-status" role="status""#))
            #expect(try await page.get("/barber/changes.json").status == .notFound)

            _ = try await api.register("live@shop.test", name: "Live")
            let client = BrowserlessClient(page.client)
            try await Self.signIn(client, "live@shop.test", "password123")
            let me = try await client.get("/me")
            let meConfig = try #require(me.firstMatch(#"<script type="application/json" id="live-config">([^<]*)</script>"#))
            let meLive = try #require(try JSONSerialization.jsonObject(with: Data(meConfig.utf8)) as? [String: Any])
            #expect(meLive["source"] as? String == "/me" && meLive["regions"] as? [String] == ["my-lists"])
            #expect((meLive["events"] as? [String])?.contains("waitlist.offered") == true)
            #expect(me.body.contains("id=\"my-lists\""))
        }
    }

    @Test func aValueInAPagesJSONBlockCannotCloseTheBlock() throws {
        let text = PageJSON(["name": "</script>\(Self.xss)&\u{2028}"]).text
        #expect(!text.contains("<") && !text.contains(">") && !text.contains("&") && !text.contains("\u{2028}"))
        #expect(text.contains(#"\u003c\/script\u003e\u003cscript\u003ealert(1)\u003c\/script\u003e\u0026\u2028"#), "\(text)")
        let decoded = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: String]
        #expect(decoded?["name"] == "</script>\(Self.xss)&\u{2028}")
    }

    @Test func theQueueBoardShortensNamesForTheWallAndGivesStaffTheFrontDesk() async throws {
        let harness = try await APIHarness.make(now: RFC3339.parse("2027-03-03T14:00:00Z")!)
        try await harness.runPages { page, api in
            let (admin, barber, service) = try await WebPageTests.shop(api)
            let walkIn = try await api.send(
                .post, "/api/v2/queue", token: admin, json: ["name": "Sam \(Self.xss) Taylor", "service_id": service, "phone": "555 0100"])
            #expect(walkIn.status == .created, "\(walkIn.raw)")

            let wall = try await page.get("/queue")
            #expect(wall.status == .ok && wall.headers[.contentSecurityPolicy] == PageRenderer.contentSecurityPolicy)
            #expect(wall.body.contains("<span class=\"walk-in\">Sam T.</span>"), "\(wall.body)")
            #expect(!wall.body.contains("Taylor") && !wall.body.contains("555 0100") && !wall.body.contains(Self.xss))
            #expect(wall.body.contains("about 09:00") && wall.body.contains("<span class=\"position\">1</span>"))
            #expect(!wall.body.contains("check-in-form") && !wall.body.contains("/queue/\(walkIn.id)/start"))
            let live = try #require(wall.firstMatch(#"<script type="application/json" id="live-config">([^<]*)</script>"#))
            #expect(live.contains(#""stream":"\/api\/v2\/queue\/stream""#) && live.contains(#""events":["queue.updated"]"#))
            #expect(wall.body.utf8.count < 30 * 1024)

            // A visitor's form is refused: without a token 403, with one it asks to sign in.
            #expect(try await page.post("/queue/check-in", [("name", "Forged"), ("service_id", "\(service)")]).status == .forbidden)
            let visitorToken = try #require(try await page.get("/login").csrf)
            let anonymous = try await page.post("/queue/check-in", [("csrf", visitorToken), ("name", "Forged"), ("service_id", "\(service)")])
            #expect(anonymous.status == .seeOther && anonymous.location?.hasPrefix("/login") == true)
            _ = try await api.register("queue-client@shop.test", name: "Client")
            let client = BrowserlessClient(page.client)
            try await Self.signIn(client, "queue-client@shop.test", "password123")
            let clientBoard = try await client.get("/queue")
            #expect(clientBoard.body.contains("Sam T.") && !clientBoard.body.contains("check-in-form"))
            let refused = try await client.post("/queue/check-in", [("csrf", try #require(clientBoard.csrf)), ("name", "Forged"), ("service_id", "\(service)")])
            #expect(refused.status == .forbidden && refused.headers[.contentType] == "text/html; charset=utf-8")
            #expect(try await client.post("/queue/\(walkIn.id)/leave", [("csrf", try #require(clientBoard.csrf))]).status == .forbidden)

            // Staff: full names (escaped), phones, check in with errors next to the field, start, done.
            let desk = BrowserlessClient(page.client)
            try await Self.signIn(desk, "barber@shop.test", "barber-password")
            let board = try await desk.get("/queue")
            #expect(board.body.contains("Sam &lt;script&gt;alert(1)&lt;/script&gt; Taylor") && board.body.contains("555 0100"))
            #expect(board.body.contains("id=\"check-in-form\"") && !board.body.contains(Self.xss))
            let csrf = try #require(board.csrf)
            let blank = try await desk.post("/queue/check-in", [("csrf", csrf), ("name", " "), ("service_id", "\(service)"), ("barber_id", ""), ("phone", "")])
            #expect(blank.status == .unprocessableContent)
            #expect(blank.body.contains(#"<p class="error" id="check-in-name-error">name must be 1 to 200 characters</p>"#))
            let longPhone = String(repeating: "5", count: TextLimits.phone + 1)
            let phone = try await desk.post("/queue/check-in", [("csrf", csrf), ("name", "Pat Lee"), ("service_id", "\(service)"), ("phone", longPhone)])
            #expect(phone.status == .unprocessableContent && phone.body.contains(#"id="check-in-phone-error""#))
            let checked = try await desk.post("/queue/check-in", [("csrf", csrf), ("name", "Pat Lee"), ("service_id", "\(service)"), ("barber_id", "\(barber)"), ("phone", "")])
            #expect(checked.status == .seeOther && checked.location == "/queue")
            let line = try await api.send(.get, "/api/v2/queue")
            #expect(line.list("entries").compactMap { $0["name"] as? String } == ["Sam T.", "Pat L."])

            let started = try await desk.post("/queue/\(walkIn.id)/start", [("csrf", csrf), ("barber_id", "\(barber)")])
            #expect(started.status == .seeOther)
            let serving = try await desk.get("/queue")
            #expect(serving.body.contains("/queue/\(walkIn.id)/done") && !serving.body.contains("/queue/\(walkIn.id)/start"))
            let twice = try await desk.post("/queue/\(walkIn.id)/start", [("csrf", csrf), ("barber_id", "\(barber)")])
            #expect(twice.status == .conflict && twice.body.contains("was not started"))
            #expect(try await desk.post("/queue/\(walkIn.id)/done", [("csrf", csrf)]).status == .seeOther)
            let pat = try #require(line.list("entries").last?["id"] as? Int)
            #expect(try await desk.post("/queue/\(pat)/leave", [("csrf", csrf)]).status == .seeOther)
            #expect(try await api.send(.get, "/api/v2/queue").list("entries").isEmpty)
            #expect(try await desk.post("/queue/\(walkIn.id)/start", [("csrf", csrf)]).status == .badRequest)
        }
    }
}
