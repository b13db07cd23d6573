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

    /// The same bytes as this shape through `JSONEncoder` (`JSONWriter`'s invariant): the answer
    /// of `/auth/me`, an authenticated read on every page load.
    static func buffer(_ user: User) -> ByteBuffer {
        var json = JSONWriter(capacity: 160)
        json.beginObject()
        json.field("email", user.email)
        json.field("id", user.id)
        json.field("name", user.name)
        json.field("phone", user.phone)
        json.field("role", user.role.rawValue)
        json.endObject()
        return json.buffer
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
    var waitlist_hold_minutes: Int

    init(_ settings: ShopSettings) {
        name = settings.name
        time_zone = settings.timeZone
        slot_interval_minutes = settings.slotIntervalMinutes
        min_notice_minutes = settings.minNoticeMinutes
        max_advance_days = settings.maxAdvanceDays
        cancellation_cutoff_minutes = settings.cancellationCutoffMinutes
        waitlist_hold_minutes = settings.waitlistHoldMinutes
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

    /// The same bytes as this shape through `JSONEncoder` (`JSONWriter`'s invariant), without
    /// building it: a booking's answer and every appointment event's body.
    static func write(_ appointment: Appointment, _ time: ShopTime, into json: inout JSONWriter) {
        json.beginObject()
        json.field("barber_id", appointment.barberID)
        json.field("cancel_reason", appointment.cancelReason)
        json.field("client_id", appointment.clientID)
        json.field("created_at", appointment.createdAt, time)
        json.field("end", appointment.end, time)
        json.field("id", appointment.id)
        json.field("notes", appointment.notes)
        json.field("price_cents", appointment.priceCents)
        json.field("service_id", appointment.serviceID)
        json.field("start", appointment.start, time)
        json.field("status", appointment.status.rawValue)
        json.endObject()
    }

    /// A booking's answer.
    static func data(_ appointment: Appointment, _ time: ShopTime) -> Data {
        var json = JSONWriter()
        write(appointment, time, into: &json)
        return json.data
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
/// else in the route together (BENCHMARKS.md). The slot objects are written byte by byte into
/// one reserved region (no `String` per slot or per time: those allocations and the buffer's
/// per-write checks were a fifth of the route, bench/profile.sh). Every string here comes from a
/// known alphabet (digits, `-`, `:`, `T`, `+`, and an IANA zone name checked against tzdata), so
/// none needs escaping; `precondition` guards that.
struct SlotsJSON {
    var date: CivilDate
    var timeZone: String
    var serviceID: Int
    var slots: [Slot]
    var time: ShopTime

    private static let barberKey = Array(#"{"barber_id":"#.utf8)
    private static let startKey = Array(#","start":""#.utf8)
    private static let endKey = Array(#"","end":""#.utf8)
    private static let objectEnd = Array(#""}"#.utf8)
    /// The longest slot object: the keys, two times and a barber id of up to 20 digits.
    private static let maximumSlotBytes = 1 + barberKey.count + 20 + startKey.count + endKey.count + objectEnd.count
        + 2 * RFC3339.formattedLength

    func encoded() -> ByteBuffer {
        precondition(timeZone.utf8.allSatisfy { $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") && $0 >= 0x20 })
        var buffer = ByteBuffer()
        buffer.reserveCapacity(80 + timeZone.utf8.count + slots.count * Self.maximumSlotBytes)
        buffer.writeString(#"{"date":""# + date.description + #"","time_zone":""# + timeZone + #"","service_id":"#)
        buffer.writeString(String(serviceID))
        buffer.writeString(#","slots":["#)
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: slots.count * Self.maximumSlotBytes) { output in
            var position = 0
            var times = RFC3339Run()
            func put(_ bytes: [UInt8]) {
                bytes.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: output[position...]).copyMemory(from: $0) }
                position += bytes.count
            }
            func put(_ instant: Instant) {
                position += times.write(
                    instant, offsetSeconds: time.offsetSeconds(at: instant),
                    into: UnsafeMutableRawBufferPointer(rebasing: output[position...]))
            }
            for (index, slot) in slots.enumerated() {
                if index > 0 {
                    output[position] = UInt8(ascii: ",")
                    position += 1
                }
                put(Self.barberKey)
                precondition(slot.barberID > 0, "barber ids are positive")
                var digits = 1
                var rest = slot.barberID / 10
                while rest > 0 {
                    digits += 1
                    rest /= 10
                }
                var value = slot.barberID
                for offset in stride(from: digits - 1, through: 0, by: -1) {
                    output[position + offset] = UInt8(48 + value % 10)
                    value /= 10
                }
                position += digits
                put(Self.startKey)
                put(slot.start)
                put(Self.endKey)
                put(slot.end)
                put(Self.objectEnd)
            }
            return position
        }
        buffer.writeString("]}")
        return buffer
    }
}
