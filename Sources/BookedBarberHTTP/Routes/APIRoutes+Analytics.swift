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

struct SummaryJSON: ResponseEncodable {
    struct Totals: Encodable {
        var appointments, confirmed, completed, cancelled, no_show: Int
        var revenue_booked_cents, revenue_completed_cents, average_ticket_cents: Int
        var cancellation_rate, no_show_rate: Double
        var new_clients, returning_clients: Int
        var rebooking_rate: Double
        var booked_minutes, working_minutes: Int
        var utilisation: Double
    }

    struct Day: Encodable {
        var date: String
        var appointments, completed, cancelled, no_show, revenue_booked_cents, revenue_completed_cents: Int
    }

    struct Barber: Encodable {
        var barber_id, appointments, completed, no_show, revenue_completed_cents, booked_minutes, working_minutes: Int
        var utilisation: Double
    }

    struct Service: Encodable {
        var service_id, appointments, revenue_completed_cents: Int
    }

    var from: String
    var to: String
    var time_zone: String
    var totals: Totals
    var days: [Day]
    var barbers: [Barber]
    var services: [Service]
    var hours: [[Int]]

    init(_ summary: AnalyticsSummary, timeZone: String) {
        from = summary.range.from.description
        to = summary.range.to.description
        time_zone = timeZone
        let t = summary.totals
        totals = Totals(
            appointments: t.counts.appointments, confirmed: t.counts.confirmed, completed: t.counts.completed,
            cancelled: t.counts.cancelled, no_show: t.counts.noShow, revenue_booked_cents: t.revenueBookedCents,
            revenue_completed_cents: t.revenueCompletedCents, average_ticket_cents: t.averageTicketCents,
            cancellation_rate: t.cancellationRate, no_show_rate: t.noShowRate, new_clients: t.newClients,
            returning_clients: t.returningClients, rebooking_rate: t.rebookingRate, booked_minutes: t.bookedMinutes,
            working_minutes: t.workingMinutes, utilisation: t.utilisation)
        days = summary.days.map { day in
            Day(
                date: day.date.description, appointments: day.totals.counts.appointments, completed: day.totals.counts.completed,
                cancelled: day.totals.counts.cancelled, no_show: day.totals.counts.noShow,
                revenue_booked_cents: day.totals.revenueBookedCents, revenue_completed_cents: day.totals.revenueCompletedCents)
        }
        barbers = summary.barbers.map { line in
            Barber(
                barber_id: line.barberID, appointments: line.counts.appointments, completed: line.counts.completed,
                no_show: line.counts.noShow, revenue_completed_cents: line.revenueCompletedCents,
                booked_minutes: line.bookedMinutes, working_minutes: line.workingMinutes, utilisation: line.utilisation)
        }
        services = summary.services.map {
            Service(service_id: $0.serviceID, appointments: $0.appointments, revenue_completed_cents: $0.revenueCompletedCents)
        }
        hours = summary.hours
    }
}
