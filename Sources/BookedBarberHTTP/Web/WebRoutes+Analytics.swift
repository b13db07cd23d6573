import BookingCore
import BookingEngine
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// **Analytics** (`/analytics`), for the shop's staff: a range of shop-local dates (the last 30
/// days unless asked; the contract's limits, refusals next to the field) and, for an admin, one
/// barber or all; the summary's totals and three charts drawn as inline SVG on the server
/// (`AnalyticsCharts`), and the range's `daily.csv`. The figures are `ShopEngine.summary`'s, so
/// its rule holds: a barber sees their own figures only, a client gets 403.
extension WebRoutes {
    /// The default range: today and the 29 days before it.
    static let defaultAnalyticsDays = 30

    func registerAnalyticsPage(_ routes: RouteTable) {
        page(routes, .get, "/analytics") { web in try await analyticsPage(web) }
        page(routes, .get, "/analytics/daily.csv") { web in
            let (requester, _) = try signedIn(web)
            let choice = analyticsChoice(web)
            guard let range = choice.range else { throw APIError.badRequest(choice.problems.values.sorted().joined(separator: "; ")) }
            let summary = try await engine.summary(range, barberID: choice.barberID, by: requester)
            return Response(
                status: .ok,
                headers: [
                    .contentType: "text/csv; charset=utf-8", .cacheControl: "no-store",
                    .contentDisposition: "attachment; filename=\"daily-\(range.from)-\(range.to).csv\"",
                ],
                body: .init(byteBuffer: ByteBuffer(string: DailyCSV.text(summary))))
        }
    }

    /// The range and barber the page was asked for, or the refusals by field (`from`, `to`,
    /// `barber_id`); the texts typed, to show them again.
    struct AnalyticsChoice {
        var fromText: String
        var toText: String
        var barberID: BarberID?
        var range: AnalyticsRange?
        var problems: [String: String]
    }

    func analyticsChoice(_ web: WebRequest) -> AnalyticsChoice {
        let today = engine.catalog.shopTime.localDate(of: engine.clock())
        let fromText = web.query("from") ?? today.adding(days: 1 - Self.defaultAnalyticsDays).description
        let toText = web.query("to") ?? today.description
        var problems: [String: String] = [:]
        let from = CivilDate(parsing: fromText)
        let to = CivilDate(parsing: toText)
        if from == nil { problems["from"] = "write the first day as YYYY-MM-DD" }
        if to == nil { problems["to"] = "write the last day as YYYY-MM-DD" }
        var barberID: BarberID?
        if let text = web.query("barber_id") {
            if let id = Int(text), id > 0 { barberID = id } else { problems["barber_id"] = "pick a barber from the list" }
        }
        var range: AnalyticsRange?
        if let from, let to {
            switch AnalyticsRange.make(from: from, to: to) {
            case .success(let made): range = made
            case .failure(.fromAfterTo): problems["from"] = RangeRefusal.fromAfterTo.description
            case .failure(.tooLong): problems["to"] = RangeRefusal.tooLong.description
            }
        }
        return AnalyticsChoice(
            fromText: fromText, toText: toText, barberID: barberID, range: problems.isEmpty ? range : nil, problems: problems)
    }

    struct AnalyticsModel {
        struct Figure {
            var id: String
            var label: String
            var value: String
        }
        struct Option {
            var value: String
            var label: String
            var selected: Bool
        }
        var frame: PageFrame
        var heading: String
        var isAdmin: Bool
        var barberOptions: [Option]
        var from: String
        var to: String
        var fromProblem: String
        var hasFromProblem: Bool
        var toProblem: String
        var hasToProblem: Bool
        var barberProblem: String
        var hasBarberProblem: Bool
        var hasFigures: Bool
        var rangeLabel: String
        var timeZone: String
        var figures: [Figure]
        var charts: AnalyticsCharts?
        var csv: String
    }

    func analyticsPage(_ web: WebRequest) async throws -> Response {
        let (requester, _) = try signedIn(web)
        guard requester.role != .client else { throw BookingError.forbidden("analytics are for the shop's staff") }
        let choice = analyticsChoice(web)
        let barbers = await engine.barbers(activeOnly: false)
        let names = Dictionary(uniqueKeysWithValues: barbers.map { ($0.id, $0.name) })
        let format = format
        var summary: AnalyticsSummary?
        if let range = choice.range { summary = try await engine.summary(range, barberID: choice.barberID, by: requester) }
        let shown = requester.role == .barber ? requester.barberID : choice.barberID
        let heading =
            requester.role == .barber
            ? "Your figures" : shown.map { "Figures of \(names[$0] ?? "barber \($0)")" } ?? "The shop's figures"
        var query = "from=\(Self.urlComponent(choice.fromText))&to=\(Self.urlComponent(choice.toText))"
        if requester.isAdmin, let barber = choice.barberID { query += "&barber_id=\(barber)" }
        let model = AnalyticsModel(
            frame: frame("Analytics", visitor: web.visitor, section: "analytics"), heading: heading, isAdmin: requester.isAdmin,
            barberOptions: requester.isAdmin
                ? barbers.map { AnalyticsModel.Option(value: String($0.id), label: $0.name, selected: $0.id == choice.barberID) } : [],
            from: choice.fromText, to: choice.toText,
            fromProblem: choice.problems["from"] ?? "", hasFromProblem: choice.problems["from"] != nil,
            toProblem: choice.problems["to"] ?? "", hasToProblem: choice.problems["to"] != nil,
            barberProblem: choice.problems["barber_id"] ?? "", hasBarberProblem: choice.problems["barber_id"] != nil,
            hasFigures: summary != nil,
            rangeLabel: summary.map { "\(format.longDay($0.range.from)) to \(format.longDay($0.range.to))" } ?? "",
            timeZone: engine.catalog.settings.timeZone, figures: summary.map(Self.figures) ?? [],
            charts: summary.map { AnalyticsCharts($0, barberNames: names, format: format) },
            csv: "/analytics/daily.csv?" + query)
        return renderer.page("analytics", model, status: summary == nil ? .badRequest : .ok)
    }

    /// The totals, each with a label, in the order the page lists them.
    static func figures(_ summary: AnalyticsSummary) -> [AnalyticsModel.Figure] {
        let t = summary.totals
        let c = t.counts
        return [
            .init(id: "revenue-booked", label: "Revenue booked", value: PageFormat.money(t.revenueBookedCents)),
            .init(id: "revenue-completed", label: "Revenue completed", value: PageFormat.money(t.revenueCompletedCents)),
            .init(id: "average-ticket", label: "Average ticket", value: PageFormat.money(t.averageTicketCents)),
            .init(
                id: "appointments", label: "Appointments",
                value: "\(c.appointments) (\(c.confirmed) confirmed, \(c.completed) completed, \(c.cancelled) cancelled, \(c.noShow) no-show)"),
            .init(id: "cancellation-rate", label: "Cancellation rate", value: PageFormat.percent(t.cancellationRate)),
            .init(id: "no-show-rate", label: "No-show rate", value: PageFormat.percent(t.noShowRate)),
            .init(id: "clients", label: "New / returning clients", value: "\(t.newClients) / \(t.returningClients)"),
            .init(id: "rebooking-rate", label: "Rebooked within 6 weeks", value: PageFormat.percent(t.rebookingRate)),
            .init(
                id: "utilisation", label: "Utilisation",
                value: "\(PageFormat.percent(t.utilisation)) (\(PageFormat.duration(t.bookedMinutes)) booked of \(PageFormat.duration(t.workingMinutes)) working)"),
        ]
    }
}
