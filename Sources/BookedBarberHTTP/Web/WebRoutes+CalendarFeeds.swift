import BookingCore
import BookingEngine
import Foundation
import HTTPTypes
import Hummingbird

/// "Subscribe in your calendar" on `/me` (the visitor's own appointments) and `/barber` (the
/// barber's calendar): a `POST` makes a new feed with the engine's rule (a user their own; a
/// barber's by that barber or an admin), which revokes the previous one. Only the token's hash
/// is kept, so the address is shown once, on the page that answers the `POST`.
extension WebRoutes {
    func registerCalendarFeeds(_ routes: RouteTable) {
        page(routes, .post, "/me/calendar-feed") { web in
            let (requester, _) = try signedIn(web)
            let token = try await engine.issueFeed(for: .user(requester.userID), by: requester)
            return try await myAppointments(web, problem: nil, feed: FeedAddress(token: token, web: web))
        }
        page(routes, .post, "/barber/calendar-feed") { web in
            let (requester, _) = try signedIn(web)
            let form = try web.form(BarberForm.self)
            let token = try await engine.issueFeed(for: .barber(form.barber_id), by: requester)
            return try await barberPage(web, problem: nil, status: .ok, feed: FeedAddress(token: token, web: web))
        }
    }
}

/// A new feed's address as a calendar app takes it: `webcal://host/calendar/<token>.ics` (which
/// opens the subscribe dialog) and the same over the page's own scheme, to download or paste.
struct FeedAddress {
    var webcal: String
    var link: String

    init(token: String, web: WebRequest) {
        let host = web.request.head.authority ?? "localhost"
        let path = "/calendar/\(token).ics"
        webcal = "webcal://\(host)\(path)"
        link = "\(web.visitor.secure ? "https" : "http")://\(host)\(path)"
    }
}
