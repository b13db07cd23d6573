import Foundation

/// Something a barber does, with a fixed duration and price.
public struct Service: Hashable, Sendable, Codable {
    public var id: ServiceID
    public var name: String
    public var durationMinutes: Int
    public var priceCents: Int
    public var isActive: Bool
    /// The barbers who offer it; nil means every barber, those added later included.
    public var barberIDs: [BarberID]?

    public init(id: ServiceID, name: String, durationMinutes: Int, priceCents: Int, isActive: Bool, barberIDs: [BarberID]?) {
        self.id = id
        self.name = name
        self.durationMinutes = durationMinutes
        self.priceCents = priceCents
        self.isActive = isActive
        self.barberIDs = barberIDs
    }

    public func isOffered(by barber: BarberID) -> Bool { barberIDs?.contains(barber) ?? true }

    public func validate() -> BookingError? {
        if name.trimmingCharacters(in: .whitespaces).isEmpty || name.count > 200 {
            return .validationFailed("name must be 1 to 200 characters")
        }
        if !(1...1440).contains(durationMinutes) {
            return .validationFailed("duration_minutes must be between 1 and 1440")
        }
        if priceCents < 0 || priceCents > 100_000_000 {
            return .validationFailed("price_cents must be between 0 and 100000000")
        }
        return nil
    }
}

extension Collection where Element == Service {
    /// The ids of the active services `barber` offers, sorted.
    public func ids(offeredBy barber: BarberID) -> [ServiceID] {
        filter { $0.isActive && $0.isOffered(by: barber) }.map(\.id).sorted()
    }
}
