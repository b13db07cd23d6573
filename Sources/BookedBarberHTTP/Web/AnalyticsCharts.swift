import BookingCore
import Foundation

/// The analytics page's three charts as geometry for its template, which draws them as inline
/// SVG: revenue per day (or per week for ranges over `dailyLimit` days; a booked bar with the
/// completed bar in front of it, each day's figures in its `<title>`), utilisation per barber
/// (horizontal bars with the name and percentage as text), and the weekday × hour heat map (one
/// cell per hour of the week, shaded in five steps of the busiest hour's count, the count as text
/// in each cell that has one). Pure: computed from a summary, drawn on the server, no script.
///
/// Markup is kept small, as the page must stay under 30 KB for a year of weekly bars and 168
/// cells: the revenue bars are drawn in a nested SVG one bucket per unit wide (stretched to the
/// plot) and flipped so bars rise from the baseline, so a bar needs only `x` and `height` (its
/// width is in `app.css`); zero bars and zero counts draw nothing.
struct AnalyticsCharts {
    /// Ranges of at most this many days get a bar per day; longer ones a bar per 7 days from `from`.
    static let dailyLimit = 31

    struct Bar {
        /// The first date of the bar (`YYYY-MM-DD`), as `data-date`.
        var date: String
        /// The left edge in buckets (the bar is 0.75 wide, centred in its bucket).
        var x: String
        var bookedHeight: Int
        var completedHeight: Int
        var hasBooked: Bool
        var hasCompleted: Bool
        var title: String
    }

    struct Revenue {
        static let left = 84.0
        static let right = 712.0
        static let top = 12
        static let baseline = 172
        static var plotHeight: Int { baseline - top }

        /// The geometry the template draws the axes and the bars' frame with.
        let axisLeft = Int(Revenue.left)
        let axisRight = Int(Revenue.right)
        let axisTop = Revenue.top
        let axisBaseline = Revenue.baseline
        let plotWidth = Int(Revenue.right - Revenue.left)
        let plotHeight = Revenue.plotHeight
        /// Where the amounts of the vertical axis end, left of the plot.
        let labelRight = Int(Revenue.left) - 6

        /// How many buckets wide the plot is.
        var slots: Int
        var bars: [Bar]
        var empty: Bool
        var perWeek: Bool
        var maxLabel: String
        var firstLabel: String
        var lastLabel: String
        var description: String
    }

    struct BarberBar {
        var y: Int
        var textY: Int
        var name: String
        var width: String
        var label: String
        var title: String
    }

    struct Utilisation {
        static let trackX = 180
        static let trackWidth = 460
        static let rowHeight = 28

        /// The geometry the template draws the tracks and labels with.
        let trackX = Utilisation.trackX
        let trackWidth = Utilisation.trackWidth
        let labelX = Utilisation.trackX + Utilisation.trackWidth + 8

        var rows: [BarberBar]
        var height: Int
        var empty: Bool
    }

    struct HeatCell {
        var x: Int
        /// Where the count is written: the cell's centre.
        var textX: Int
        var level: Int
        var count: Int
        var hasCount: Bool
    }

    struct HeatRow {
        var y: Int
        var day: String
        var cells: [HeatCell]
    }

    struct HourLabel {
        var x: Int
        var text: String
    }

    struct HeatMap {
        static let left = 40
        static let cellStep = 28
        static let rowStep = 24
        static let top = 22
        static let levels = 4

        var rows: [HeatRow]
        var hours: [HourLabel]
        var description: String
    }

    var revenue: Revenue
    var utilisation: Utilisation
    var heat: HeatMap

    init(_ summary: AnalyticsSummary, barberNames: [BarberID: String], format: PageFormat) {
        revenue = Self.revenue(summary, format: format)
        utilisation = Self.utilisation(summary, names: barberNames)
        heat = Self.heatMap(summary.hours)
    }

