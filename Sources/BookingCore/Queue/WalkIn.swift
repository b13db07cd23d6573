/// Identifiers of walk-ins: positive, unique, never reused (see `IDAllocator`).
public typealias WalkInID = Int

public enum WalkInStatus: String, Sendable, Codable, Hashable, CaseIterable {
    case waiting, serving, done, left
}

/// Someone who walked in and waits in line for `serviceID`, with `barberID` (nil: whoever is
/// free first). Once started, `barberID` is the barber serving them and `appointmentID` the
/// appointment booked for them from that moment.
public struct WalkIn: Hashable, Sendable, Codable {
    public var id: WalkInID
    public var name: String
    public var phone: String?
    public var serviceID: ServiceID
    public var barberID: BarberID?
    public var status: WalkInStatus
    public var appointmentID: AppointmentID?
    public var checkedInAt: Instant

    public init(id: WalkInID, name: String, phone: String?, serviceID: ServiceID, barberID: BarberID?, checkedInAt: Instant) {
        self.id = id
        self.name = name
        self.phone = phone
        self.serviceID = serviceID
        self.barberID = barberID
        self.status = .waiting
        self.appointmentID = nil
        self.checkedInAt = checkedInAt
    }

    /// The name as the public board shows it: the first name and the last name's initial
    /// (`Sam Taylor` → `Sam T.`); a single name as it is.
    public var shortName: String {
        let parts = name.split(whereSeparator: \.isWhitespace)
        guard let first = parts.first else { return "" }
        guard parts.count > 1, let initial = parts.last?.first else { return String(first) }
        return "\(first) \(initial)."
    }
}
