import BookingCore
import Crypto
import Foundation

extension ShopEngine {
    /// How far back a feed reaches.
    public static let feedHistoryDays = 30

    /// A new token for the feed of `owner`, revoking the previous one: 32 random bytes,
    /// base64url. Only its SHA-256 is stored (in the log and snapshots). A barber's feed may be
    /// issued by an admin or that barber; a user's by that user.
    public func issueFeed(for owner: FeedOwner, by requester: Requester) async throws(BookingError) -> String {
        switch owner {
        case .barber(let barber):
            guard catalog.barberIDs.contains(barber) else { throw .notFound("barber \(barber) not found") }
            guard requester.manages(barber: barber) else { throw .forbidden("only an admin or this barber can make their feed") }
        case .user(let user):
            guard user == requester.userID else { throw .forbidden("a user makes only their own feed") }
        }
        var generator = SystemRandomNumberGenerator()
        let token = Data((0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        let hash = Self.feedHash(token)
        try await commitNotifications { _ in .success(([.feedIssued(owner: owner, tokenHash: hash)], ())) }
        return token
    }

    static func feedHash(_ token: String) -> [UInt8] { Array(SHA256.hash(data: Data(token.utf8))) }

    /// The calendar of the feed with `token`, or nil when no current feed has it: every
    /// appointment of the owner's that ends after 30 days ago, by start.
    public func feed(token: String) async -> ICalendar? {
        let hash = Self.feedHash(token)
        guard let owner = notifications.read({ $0.feedOwner(tokenHash: hash) }) else { return nil }
        let from = clock().adding(minutes: -Self.feedHistoryDays * 24 * 60)
        let catalog = catalog
        let appointments: [Appointment]
        let forBarber: Bool
        let title: String
        switch owner {
        case .barber(let barber):
            guard let actor = router.calendar(barber) else { return nil }
            appointments = await actor.read { $0.appointments(overlapping: from, nil) }
            forBarber = true
            title = catalog.settings.name + " — " + (await actor.read { $0.barber.name })
        case .user(let id):
            guard let user = user(id: id) else { return nil }
            let requester = Requester(userID: id, role: user.role, barberID: catalog.barberIDByUser[id])
            appointments = (try? await self.appointments(AppointmentQuery(from: from), for: requester)) ?? []
            forBarber = user.role != .client
            title = catalog.settings.name
        }
        var clients: [UserID: String] = [:]
        if forBarber {
            for id in Set(appointments.map(\.clientID)) { clients[id] = user(id: id)?.name }
        }
        let ids = appointments.map(\.id)
        let revisions = notifications.read { state in ids.map { state.revisions[$0] } }
        let entries = zip(appointments, revisions).map { appointment, revision in
            let service = catalog.services[appointment.serviceID]?.name ?? "Appointment"
            let client = clients[appointment.clientID]
            return ICalendar.Entry(
                appointment: appointment, summary: client.map { service + " — " + $0 } ?? service, revision: revision)
        }
        return ICalendar(name: title, entries: entries)
    }
}
