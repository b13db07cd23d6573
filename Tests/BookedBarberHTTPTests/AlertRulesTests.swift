import BookingLog
import Foundation
import Testing

@testable import BookedBarberHTTP

/// `deploy/alerts.yml` is valid (`promtool check rules`), its unit tests pass (`promtool test
/// rules deploy/alerts-test.yml`: the disk, read-only, fsync, 5xx, readiness, snapshot, webhook
/// and mail alerts fire when they should and not before), and every `bookedbarber_` metric it names is
/// one the server exposes. promtool comes with Debian's `prometheus` package
/// (scripts/install-deps.sh).
@Suite struct AlertRulesTests {
    static let deploy = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("deploy").path

    static func promtool(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["promtool"] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: deploy)
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    @Test func rulesPassPromtoolCheck() throws {
        let (status, output) = try Self.promtool(["check", "rules", "alerts.yml"])
        #expect(status == 0, "promtool check rules (missing? run scripts/install-deps.sh): \(output)")
        #expect(output.contains("SUCCESS"))
    }

    @Test func rulesPassTheirUnitTests() throws {
        let (status, output) = try Self.promtool(["test", "rules", "alerts-test.yml"])
        #expect(status == 0, "promtool test rules: \(output)")
        #expect(output.contains("SUCCESS"))
    }

    @Test func everyMetricTheRulesNameIsExposed() throws {
        let rules = try String(contentsOfFile: Self.deploy + "/alerts.yml", encoding: .utf8)
        let named = Set(rules.matches(of: /bookedbarber_[a-z_]+/).map { String($0.output) })
        #expect(named.count >= 8)

        let metrics = ServerMetrics()
        metrics.requestStarted()
        let table = metrics.handleTable(for: [(method: "POST", pattern: "/api/v2/appointments")])
        metrics.requestFinished(route: "/api/v2/appointments", method: "POST", status: 201, duration: .milliseconds(2), table: table)
        metrics.fsyncFinished(duration: .milliseconds(1), records: 1)
        metrics.snapshotWritten(bytes: 100, duration: .milliseconds(10))
        let reading = DiskSpaceStatus.Reading(availableBytes: 1 << 30, reserve: .default)
        let exposed = try PrometheusText(String(decoding: metrics.exposition(engine: nil, diskSpace: reading), as: UTF8.self))
        let families = Set(exposed.types.keys)
        for name in named {
            let family = ["_bucket", "_count", "_sum"].first { name.hasSuffix($0) }.map { String(name.dropLast($0.count)) } ?? name
            #expect(families.contains(family), "\(name) is not in the server's /metrics")
        }
    }
}
