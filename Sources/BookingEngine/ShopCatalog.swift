import BookingCore
import Foundation

/// A read-only copy of the shop-wide facts every booking request needs: settings, the shop's
/// clock, services and the barber roster. Published by `ShopDirectory` after each change and read
/// on the request path without an actor hop (a copy-on-write value behind one short lock).
public struct ShopCatalog: Sendable {
    public var settings: ShopSettings
    public var shopTime: ShopTime
    public var services: [ServiceID: Service]
    public var barberIDs: [BarberID]
    public var barberIDByUser: [UserID: BarberID]

    init(_ registry: ShopRegistry) {
        self.settings = registry.settings
        self.shopTime = ShopTime(settings: registry.settings)
        self.services = registry.services
        self.barberIDs = registry.barberIDs
        self.barberIDByUser = registry.barberIDByUser
    }

    public func policy(now: Instant) -> BookingPolicy {
        BookingPolicy(settings: settings, shopTime: shopTime, now: now)
    }

    /// Active services, by id.
    public var activeServices: [Service] { services.values.filter(\.isActive).sorted { $0.id < $1.id } }

    /// The active services `barber` offers, by id.
    public func serviceIDs(offeredBy barber: BarberID) -> [ServiceID] {
        services.values.ids(offeredBy: barber)
    }
}