    static func revenue(_ summary: AnalyticsSummary, format: PageFormat) -> Revenue {
        let days = summary.days
        let step = days.count <= dailyLimit ? 1 : 7
        let buckets = stride(from: 0, to: days.count, by: step).map { days[$0..<min($0 + step, days.count)] }
        let booked = buckets.map { $0.reduce(0) { $0 + $1.totals.revenueBookedCents } }
        let completed = buckets.map { $0.reduce(0) { $0 + $1.totals.revenueCompletedCents } }
        let highest = booked.max() ?? 0
        func height(_ cents: Int) -> Int {
            highest == 0 ? 0 : Int((Double(cents) / Double(highest) * Double(Revenue.plotHeight)).rounded())
        }
        func label(_ bucket: ArraySlice<AnalyticsSummary.Day>) -> String {
            guard let first = bucket.first?.date, let last = bucket.last?.date else { return "" }
            return first == last ? format.day(first) : "\(format.day(first)) – \(format.day(last))"
        }
        let bars = buckets.indices.map { index in
            Bar(
                date: buckets[index].first?.date.description ?? "", x: String(format: "%.3g", Double(index) + 0.125),
                bookedHeight: height(booked[index]), completedHeight: height(completed[index]),
                hasBooked: height(booked[index]) > 0, hasCompleted: height(completed[index]) > 0,
                title: "\(label(buckets[index])): booked \(PageFormat.money(booked[index])), completed \(PageFormat.money(completed[index]))")
        }
        let unit = step == 1 ? "day" : "week"
        let best = booked.indices.max { booked[$0] < booked[$1] }
        let description =
            highest == 0
            ? "No revenue in this range."
            : "Revenue per \(unit): booked \(PageFormat.money(summary.totals.revenueBookedCents)) and completed "
                + "\(PageFormat.money(summary.totals.revenueCompletedCents)) in all; the highest \(unit) is "
                + "\(best.map { label(buckets[$0]) } ?? "") with \(PageFormat.money(highest)) booked."
        return Revenue(
            slots: max(buckets.count, 1), bars: bars, empty: highest == 0, perWeek: step != 1, maxLabel: PageFormat.money(highest),
            firstLabel: days.first.map { format.day($0.date) } ?? "", lastLabel: days.last.map { format.day($0.date) } ?? "",
            description: description)
    }

    static func utilisation(_ summary: AnalyticsSummary, names: [BarberID: String]) -> Utilisation {
        let rows = summary.barbers.enumerated().map { index, line in
            let name = names[line.barberID] ?? "Barber \(line.barberID)"
            let shown = name.count > 24 ? String(name.prefix(23)) + "…" : name
            let percent = PageFormat.percent(line.utilisation)
            return BarberBar(
                y: index * Utilisation.rowHeight + 4, textY: index * Utilisation.rowHeight + 19, name: shown,
                width: String(format: "%.1f", line.utilisation * Double(Utilisation.trackWidth)), label: percent,
                title: "\(name): \(percent) (\(PageFormat.duration(line.bookedMinutes)) booked of \(PageFormat.duration(line.workingMinutes)) working)")
        }
        return Utilisation(rows: rows, height: max(rows.count, 1) * Utilisation.rowHeight + 8, empty: rows.isEmpty)
    }

    /// The heat map of `hours[weekday][hour]` (Monday first).
    static func heatMap(_ hours: [[Int]]) -> HeatMap {
        let busiest = hours.flatMap { $0 }.max() ?? 0
        func hour(_ h: Int) -> String { h < 10 ? "0\(h):00" : "\(h):00" }
        let rows = hours.enumerated().map { weekday, counts in
            HeatRow(
                y: HeatMap.top + weekday * HeatMap.rowStep, day: PageFormat.weekdayNames[weekday],
                cells: counts.enumerated().map { h, count in
                    HeatCell(
                        x: HeatMap.left + h * HeatMap.cellStep, textX: HeatMap.left + h * HeatMap.cellStep + 13,
                        level: level(count, busiest: busiest), count: count, hasCount: count > 0)
                })
        }
        var description = "Live appointments by weekday and hour of start."
        if busiest > 0, let weekday = hours.firstIndex(where: { $0.contains(busiest) }), let h = hours[weekday].firstIndex(of: busiest) {
            description += " The busiest is \(PageFormat.longWeekdayNames[weekday]) \(hour(h)) with \(busiest)."
        } else {
            description += " None in this range."
        }
        return HeatMap(
            rows: rows, hours: stride(from: 0, to: 24, by: 3).map { HourLabel(x: HeatMap.left + $0 * HeatMap.cellStep + 13, text: hour($0)) },
            description: description)
    }

    /// The shade of a cell: 0 for none, else 1…`levels` in equal steps up to the busiest count.
    static func level(_ count: Int, busiest: Int) -> Int {
        guard count > 0, busiest > 0 else { return 0 }
        return (count * HeatMap.levels + busiest - 1) / busiest
    }
}
