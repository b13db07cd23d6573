import ArgumentParser
import Foundation
import Histogram
import NIOCore
import NIOPosix

@main
struct LoadTest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loadtest",
        abstract: "Load test of a BookedBarber server through its HTTP API (../shared/API.md).",
        discussion: """
        Open model with --rate: every user sends on a fixed schedule (users/rate seconds apart) whatever \
        the answers' speed; a request that could not go on time (the user's previous one still open, or its \
        connection busy) goes as soon as it can and its latency counts from the scheduled time ("corrected"); \
        "raw" counts from the write to the socket. Without --rate: closed model, each user waits --think-time \
        after an answer. Exit status 1 when a verification fails.
        """)

    @Option(name: .customLong("target"), help: "Base URL (repeatable); connections are spread over them.")
    var targets: [String] = ["http://127.0.0.1:8080"]
    @Option(help: "Simulated users.") var users = 100
    @Option(help: "Client connections (default: one per user).") var connections: Int?
    @Option(help: "Requests/s offered in total (open model).") var rate: Double?
    @Option(help: "Seconds of load.") var duration: Double = 30
    @Option(name: .customLong("ramp-up"), help: "Seconds over which users start (register); default: one request interval.")
    var rampUp: Double = 0
    @Option(name: .customLong("think-time"), help: "Milliseconds between an answer and the user's next request (closed model only).")
    var thinkTime: Double = 0
    @Option(help: "Worker processes of this tool; users, connections and rate are split among them.") var processes = 1
    @Option(help: "Event-loop threads per process (default: cores / processes, at least 1).") var threads: Int?
    @Option(name: .customLong("json-out"), help: "Write the report as JSON to this file.") var jsonOut: String?
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @Flag(help: "Set up the shop as admin first: UTC, open 24 h, --barbers barbers, one 15-minute service.") var setup = false
    @Flag(help: "Verify the server's appointments as admin after the run.") var verify = false
    @Option(name: .customLong("admin-email")) var adminEmail = "admin@load.test"
    @Option(name: .customLong("admin-password")) var adminPassword = "load-admin-pass"
    @Option(help: "Barbers for --setup (default: users / 100, at least 5).") var barbers: Int?
    @Option(help: "Days of the calendar the users book into.") var days = 28
    @Option(name: .customLong("service-id"), help: "Service to book without --setup (default: the newest active).") var serviceID: Int?
    @Flag(help: "Ceiling mode: GET --ceiling-path in a loop (e.g. against reference-server); no users, no verification.")
    var ceiling = false
    @Option(name: .customLong("ceiling-path")) var ceilingPath = "/constant"
    @Option(name: .customLong("request-timeout"), help: "Seconds before an unanswered request counts as an error and its connection is closed.")
    var requestTimeout: Double = 30
    @Option(name: .customLong("worker-plan"), help: .hidden) var workerPlan: String?

    func validate() throws {
        guard rampUp >= 0, rampUp < duration else { throw ValidationError("--ramp-up must be at least 0 and shorter than --duration") }
    }

    mutating func run() async throws {
        if let workerPlan {
            try await runWorker(JSONDecoder().decode(Plan.self, from: Data(workerPlan.utf8)))
            return
        }
        guard users > 0, duration > 0, processes > 0, !targets.isEmpty else { throw ValidationError("users, duration and processes must be positive") }
        if let rate, rate <= 0 { throw ValidationError("--rate must be positive") }
        let parsedTargets = try targets.map(Target.init(url:))
        let adminGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        var admin = Admin(target: parsedTargets[0], loop: adminGroup.next())

        var serviceID = self.serviceID, barberIDs: [Int] = [], dayList: [String] = []
        if !ceiling {
            if setup || verify { try await admin.login(email: adminEmail, password: adminPassword) }
            if setup {
                let count = barbers ?? max(5, users / 100)
                let started = Date()
                serviceID = try await admin.setup(barbers: count)
                log(String(format: "setup: %d barbers, service %d, %.1f s", count, serviceID!, Date().timeIntervalSince(started)))
            }
            (serviceID, barberIDs, dayList) = try await { [admin, serviceID, days] in try await admin.discover(serviceID: serviceID, days: days) }()
            log("booking service \(serviceID!) with \(barberIDs.count) barbers over \(dayList.count) days from \(dayList.first!)")
        }

        let totalConnections = min(connections ?? users, users)
        let threadsPerProcess = threads ?? max(1, System.coreCount / processes)
        let runTag = String(UInt64(Date().timeIntervalSince1970 * 1000), radix: 36) + String(seed, radix: 36)
        var plans: [Plan] = []
        for index in 0..<processes {
            let userStart = users * index / processes, userEnd = users * (index + 1) / processes
            let connStart = totalConnections * index / processes, connEnd = totalConnections * (index + 1) / processes
            plans.append(Plan(targets: targets, userOffset: userStart, users: userEnd - userStart, connectionOffset: connStart,
                              connections: max(1, connEnd - connStart),
                              rate: rate.map { $0 * Double(userEnd - userStart) / Double(users) }, duration: duration,
                              rampUp: rampUp, thinkTimeMs: thinkTime, seed: seed &+ UInt64(index) &* 7919, runTag: runTag,
                              threads: threadsPerProcess, requestTimeout: requestTimeout, serviceID: serviceID ?? 0,
                              barberIDs: barberIDs, days: dayList, ceilingPath: ceiling ? ceilingPath : nil))
        }

        let result: WorkerResult
        if processes == 1 {
            result = try await runInProcess(plans[0])
        } else {
            result = try await runProcesses(plans)
        }

        var kinds: [String: KindStats] = [:]
        for (name, wire) in result.kinds { kinds[name] = wire.stats }
        let report = Report(result: result, kinds: kinds, rate: rate, duration: duration, users: users,
                            connections: totalConnections, processes: processes, targets: targets, ceiling: ceiling)
        print(report.table())

        var verdict: Admin.Verdict?
        if verify && !ceiling {
            let started = Date()
            let checked = try await { [admin, kinds] in try await admin.verify(bookings: result.bookings, kinds: kinds) }()
            print("verification (\(String(format: "%.1f", Date().timeIntervalSince(started))) s):")
            for line in checked.lines { print("  " + line) }
            verdict = checked
        }
        if let jsonOut {
            var json = report.json()
            if let verdict { json["verification"] = verdict.json; json["verification_passed"] = verdict.passed }
            let data = try JSONSerialization.data(withJSONObject: json, options: [.prettyPrinted, .sortedKeys])
            try data.write(to: URL(fileURLWithPath: jsonOut))
        }
        if let verdict, !verdict.passed { throw ExitCode(1) }
    }

    private func log(_ text: String) {
        try? FileHandle.standardError.write(contentsOf: Data((text + "\n").utf8))
    }

    // MARK: single process

    private func runInProcess(_ plan: Plan) async throws -> WorkerResult {
        let runner = try LoadRunner(plan: plan)
        let connectStart = Date()
        try await runner.connectAll()
        log(String(format: "%d connections open in %.1f s", plan.connections, Date().timeIntervalSince(connectStart)))
        let started = Date()
        try await runner.startRun()
        let ticker = Task { [ceiling] in
            var previous = 0
            var second = 0
            while !Task.isCancelled {
                second += 1
                let wake = started.addingTimeInterval(Double(second))
                try? await Task.sleep(nanoseconds: UInt64(max(0, wake.timeIntervalSinceNow) * 1e9))
                if Task.isCancelled { break }
                guard let progress = try? await runner.progress() else { break }
                printProgress(second: second, progress: progress, previous: &previous, ceiling: ceiling)
            }
        }
        let result = try await runner.finish(startedAt: started)
        ticker.cancel()
        await runner.shutdown()
        return result
    }

    // MARK: worker processes

    private func runProcesses(_ plans: [Plan]) async throws -> WorkerResult {
        let workers = WorkerLifetime.Workers()
        let forwarding = WorkerLifetime.forwardTermination(to: workers)
        defer { forwarding.forEach { $0.cancel() } }
        let channels = try plans.map { try WorkerProcess(plan: $0, registry: workers) }
        let connectStart = Date()
        while !channels.allSatisfy(\.ready) {
            if let failed = channels.first(where: { $0.exited && !$0.ready }), !WorkerLifetime.isStopping {
                for channel in channels where channel.process.isRunning { channel.process.terminate() }
                throw AdminError(description: "worker \(failed.process.processIdentifier) ended before it was ready")
            }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        log(String(format: "%d worker processes ready, %d connections open in %.1f s", plans.count,
                   plans.reduce(0) { $0 + $1.connections }, Date().timeIntervalSince(connectStart)))
        let started = Date()
        for channel in channels { channel.go() }
        var previous = 0
        var second = 0
        while !channels.allSatisfy({ $0.result != nil || $0.exited }) {
            second += 1
            // Workers report at each full second of their run; read their reports a little after.
            let wake = started.addingTimeInterval(Double(second) + 0.25)
            while Date() < wake, !channels.allSatisfy({ $0.result != nil || $0.exited }) {
                try await Task.sleep(nanoseconds: 20_000_000)
            }
            if Date() < wake { break }
            var total = Progress(completed: 0, errors: 0, active: 0, all: [])
            var histogram = makeHistogram()
            for channel in channels {
                guard let progress = channel.progress else { continue }
                total.completed += progress.completed
                total.errors += progress.errors
                total.active += progress.active
                histogram.add(Hist.fromSparse(progress.all))
            }
            total.all = histogram.sparse
            printProgress(second: second, progress: total, previous: &previous, ceiling: ceiling)
        }
        for channel in channels { channel.process.waitUntilExit() }
        while WorkerLifetime.isStopping { try await Task.sleep(nanoseconds: 1_000_000_000) }
        var merged = WorkerResult(kinds: [:], bookings: [], scheduled: 0, completed: 0, errors: 0, unfinished: 0, elapsed: 0, connectionsOpened: 0)
        var kinds: [String: KindStats] = [:]
        for channel in channels {
            guard let result = channel.result else {
                throw AdminError(description: "worker \(channel.process.processIdentifier) exited \(channel.process.terminationStatus) without a result")
            }
            for (name, wire) in result.kinds { kinds[name, default: KindStats()].add(wire.stats) }
            merged.bookings += result.bookings
            merged.scheduled += result.scheduled
            merged.completed += result.completed
            merged.errors += result.errors
            merged.unfinished += result.unfinished
            merged.connectionsOpened += result.connectionsOpened
            merged.elapsed = max(merged.elapsed, result.elapsed)
        }
        merged.kinds = kinds.mapValues(\.wire)
        return merged
    }

    /// Hidden worker mode: connect, say READY, wait for GO on stdin, run, print PROGRESS and RESULT lines.
    private func runWorker(_ plan: Plan) async throws {
        WorkerLifetime.endWithParent()
        let runner = try LoadRunner(plan: plan)
        try await runner.connectAll()
        WorkerLifetime.report(Data("READY".utf8))
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Thread.detachNewThread {
                // GO starts the run; end of input, before or after it (the parent is gone), ends
                // this worker.
                if readLine() == nil { Foundation.exit(3) }
                continuation.resume()
                while readLine() != nil {}
                Foundation.exit(3)
            }
        }
        let started = Date()
        try await runner.startRun()
        let ticker = Task {
            var second = 0
            while !Task.isCancelled {
                second += 1
                try? await Task.sleep(nanoseconds: UInt64(max(0, started.addingTimeInterval(Double(second)).timeIntervalSinceNow) * 1e9))
                if Task.isCancelled { break }
                guard let progress = try? await runner.progress(), let data = try? JSONEncoder().encode(progress) else { break }
                WorkerLifetime.report(Data("PROGRESS ".utf8) + data)
            }
        }
        let result = try await runner.finish(startedAt: started)
        ticker.cancel()
        _ = await ticker.result
        WorkerLifetime.report(Data("RESULT ".utf8) + (try JSONEncoder().encode(result)))
        await runner.shutdown()
    }
}

