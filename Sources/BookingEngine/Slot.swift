import BookingCore

/// A bookable start of one barber for one service.
public struct Slot: Sendable, Equatable {
    public var barberID: BarberID
    public var start: Instant
    public var end: Instant
}
