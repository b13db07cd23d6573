import Foundation
import Histogram

struct Report {
    let result: WorkerResult
    let kinds: [String: KindStats]
    let rate: Double?
    let duration: Double
    let users: Int
    let connections: Int
    let processes: Int
    let targets: [String]
    let ceiling: Bool

    static let percentiles: [(String, Double)] = [("p50", 50), ("p90", 90), ("p99", 99), ("p99_9", 99.9)]

    var achieved: Double { Double(result.completed) / max(result.elapsed, 0.001) }
    var offered: Double? { rate }

    func ms(_ micros: UInt64) -> Double { Double(micros) / 1000 }

    func table() -> String {
        var lines: [String] = []
        let model = rate.map { String(format: "open model, offered %.0f req/s", $0) } ?? "closed model"
        lines.append("")
        lines.append(String(format: "%@ | %d users, %d connections, %d processes, %.0f s, targets %@", model, users, connections,
                            processes, duration, targets.joined(separator: " ")))
        lines.append(String(format: "achieved %.0f req/s (%d answers in %.1f s incl. drain; %d sent); errors %d (non-2xx except 409, and no answer); unfinished %d; connections opened %d",
                            achieved, result.completed, result.elapsed, result.scheduled, result.errors, result.unfinished, result.connectionsOpened))
        lines.append("latency in ms; corrected = from the scheduled send time, raw = from the write to the socket")
        lines.append("type          count  | corr p50   p90      p99      p99.9    max      | raw p50  p99      p99.9    max      | statuses")
        for kind in Kind.allCases {
            guard let stats = kinds[kind.name], stats.corrected.totalCount > 0 else { continue }
            let c = stats.corrected, r = stats.raw
            var statuses = stats.statuses.sorted { $0.key < $1.key }.map { "\($0.key == "0" ? "none" : $0.key):\($0.value)" }.joined(separator: " ")
            if !stats.failures.isEmpty {
                statuses += " (none: " + stats.failures.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + ")"
            }
            lines.append(kind.name.padding(toLength: 12, withPad: " ", startingAt: 0) + String(format: " %7llu | %8.3f %8.3f %8.3f %8.3f %8.1f | %8.3f %8.3f %8.3f %8.1f | %@",
                                c.totalCount, ms(c.valueAtPercentile(50)), ms(c.valueAtPercentile(90)),
                                ms(c.valueAtPercentile(99)), ms(c.valueAtPercentile(99.9)), ms(c.max),
                                ms(r.valueAtPercentile(50)), ms(r.valueAtPercentile(99)), ms(r.valueAtPercentile(99.9)), ms(r.max), statuses))
        }
        return lines.joined(separator: "\n")
    }

    func json() -> [String: Any] {
        var perKind: [String: Any] = [:]
        for (name, stats) in kinds where stats.corrected.totalCount > 0 {
            func summary(_ h: Hist) -> [String: Any] {
                var out: [String: Any] = ["count": h.totalCount, "max_ms": ms(h.max), "mean_ms": h.mean / 1000]
                for (label, p) in Self.percentiles { out[label + "_ms"] = ms(h.valueAtPercentile(p)) }
                return out
            }
            perKind[name] = ["corrected": summary(stats.corrected), "raw": summary(stats.raw), "statuses": stats.statuses, "failures": stats.failures]
        }
        var json: [String: Any] = [
            "users": users, "connections": connections, "processes": processes, "duration_s": duration,
            "targets": targets, "mode": ceiling ? "ceiling" : "booking", "achieved_rps": achieved,
            "answers": result.completed, "sent": result.scheduled, "errors": result.errors, "unfinished": result.unfinished,
            "elapsed_s": result.elapsed, "bookings_acknowledged": result.bookings.count, "kinds": perKind,
            "connections_opened": result.connectionsOpened,
        ]
        if let rate { json["offered_rps"] = rate }
        return json
    }
}