func printProgress(second: Int, progress: Progress, previous: inout Int, ceiling: Bool) {
    let p99 = Double(Hist.fromSparse(progress.all).valueAtPercentile(99)) / 1000
    let line = String(format: "[%4ds] %@ %6d  req/s %7d  p99 %9.3f ms  errors %d  done %d\n", second,
                      ceiling ? "conns " : "active", progress.active, progress.completed - previous, p99, progress.errors, progress.completed)
    try? FileHandle.standardOutput.write(contentsOf: Data(line.utf8))
    previous = progress.completed
}

/// One worker process of this same executable, talked to through pipes.
final class WorkerProcess: @unchecked Sendable {
    let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private let lock = NSLock()
    private var _ready = false
    private var _exited = false
    private var _progress: Progress?
    private var _result: WorkerResult?

    var ready: Bool { lock.withLock { _ready } }
    var exited: Bool { lock.withLock { _exited } }
    var progress: Progress? { lock.withLock { _progress } }
    var result: WorkerResult? { lock.withLock { _result } }

    init(plan: Plan, registry: WorkerLifetime.Workers) throws {
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        process.arguments = ["--worker-plan", String(decoding: try JSONEncoder().encode(plan), as: UTF8.self)]
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.standardError
        let reader = output.fileHandleForReading
        try process.run()
        registry.add(process)
        Thread.detachNewThread { [self] in
            var buffer = Data()
            while true {
                let chunk = reader.availableData
                if chunk.isEmpty { break }
                buffer.append(chunk)
                while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                    let line = buffer[buffer.startIndex..<newline]
                    buffer = Data(buffer[buffer.index(after: newline)...])
                    handle(line: Data(line))
                }
            }
            lock.withLock { _exited = true }
        }
    }

    private func handle(line: Data) {
        if line == Data("READY".utf8) {
            lock.withLock { _ready = true }
        } else if line.starts(with: Data("PROGRESS ".utf8)) {
            if let progress = try? JSONDecoder().decode(Progress.self, from: line.dropFirst(9)) { lock.withLock { _progress = progress } }
        } else if line.starts(with: Data("RESULT ".utf8)) {
            if let result = try? JSONDecoder().decode(WorkerResult.self, from: line.dropFirst(7)) { lock.withLock { _result = result } }
        }
    }

    func go() {
        // A worker stopped meanwhile (SIGTERM to the group) has closed its end: nothing to tell it.
        try? input.fileHandleForWriting.write(contentsOf: Data("GO\n".utf8))
    }
}
