import BookedBarberHTTP
import BookingCore
import BookingEngine
import Foundation
import Logging

/// The demo shop `serve --demo` seeds into an empty state: three barbers with working weeks, four
/// services, and logins for an admin, a barber and a client, all printed at start.
public enum DemoShop {
    public struct Login: Sendable {
        public var role: String
        public var email: String
        public var password: String
    }

    public static let admin = Login(role: "admin", email: "admin@demo.bookedbarber.test", password: "demo-admin-pass")
    public static let barber = Login(role: "barber", email: "alex@demo.bookedbarber.test", password: "demo-barber-pass")
    public static let client = Login(role: "client", email: "client@demo.bookedbarber.test", password: "demo-client-pass")

    /// Seeds the shop if it has no barbers yet; returns the logins to print, or [] if it did nothing.
    public static func seed(_ app: BookedBarberApp, into engine: ShopEngine) async throws -> [Login] {
        guard engine.catalog.barberIDs.isEmpty else { return [] }
        _ = try await engine.updateShop { settings in
            settings.name = "BookedBarber Demo Shop"
            settings.timeZone = "America/New_York"
        }
        if await engine.user(email: admin.email) == nil {
            _ = try await engine.createUser(
                email: admin.email, name: "Demo Admin", phone: nil, role: .admin,
                passwordHash: await app.passwords.hash(admin.password))
        }
        _ = try await engine.createUser(
            email: client.email, name: "Demo Client", phone: "+1 555 0100", role: .client,
            passwordHash: await app.passwords.hash(client.password))

        let weekdays: [WorkPeriod] = [
            WorkPeriod(start: TimeOfDay(minutes: 9 * 60), end: TimeOfDay(minutes: 12 * 60)),
            WorkPeriod(start: TimeOfDay(minutes: 13 * 60), end: TimeOfDay(minutes: 17 * 60)),
        ]
        let saturday = [WorkPeriod(start: TimeOfDay(minutes: 10 * 60), end: TimeOfDay(minutes: 16 * 60))]
        let week = try WeeklySchedule.validated([
            .monday: weekdays, .tuesday: weekdays, .wednesday: weekdays, .thursday: weekdays, .friday: weekdays,
            .saturday: saturday,
        ]).get()
        let alex = try await engine.createBarber(
            name: "Alex Fade", account: (barber.email, await app.passwords.hash(barber.password)))
        let sam = try await engine.createBarber(name: "Sam Shears", account: nil)
        let jo = try await engine.createBarber(name: "Jo Razor", account: nil)
        let system = Requester(userID: 0, role: .admin)
        for (member, buffer) in [(alex, 0), (sam, 5), (jo, 10)] {
            _ = try await engine.setSchedule(member.id, weekly: week, bufferMinutes: buffer, by: system)
        }
        _ = try await engine.createService(name: "Haircut", durationMinutes: 30, priceCents: 3000, barberIDs: nil)
        _ = try await engine.createService(name: "Beard trim", durationMinutes: 15, priceCents: 1500, barberIDs: nil)
        _ = try await engine.createService(name: "Cut and beard", durationMinutes: 45, priceCents: 4200, barberIDs: nil)
        _ = try await engine.createService(name: "Hot towel shave", durationMinutes: 45, priceCents: 4000, barberIDs: [jo.id])
        return [admin, barber, client]
    }
}
