import BookingCore
import BookingEngine
import NIOCore
import Foundation
import Hummingbird

// The JSON shapes of ../shared/API.md, built from domain values. Instants are written with the
// shop's offset at that instant (`ShopTime.format`).

struct UserJSON: ResponseEncodable {
    var id: Int
    var email: String
    var name: String
    var role: String
    var phone: String?

    init(_ user: User) {
        id = user.id
        email = user.email
        name = user.name
        role = user.role.rawValue
        phone = user.phone
    }
}

struct TokenJSON: ResponseEncodable {
    var token: String
    var user: UserJSON
}

struct ShopJSON: ResponseEncodable {
    var name: String
    var time_zone: String
    var slot_interval_minutes: Int
    var min_notice_minutes: Int
    var max_advance_days: Int
    var cancellation_cutoff_minutes: Int

    init(_ settings: ShopSettings) {
        name = settings.name
        time_zone = settings.timeZone
        slot_interval_minutes = settings.slotIntervalMinutes
        min_notice_minutes = settings.minNoticeMinutes
        max_advance_days = settings.maxAdvanceDays
        cancellation_cutoff_minutes = settings.cancellationCutoffMinutes
    }
}

struct PeriodJSON: Codable {
    var start: String
    var end: String
}

struct BarberJSON: ResponseEncodable {
    var id: Int
    var name: String
    var is_active: Bool
    var user_id: Int?
    var weekly: [String: [PeriodJSON]]
    var buffer_minutes: Int
    var service_ids: [Int]

    init(_ barber: Barber, serviceIDs: [ServiceID]) {
        id = barber.id
        name = barber.name
        is_active = barber.isActive
        user_id = barber.userID
        weekly = Dictionary(uniqueKeysWithValues: barber.weekly.byDay.map { day, periods in
            (day.rawValue, periods.map { PeriodJSON(start: $0.start.description, end: $0.end.description) })
        })
        buffer_minutes = barber.bufferMinutes
        service_ids = serviceIDs
    }
}

struct ServiceJSON: ResponseEncodable {
    var service: Service

    enum Keys: String, CodingKey { case id, name, duration_minutes, price_cents, is_active, barber_ids }

    /// `barber_ids` is written as `null` (not left out) when every barber offers the service.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(service.id, forKey: .id)
        try container.encode(service.name, forKey: .name)
        try container.encode(service.durationMinutes, forKey: .duration_minutes)
        try container.encode(service.priceCents, forKey: .price_cents)
        try container.encode(service.isActive, forKey: .is_active)
        try container.encode(service.barberIDs, forKey: .barber_ids)
    }
}

struct AppointmentJSON: ResponseEncodable {
    var id: Int
    var barber_id: Int
    var client_id: Int
    var service_id: Int
    var start: String
    var end: String
    var status: String
    var price_cents: Int
    var notes: String?
    var created_at: String
    var cancel_reason: String?

    init(_ appointment: Appointment, _ time: ShopTime) {
        id = appointment.id
        barber_id = appointment.barberID
        client_id = appointment.clientID
        service_id = appointment.serviceID
        start = time.format(appointment.start)
        end = time.format(appointment.end)
        status = appointment.status.rawValue
        price_cents = appointment.priceCents
        notes = appointment.notes
        created_at = time.format(appointment.createdAt)
        cancel_reason = appointment.cancelReason
    }
}

struct TimeOffJSON: ResponseEncodable {
    var timeOff: TimeOff
    var time: ShopTime

    enum Keys: String, CodingKey { case id, start, end, reason }

    /// `reason` is written as `null` when none was given.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(timeOff.id, forKey: .id)
        try container.encode(time.format(timeOff.start), forKey: .start)
        try container.encode(time.format(timeOff.end), forKey: .end)
        try container.encode(timeOff.reason, forKey: .reason)
    }
}

/// The slots answer, written straight into a buffer rather than through `JSONEncoder`: a day of
/// slots is up to a few hundred objects, and the generic encoder took more CPU than everything
/// else in the route together (BENCHMARKS.md). Every string here comes from a known alphabet
/// (digits, `-`, `:`, `T`, `+`, and an IANA zone name checked against tzdata), so none needs
/// escaping; `precondition` guards that.
struct SlotsJSON {
    var date: CivilDate
    var timeZone: String
    var serviceID: Int
    var slots: [Slot]
    var time: ShopTime

    func encoded() -> ByteBuffer {
        precondition(timeZone.utf8.allSatisfy { $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") && $0 >= 0x20 })
        var buffer = ByteBuffer()
        buffer.reserveCapacity(80 + slots.count * 90)
        buffer.writeString(#"{"date":""# + date.description + #"","time_zone":""# + timeZone + #"","service_id":"#)
        buffer.writeString(String(serviceID))
        buffer.writeString(#","slots":["#)
        for (index, slot) in slots.enumerated() {
            if index > 0 { buffer.writeString(",") }
            buffer.writeString(#"{"barber_id":"#)
            buffer.writeString(String(slot.barberID))
            buffer.writeString(#","start":""#)
            buffer.writeString(time.format(slot.start))
            buffer.writeString(#"","end":""#)
            buffer.writeString(time.format(slot.end))
            buffer.writeString(#""}"#)
        }
        buffer.writeString("]}")
        return buffer
    }
}
