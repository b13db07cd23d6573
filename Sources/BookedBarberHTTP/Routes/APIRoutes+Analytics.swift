import BookingCore
import BookingEngine
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

extension APIRoutes {
    func registerAnalytics(_ routes: RouteTable) {
        routes.on(.get, "/api/v2/analytics/summary") { request, context in
            let requester = try context.staff()
            let (range, barberID) = try analyticsQuery(request)
            let summary = try await engine.summary(range, barberID: barberID, by: requester)
            return SummaryJSON(summary, timeZone: engine.catalog.settings.timeZone)
        }

        routes.on(.get, "/api/v2/analytics/daily.csv") { request, context in
            let requester = try context.staff()
            let (range, barberID) = try analyticsQuery(request)
            let summary = try await engine.summary(range, barberID: barberID, by: requester)
            return Response(
                status: .ok, headers: [.contentType: "text/csv; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: DailyCSV.text(summary))))
        }
    }

    /// `from` and `to` (dates, both required), `barber_id` (optional): 400 for a malformed one,
    /// for `from` after `to` and for more than 366 days.
    private func analyticsQuery(_ request: Request) throws(APIError) -> (AnalyticsRange, BarberID?) {
        let parameters = request.uri.queryParameters
        guard let fromText = parameters.get("from") else { throw .badRequest("from is required") }
        guard let toText = parameters.get("to") else { throw .badRequest("to is required") }
        let from = try Input.date(fromText, field: "from")
        let to = try Input.date(toText, field: "to")
        let barberID = try Input.queryID(request, "barber_id")
        switch AnalyticsRange.make(from: from, to: to) {
        case .success(let range): return (range, barberID)
        case .failure(let refusal): throw .badRequest(refusal.description)
        }
    }
}

/// `daily.csv`: the header row, then one row per date of the range with the numbers of `days`.
enum DailyCSV {
    static let header = "date,appointments,completed,cancelled,no_show,revenue_booked_cents,revenue_completed_cents"

    static func text(_ summary: AnalyticsSummary) -> String {
        var lines = [header]
        lines.reserveCapacity(summary.days.count + 1)
        for day in summary.days {
            let t = day.totals
            lines.append([
                day.date.description, String(t.counts.appointments), String(t.counts.completed), String(t.counts.cancelled),
                String(t.counts.noShow), String(t.revenueBookedCents), String(t.revenueCompletedCents),
            ].joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }
}

/// The summary answer, written straight into one buffer rather than through `JSONEncoder`: a
/// 366-day summary of a shop with 200 barbers is some 3,000 numbers, and the generic encoder
/// was a third of the route's CPU (bench/profile.sh summary). Keys and field order are the
/// contract's; every string is a date, a fixed key or the IANA zone name (checked against
/// tzdata when stored; `precondition` guards the alphabet), so none needs escaping. Rates are
/// written as Swift prints a `Double` (the shortest form that reads back the same value; they
/// carry at most 4 decimals, `AnalyticsSummary.rate`).
struct SummaryJSON: ResponseGenerator {
    var summary: AnalyticsSummary
    var timeZone: String

    init(_ summary: AnalyticsSummary, timeZone: String) {
        self.summary = summary
        self.timeZone = timeZone
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        .json(encoded())
    }

    func encoded() -> ByteBuffer {
        precondition(timeZone.utf8.allSatisfy { $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") && $0 >= 0x20 })
        var out = ByteBuffer()
        out.reserveCapacity(600 + summary.days.count * 150 + summary.barbers.count * 190 + summary.services.count * 70 + 7 * 24 * 4)
        func key(_ name: StaticString, first: Bool = false) {
            if !first { out.writeInteger(UInt8(ascii: ",")) }
            out.writeInteger(UInt8(ascii: "\""))
            out.writeStaticString(name)
            out.writeStaticString("\":")
        }
        func int(_ name: StaticString, _ value: Int, first: Bool = false) {
            key(name, first: first)
            out.writeString(String(value))
        }
        func rate(_ name: StaticString, _ value: Double) {
            key(name)
            out.writeString(value.description)
        }
        func text(_ name: StaticString, _ value: String, first: Bool = false) {
            key(name, first: first)
            out.writeInteger(UInt8(ascii: "\""))
            out.writeString(value)
            out.writeInteger(UInt8(ascii: "\""))
        }
        out.writeInteger(UInt8(ascii: "{"))
        text("from", summary.range.from.description, first: true)
        text("to", summary.range.to.description)
        text("time_zone", timeZone)
        let t = summary.totals
        key("totals")
        out.writeInteger(UInt8(ascii: "{"))
        int("appointments", t.counts.appointments, first: true)
        int("confirmed", t.counts.confirmed)
        int("completed", t.counts.completed)
        int("cancelled", t.counts.cancelled)
        int("no_show", t.counts.noShow)
        int("revenue_booked_cents", t.revenueBookedCents)
        int("revenue_completed_cents", t.revenueCompletedCents)
        int("average_ticket_cents", t.averageTicketCents)
        rate("cancellation_rate", t.cancellationRate)
        rate("no_show_rate", t.noShowRate)
        int("new_clients", t.newClients)
        int("returning_clients", t.returningClients)
        rate("rebooking_rate", t.rebookingRate)
        int("booked_minutes", t.bookedMinutes)
        int("working_minutes", t.workingMinutes)
        rate("utilisation", t.utilisation)
        out.writeInteger(UInt8(ascii: "}"))
        key("days")
        out.writeInteger(UInt8(ascii: "["))
        for (index, day) in summary.days.enumerated() {
            if index > 0 { out.writeInteger(UInt8(ascii: ",")) }
            out.writeInteger(UInt8(ascii: "{"))
            text("date", day.date.description, first: true)
            int("appointments", day.totals.counts.appointments)
            int("completed", day.totals.counts.completed)
            int("cancelled", day.totals.counts.cancelled)
            int("no_show", day.totals.counts.noShow)
            int("revenue_booked_cents", day.totals.revenueBookedCents)
            int("revenue_completed_cents", day.totals.revenueCompletedCents)
            out.writeInteger(UInt8(ascii: "}"))
        }
        out.writeInteger(UInt8(ascii: "]"))
        key("barbers")
        out.writeInteger(UInt8(ascii: "["))
        for (index, line) in summary.barbers.enumerated() {
            if index > 0 { out.writeInteger(UInt8(ascii: ",")) }
            out.writeInteger(UInt8(ascii: "{"))
            int("barber_id", line.barberID, first: true)
            int("appointments", line.counts.appointments)
            int("completed", line.counts.completed)
            int("no_show", line.counts.noShow)
            int("revenue_completed_cents", line.revenueCompletedCents)
            int("booked_minutes", line.bookedMinutes)
            int("working_minutes", line.workingMinutes)
            rate("utilisation", line.utilisation)
            out.writeInteger(UInt8(ascii: "}"))
        }
        out.writeInteger(UInt8(ascii: "]"))
        key("services")
        out.writeInteger(UInt8(ascii: "["))
        for (index, line) in summary.services.enumerated() {
            if index > 0 { out.writeInteger(UInt8(ascii: ",")) }
            out.writeInteger(UInt8(ascii: "{"))
            int("service_id", line.serviceID, first: true)
            int("appointments", line.appointments)
            int("revenue_completed_cents", line.revenueCompletedCents)
            out.writeInteger(UInt8(ascii: "}"))
        }
        out.writeInteger(UInt8(ascii: "]"))
        key("hours")
        out.writeInteger(UInt8(ascii: "["))
        for (weekday, row) in summary.hours.enumerated() {
            if weekday > 0 { out.writeInteger(UInt8(ascii: ",")) }
            out.writeInteger(UInt8(ascii: "["))
            for (hour, count) in row.enumerated() {
                if hour > 0 { out.writeInteger(UInt8(ascii: ",")) }
                out.writeString(String(count))
            }
            out.writeInteger(UInt8(ascii: "]"))
        }
        out.writeStaticString("]}")
        return out
    }
}
