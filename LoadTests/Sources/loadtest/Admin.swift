import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

struct AdminError: Error, CustomStringConvertible {
    let description: String
}

/// Setup, discovery and verification, on one connection of their own.
struct Admin {
    let connection: Connection
    var token: String?

    init(target: Target, loop: any EventLoop) {
        connection = Connection(loop: loop, target: target, timeout: .seconds(120))
    }

    func json(_ result: HTTPResult, _ what: String, expect: Int) throws -> [String: Any] {
        guard result.status == expect else {
            let text = result.body.map { String(buffer: $0) } ?? (result.failure ?? "")
            throw AdminError(description: "\(what): expected \(expect), got \(result.status) \(text.prefix(300))")
        }
        return result.bodyJSON as? [String: Any] ?? [:]
    }

    mutating func login(email: String, password: String) async throws {
        let result = await connection.call(.POST, "/api/v2/auth/login", json: ["email": email, "password": password])
        token = try json(result, "admin login", expect: 200)["token"] as? String
    }

    /// A UTC shop open around the clock, `barbers` barbers, one 15-minute service. Returns the service id.
    func setup(barbers: Int) async throws -> Int {
        _ = try json(await connection.call(.PATCH, "/api/v2/shop", json: [
            "time_zone": "UTC", "slot_interval_minutes": 15, "min_notice_minutes": 0,
            "max_advance_days": 365, "cancellation_cutoff_minutes": 0,
        ], token: token), "PATCH shop", expect: 200)
        let day = [["start": "00:00", "end": "24:00"]]
        let weekly = Dictionary(uniqueKeysWithValues: ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"].map { ($0, day) })
        for index in 0..<barbers {
            let barber = try json(await connection.call(.POST, "/api/v2/barbers", json: ["name": "Load barber \(index)"], token: token),
                                  "create barber", expect: 201)
            guard let id = barber["id"] as? Int else { throw AdminError(description: "barber without id") }
            _ = try json(await connection.call(.PUT, "/api/v2/barbers/\(id)/schedule",
                                               json: ["weekly": weekly, "buffer_minutes": 0], token: token),
                         "schedule barber \(id)", expect: 200)
        }
        let service = try json(await connection.call(.POST, "/api/v2/services", json: [
            "name": "Load test trim", "duration_minutes": 15, "price_cents": 1500,
        ], token: token), "create service", expect: 201)
        guard let id = service["id"] as? Int else { throw AdminError(description: "service without id") }
        return id
    }

    /// The service to book (the given one, else the newest active), the barbers offering it, and the
    /// bookable days of the shop's calendar.
    func discover(serviceID wanted: Int?, days: Int) async throws -> (Int, [Int], [String]) {
        let shop = try json(await connection.call(.GET, "/api/v2/shop"), "GET shop", expect: 200)
        let services = try json(await connection.call(.GET, "/api/v2/services"), "GET services", expect: 200)["services"] as? [[String: Any]] ?? []
        guard let service = wanted.flatMap({ id in services.first { ($0["id"] as? Int) == id } }) ?? services.last,
              let serviceID = service["id"] as? Int
        else { throw AdminError(description: "no active service to book (use --setup)") }
        let barbers = try json(await connection.call(.GET, "/api/v2/barbers"), "GET barbers", expect: 200)["barbers"] as? [[String: Any]] ?? []
        let offering = service["barber_ids"] as? [Int]
        let barberIDs = barbers.compactMap { $0["id"] as? Int }.filter { offering?.contains($0) ?? true }
        guard !barberIDs.isEmpty else { throw AdminError(description: "no barber offers service \(serviceID)") }
        let zone = TimeZone(identifier: shop["time_zone"] as? String ?? "UTC") ?? TimeZone(identifier: "UTC")!
        let notice = shop["min_notice_minutes"] as? Int ?? 60
        let horizon = shop["max_advance_days"] as? Int ?? 90
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let first = 1 + (notice + 1439) / 1440
        let last = min(first + days - 1, horizon - 1)
        guard last >= first else { throw AdminError(description: "the shop's horizon leaves no bookable day") }
        let formatter = DateFormatter()
        formatter.calendar = calendar
        formatter.timeZone = zone
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd"
        let today = calendar.startOfDay(for: Date())
        let dayList = (first...last).map { formatter.string(from: calendar.date(byAdding: .day, value: $0, to: today)!) }
        return (serviceID, barberIDs, dayList)
    }

    struct Verdict {
        var lines: [String] = []
        var passed = true
        var json: [String: Any] = [:]
        mutating func check(_ name: String, _ ok: Bool, _ detail: String) {
            lines.append("\(ok ? "PASS" : "FAIL")  \(name): \(detail)")
            json[name] = ["pass": ok, "detail": detail]
            if !ok { passed = false }
        }
    }

    /// (a) every 201 booking present with the same fields (as changed by the tool's own cancels and
    /// reschedules), (b) no two live appointments of one barber overlap, (c) no 5xx answer seen.
    func verify(bookings: [BookingRecord], kinds: [String: KindStats]) async throws -> Verdict {
        var all: [Int: [String: Any]] = [:]
        var after: Int?
        var pages = 0
        while true {
            let path = "/api/v2/appointments?limit=5000" + (after.map { "&after_id=\($0)" } ?? "")
            let page = try json(await connection.call(.GET, path, token: token), "GET appointments", expect: 200)["appointments"] as? [[String: Any]] ?? []
            pages += 1
            for appointment in page { if let id = appointment["id"] as? Int { all[id] = appointment } }
            guard page.count == 5000, let last = page.last?["id"] as? Int else { break }
            after = last
        }
        var verdict = Verdict()

        // (a)
        var missing = 0, different = 0, uncertain = 0, examples: [String] = []
        for record in bookings {
            guard let found = all[record.id] else {
                missing += 1
                if examples.count < 5 { examples.append("id \(record.id) missing") }
                continue
            }
            if record.uncertain { uncertain += 1; continue }
            let status = found["status"] as? String ?? "?"
            let same = (found["barber_id"] as? Int) == record.barberID && (found["service_id"] as? Int) == record.serviceID
                && (found["client_id"] as? Int) == record.clientID
                && instant(found["start"] as? String) == instant(record.start) && instant(found["end"] as? String) == instant(record.end)
                && (record.cancelled ? status == "cancelled" : status != "cancelled")
            if !same {
                different += 1
                if examples.count < 5 { examples.append("id \(record.id): expected \(record), found \(found)") }
            }
        }
        let cancelled = bookings.filter(\.cancelled).count, moved = bookings.filter { $0.rescheduled > 0 }.count
        verdict.check("a_bookings_present", missing == 0 && different == 0,
                      "\(bookings.count) acknowledged bookings (\(cancelled) cancelled and \(moved) rescheduled by the tool, \(uncertain) with an unanswered cancel/reschedule checked for presence only); \(all.count) appointments read in \(pages) pages; missing \(missing), different \(different)" + (examples.isEmpty ? "" : "; e.g. " + examples.joined(separator: "; ")))

        // (b)
        var byBarber: [Int: [(Double, Double, Int)]] = [:]
        var unparsable = 0
        for (id, appointment) in all where (appointment["status"] as? String) != "cancelled" {
            guard let barber = appointment["barber_id"] as? Int, let start = instant(appointment["start"] as? String),
                  let end = instant(appointment["end"] as? String) else { unparsable += 1; continue }
            byBarber[barber, default: []].append((start, end, id))
        }
        var overlaps = 0, overlapExamples: [String] = []
        for (barber, intervals) in byBarber {
            let sorted = intervals.sorted { $0.0 < $1.0 }
            var latestEnd = -Double.infinity, latestID = 0
            for interval in sorted {
                if interval.0 < latestEnd {
                    overlaps += 1
                    if overlapExamples.count < 5 { overlapExamples.append("barber \(barber): \(latestID) and \(interval.2)") }
                }
                if interval.1 > latestEnd { latestEnd = interval.1; latestID = interval.2 }
            }
        }
        verdict.check("b_no_overlap", overlaps == 0 && unparsable == 0,
                      "\(byBarber.values.reduce(0) { $0 + $1.count }) live appointments of \(byBarber.count) barbers; \(overlaps) overlaps" + (unparsable > 0 ? ", \(unparsable) unreadable" : "") + (overlapExamples.isEmpty ? "" : "; e.g. " + overlapExamples.joined(separator: "; ")))

        // (c)
        var fiveHundreds = 0, noAnswer = 0
        for stats in kinds.values {
            for (status, count) in stats.statuses {
                if let code = Int(status), code >= 500 { fiveHundreds += count }
                if status == "0" { noAnswer += count }
            }
        }
        verdict.check("c_no_5xx", fiveHundreds == 0, "\(fiveHundreds) answers 5xx (requests without any answer, counted as errors but not here: \(noAnswer))")
        return verdict
    }
}

nonisolated(unsafe) private let plainFormatter = ISO8601DateFormatter()
nonisolated(unsafe) private let fractionalFormatter: ISO8601DateFormatter = {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return formatter
}()

/// Seconds since 1970 of an RFC 3339 instant with any offset (used from one task only).
func instant(_ text: String?) -> Double? {
    guard let text else { return nil }
    return (plainFormatter.date(from: text) ?? fractionalFormatter.date(from: text))?.timeIntervalSince1970
}
