/// Identifiers are positive integers, unique per kind and never reused (see `IDAllocator`).
public typealias UserID = Int
public typealias BarberID = Int
public typealias ServiceID = Int
public typealias AppointmentID = Int
public typealias TimeOffID = Int
