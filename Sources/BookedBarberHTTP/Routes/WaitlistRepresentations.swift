import BookingCore
import BookingEngine
import Foundation
import Hummingbird

// The JSON shapes of the waitlist (../shared/API.md, "Waitlist and walk-in queue").

struct WaitlistOfferJSON: Encodable {
    var barber_id: Int
    var start: String
    var end: String
    var expires_at: String

    init(_ hold: Hold, _ time: ShopTime) {
        barber_id = hold.barberID
        start = time.format(hold.start)
        end = time.format(hold.end)
        expires_at = time.format(hold.expiresAt)
    }
}

/// The one encoder of a `WaitlistEntry`: the waitlist's answers and the `data.entry` of a
/// `waitlist.*` event. `barber_id` is written as `null` (not left out) for "any barber"; `offer` only while there is
/// one to show (offered, and the last offer of a booked or expired entry).
struct WaitlistEntryJSON: ResponseEncodable {
    var entry: WaitlistEntry
    var time: ShopTime

    enum Keys: String, CodingKey {
        case id, client_id, service_id, barber_id, date_from, date_to, time_from, time_to, status, offer, appointment_id, created_at
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(entry.id, forKey: .id)
        try container.encode(entry.clientID, forKey: .client_id)
        try container.encode(entry.serviceID, forKey: .service_id)
        try container.encode(entry.barberID, forKey: .barber_id)
        try container.encode(entry.dateFrom.description, forKey: .date_from)
        try container.encode(entry.dateTo.description, forKey: .date_to)
        try container.encode(entry.timeFrom.description, forKey: .time_from)
        try container.encode(entry.timeTo.description, forKey: .time_to)
        try container.encode(entry.status.rawValue, forKey: .status)
        try container.encodeIfPresent(entry.offer.map { WaitlistOfferJSON($0, time) }, forKey: .offer)
        try container.encodeIfPresent(entry.appointmentID, forKey: .appointment_id)
        try container.encode(time.format(entry.createdAt), forKey: .created_at)
    }
}

/// A walk-in on the board: `position` (1-based among the waiting) and `estimated_start` for the
/// waiting (null when nothing fits within a week), null for the others; `estimated_barber_id`
/// the barber the estimate placed them with. Without a staff token the name is shortened and
/// there is no phone.
///
/// The one encoder of a `QueueEntry`: `GET /api/v2/queue`, the answers of the queue's changes
/// and the entries of a `queue.updated` event.
struct QueueEntryJSON: ResponseEncodable {
    var walkIn: WalkIn
    var position: Int?
    var placement: WalkInEstimates.Placement?
    var staff: Bool
    var time: ShopTime

    init(_ entry: QueueBoard.Entry, staff: Bool, time: ShopTime) {
        self.walkIn = entry.walkIn
        self.position = entry.position
        self.placement = entry.placement
        self.staff = staff
        self.time = time
    }

    enum Keys: String, CodingKey {
        case id, name, phone, service_id, barber_id, status, position, estimated_start, estimated_barber_id, appointment_id, checked_in_at
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(walkIn.id, forKey: .id)
        try container.encode(staff ? walkIn.name : walkIn.shortName, forKey: .name)
        if staff { try container.encodeIfPresent(walkIn.phone, forKey: .phone) }
        try container.encode(walkIn.serviceID, forKey: .service_id)
        try container.encode(walkIn.barberID, forKey: .barber_id)
        try container.encode(walkIn.status.rawValue, forKey: .status)
        try container.encode(position, forKey: .position)
        try container.encode(placement.map { time.format($0.start) }, forKey: .estimated_start)
        try container.encode(placement?.barberID, forKey: .estimated_barber_id)
        try container.encodeIfPresent(walkIn.appointmentID, forKey: .appointment_id)
        try container.encode(time.format(walkIn.checkedInAt), forKey: .checked_in_at)
    }
}
