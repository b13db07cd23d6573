import Foundation
import Histogram
import NIOCore
import NIOHTTP1
import NIOPosix

/// Everything one worker needs; the parent builds it and hands it to worker processes as JSON.
struct Plan: Codable, Sendable {
    var targets: [String]
    /// Global index of this worker's first user and first connection (unique e-mails, target spread).
    var userOffset: Int
    var users: Int
    var connectionOffset: Int
    var connections: Int
    /// Requests/s this worker offers (open model); nil: closed model with think time.
    var rate: Double?
    var duration: Double
    /// Seconds over which the users' first requests (their registrations) are spread; 0: one
    /// request interval (open model) or the think time (closed model).
    var rampUp: Double = 0
    var thinkTimeMs: Double
    var seed: UInt64
    var runTag: String
    var threads: Int
    var requestTimeout: Double
    var serviceID: Int
    var barberIDs: [Int]
    var days: [String]
    /// Ceiling mode: GET this path in a loop, no users.
    var ceilingPath: String?
}

struct SplitMix: Sendable {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(next() % UInt64(n)) }
}

/// The users and connections of one event loop. All state is touched on `loop` only.
final class LoopWorker: @unchecked Sendable {
    let loop: any EventLoop
    let plan: Plan
    var connections: [Connection] = []
    var users: [User] = []
    var stats = Array(repeating: KindStats(), count: Kind.allCases.count)
    var all = makeHistogram()
    var completed = 0
    var errors = 0
    var active = 0
    var inFlight = 0
    var scheduled = 0
    var bookings: [Int: BookingRecord] = [:]
    var start = NIODeadline.now()
    var end = NIODeadline.now()
    /// Per user, the interval between scheduled requests (open model).
    let interval: TimeAmount?

    init(loop: any EventLoop, plan: Plan) {
        self.loop = loop
        self.plan = plan
        if let rate = plan.rate, rate > 0 {
            interval = .nanoseconds(Int64(Double(plan.users) / rate * 1e9))
        } else {
            interval = nil
        }
    }

    func begin(at start: NIODeadline) {
        self.start = start
        end = start + .nanoseconds(Int64(plan.duration * 1e9))
        for user in users { user.begin() }
    }

    /// Send a request for `user`; `intended` is when the schedule wanted it sent.
    func issue(_ kind: Kind, on connection: Connection, intended: NIODeadline, method: HTTPMethod, path: String,
               json: Any? = nil, token: String? = nil, then: @escaping @Sendable (HTTPResult) -> Void) {
        scheduled += 1
        inFlight += 1
        connection.send(method: method, path: path, json: json, token: token) { result in
            // Runs on this loop: the connection lives on it.
            let now = NIODeadline.now()
            self.inFlight -= 1
            self.completed += 1
            let corrected = UInt64(max(0, (now - intended).nanoseconds) / 1000)
            let raw = UInt64(max(0, (now - result.sentAt).nanoseconds) / 1000)
            self.stats[kind.rawValue].corrected.recordClamped(corrected)
            self.stats[kind.rawValue].raw.recordClamped(raw)
            self.all.recordClamped(corrected)
            self.stats[kind.rawValue].statuses[String(result.status), default: 0] += 1
            if result.status == 0 { self.stats[kind.rawValue].failures[result.failure ?? "unknown", default: 0] += 1 }
            if !(200..<300).contains(result.status) && result.status != 409 { self.errors += 1 }
            then(result)
        }
    }

    func progress() -> Progress {
        Progress(completed: completed, errors: errors, active: active, all: all.sparse)
    }
}

/// One simulated client: registers once, then loops the booking flow.
final class User: @unchecked Sendable {
    enum Step { case register, services, slots, book, listMine, reschedule, cancel, ceiling }

    let index: Int
    unowned let worker: LoopWorker
    let connection: Connection
    var rng: SplitMix
    var step: Step
    var next = NIODeadline.now()
    var token: String?
    var emailAttempt = 0
    var day = ""
    var barberID = 0
    var slots: [String] = []
    var live: [Int] = []
    var finished = false

    init(index: Int, worker: LoopWorker, connection: Connection, seed: UInt64) {
        self.index = index
        self.worker = worker
        self.connection = connection
        rng = SplitMix(state: seed ^ (UInt64(index) &* 0x2545_F491_4F6C_DD1D))
        step = worker.plan.ceilingPath == nil ? .register : .ceiling
    }

    func begin() {
        // Spread the users' first requests over one interval so the offered rate is flat from the
        // start, or over the ramp-up so registrations (a bcrypt hash each) come at a bearable rate.
        let rampUp = Int64(worker.plan.rampUp * 1e9)
        if rampUp > 0 {
            next = worker.start + .nanoseconds(Int64(rng.next() % UInt64(rampUp)))
        } else if let interval = worker.interval {
            next = worker.start + .nanoseconds(Int64(rng.next() % UInt64(max(1, interval.nanoseconds))))
        } else {
            next = worker.start + .milliseconds(Int64(rng.below(max(1, Int(worker.plan.thinkTimeMs)) + 1)))
        }
        wait()
    }

    private func wait() {
        if next >= worker.end {
            finish()
            return
        }
        worker.loop.scheduleTask(deadline: next) { self.fire() }
    }

    private func finish() {
        guard !finished else { return }
        finished = true
        if token != nil || step == .ceiling { worker.active -= 1 }
    }

    /// After an answer: the next request is due at the next point of the fixed schedule (open model,
    /// even if that point is already past: then it goes at once and its latency counts from the
    /// schedule) or after the think time (closed model).
    private func advance() {
        if let interval = worker.interval {
            next = next + interval
        } else {
            next = .now() + .nanoseconds(Int64(worker.plan.thinkTimeMs * 1e6))
        }
        wait()
    }

    private var path: String { "/api/v2" }

    private func fire() {
        let plan = worker.plan
        switch step {
        case .ceiling:
            if token == nil { token = ""; worker.active += 1 }
            worker.issue(.ceiling, on: connection, intended: next, method: .GET, path: plan.ceilingPath!) { _ in
                self.advance()
            }
        case .register:
            let suffix = emailAttempt == 0 ? "" : "-\(emailAttempt)"
            let body: [String: Any] = ["email": "lt-\(plan.runTag)-\(index)\(suffix)@load.test",
                                       "password": "loadtest-password", "name": "Load user \(index)"]
            worker.issue(.register, on: connection, intended: next, method: .POST, path: "\(path)/auth/register", json: body) { result in
                if result.status == 201, let json = result.bodyJSON as? [String: Any], let token = json["token"] as? String {
                    self.token = token
                    self.worker.active += 1
                    self.step = .services
                } else if result.status == 409 {
                    self.emailAttempt += 1
                }
                self.advance()
            }
        case .services:
            worker.issue(.services, on: connection, intended: next, method: .GET, path: "\(path)/services", token: token) { result in
                let services = (result.bodyJSON as? [String: Any])?["services"] as? [[String: Any]] ?? []
                if result.status == 200, services.contains(where: { ($0["id"] as? Int) == plan.serviceID }) {
                    self.step = .slots
                }
                self.advance()
            }
        case .slots:
            day = plan.days[rng.below(plan.days.count)]
            barberID = plan.barberIDs[rng.below(plan.barberIDs.count)]
            let query = "service_id=\(plan.serviceID)&date=\(day)&barber_id=\(barberID)"
            worker.issue(.slots, on: connection, intended: next, method: .GET, path: "\(path)/appointments/slots?\(query)", token: token) { result in
                if result.status == 200 {
                    let list = (result.bodyJSON as? [String: Any])?["slots"] as? [[String: Any]] ?? []
                    self.slots = list.compactMap { $0["start"] as? String }
                    if !self.slots.isEmpty { self.step = .book }
                } else {
                    self.step = .services
                }
                self.advance()
            }
        case .book:
            let start = slots[rng.below(slots.count)]
            let body: [String: Any] = ["barber_id": barberID, "service_id": plan.serviceID, "start": start]
            worker.issue(.book, on: connection, intended: next, method: .POST, path: "\(path)/appointments", json: body, token: token) { result in
                if result.status == 201, let json = result.bodyJSON as? [String: Any], let record = Self.record(json) {
                    self.worker.bookings[record.id] = record
                    self.live.append(record.id)
                    self.slots.removeAll { $0 == start }
                    let roll = self.rng.below(100)
                    if roll < 15 {
                        self.step = .listMine
                    } else if roll < 25, !self.slots.isEmpty {
                        self.step = .reschedule
                    } else if roll < 35 {
                        self.step = .cancel
                    } else {
                        self.step = .services
                    }
                } else if result.status == 409 {
                    self.step = .slots // taken meanwhile: look again
                } else {
                    self.step = .services
                }
                self.advance()
            }
        case .listMine:
            worker.issue(.listMine, on: connection, intended: next, method: .GET, path: "\(path)/appointments?limit=50", token: token) { _ in
                self.step = .services
                self.advance()
            }
        case .reschedule:
            guard let id = live.last, !slots.isEmpty else { step = .services; fire(); return }
            let start = slots[rng.below(slots.count)]
            worker.issue(.reschedule, on: connection, intended: next, method: .POST, path: "\(path)/appointments/\(id)/reschedule",
                         json: ["start": start], token: token) { result in
                if result.status == 200, let json = result.bodyJSON as? [String: Any], let moved = Self.record(json) {
                    var record = self.worker.bookings[id]!
                    record.barberID = moved.barberID
                    record.start = moved.start
                    record.end = moved.end
                    record.rescheduled += 1
                    self.worker.bookings[id] = record
                } else if result.status == 0 || result.status >= 500 || result.status == 200 {
                    self.worker.bookings[id]?.uncertain = true
                }
                self.step = .services
                self.advance()
            }
        case .cancel:
            guard let id = live.popLast() else { step = .services; fire(); return }
            worker.issue(.cancel, on: connection, intended: next, method: .POST, path: "\(path)/appointments/\(id)/cancel",
                         json: ["reason": "load test"], token: token) { result in
                if result.status == 200 {
                    self.worker.bookings[id]?.cancelled = true
                } else if result.status == 0 || result.status >= 500 {
                    self.worker.bookings[id]?.uncertain = true
                } else {
                    self.live.append(id)
                }
                self.step = .services
                self.advance()
            }
        }
    }

    static func record(_ json: [String: Any]) -> BookingRecord? {
        guard let id = json["id"] as? Int, let barber = json["barber_id"] as? Int, let service = json["service_id"] as? Int,
              let client = json["client_id"] as? Int, let start = json["start"] as? String, let end = json["end"] as? String
        else { return nil }
        return BookingRecord(id: id, barberID: barber, serviceID: service, clientID: client, start: start, end: end)
    }
}

/// Runs one worker's share in this process: connects, waits for `go`, runs, drains, reports.
final class LoadRunner: Sendable {
    let plan: Plan
    let group: MultiThreadedEventLoopGroup
    let workers: [LoopWorker]

    init(plan: Plan) throws {
        self.plan = plan
        group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, plan.threads))
        let loops = Array(group.makeIterator())
        let targets = try plan.targets.map(Target.init(url:))
        let connectionCount = max(1, min(plan.connections, max(plan.users, 1)))
        // Connection c lives on loop c % loops; user u uses connection u % connections (same loop).
        var usersPerLoop = Array(repeating: 0, count: loops.count)
        for user in 0..<plan.users { usersPerLoop[(user % connectionCount) % loops.count] += 1 }
        let workers = loops.enumerated().map { index, loop in
            var share = plan
            share.users = usersPerLoop[index]
            share.rate = plan.rate.map { $0 * Double(usersPerLoop[index]) / Double(max(1, plan.users)) }
            return LoopWorker(loop: loop, plan: share)
        }
        let timeout = TimeAmount.nanoseconds(Int64(plan.requestTimeout * 1e9))
        var connections: [Connection] = []
        for index in 0..<connectionCount {
            let worker = workers[index % workers.count]
            let target = targets[(plan.connectionOffset + index) % targets.count]
            let connection = Connection(loop: worker.loop, target: target, timeout: timeout)
            worker.connections.append(connection)
            connections.append(connection)
        }
        for index in 0..<plan.users {
            let connectionIndex = index % connectionCount
            let worker = workers[connectionIndex % workers.count]
            worker.users.append(User(index: plan.userOffset + index, worker: worker,
                                     connection: connections[connectionIndex], seed: plan.seed))
        }
        self.workers = workers
    }

    /// Opens every connection, at most `parallel` connects in flight per loop.
    func connectAll(parallel: Int = 256) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in workers {
                group.addTask {
                    var index = 0
                    let connections = worker.connections
                    while index < connections.count {
                        let batch = connections[index..<min(index + parallel, connections.count)]
                        try await EventLoopFuture.andAllSucceed(batch.map { $0.connectNow() }, on: worker.loop).get()
                        index += parallel
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    func startRun() async throws {
        let start = NIODeadline.now() + .milliseconds(50)
        for worker in workers {
            try await worker.loop.submit {
                worker.active = 0
                worker.begin(at: start)
            }.get()
        }
    }

    func progress() async throws -> Progress {
        var total = Progress(completed: 0, errors: 0, active: 0, all: [])
        var histogram = makeHistogram()
        for worker in workers {
            let (completed, errors, active, all) = try await worker.loop.submit {
                (worker.completed, worker.errors, worker.active, worker.all)
            }.get()
            total.completed += completed
            total.errors += errors
            total.active += active
            histogram.add(all)
        }
        total.all = histogram.sparse
        return total
    }

    /// Waits for the end of the schedule plus in-flight answers (up to the request timeout).
    func finish(startedAt: Date) async throws -> WorkerResult {
        let endWait = Date().addingTimeInterval(plan.duration + 0.2 - Date().timeIntervalSince(startedAt))
        if endWait > Date() { try await Task.sleep(nanoseconds: UInt64(endWait.timeIntervalSinceNow * 1e9)) }
        let deadline = Date().addingTimeInterval(plan.requestTimeout + 1)
        while Date() < deadline {
            var inFlight = 0
            for worker in workers { inFlight += try await worker.loop.submit { worker.inFlight }.get() }
            if inFlight == 0 { break }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        let elapsed = Date().timeIntervalSince(startedAt)
        var kinds = Array(repeating: KindStats(), count: Kind.allCases.count)
        var result = WorkerResult(kinds: [:], bookings: [], scheduled: 0, completed: 0, errors: 0, unfinished: 0,
                                  elapsed: elapsed, connectionsOpened: 0)
        for worker in workers {
            let snapshot = try await worker.loop.submit {
                (worker.stats, Array(worker.bookings.values), worker.scheduled, worker.completed, worker.errors,
                 worker.inFlight, worker.connections.reduce(0) { $0 + $1.connects })
            }.get()
            for kind in Kind.allCases { kinds[kind.rawValue].add(snapshot.0[kind.rawValue]) }
            result.bookings += snapshot.1
            result.scheduled += snapshot.2
            result.completed += snapshot.3
            result.errors += snapshot.4
            result.unfinished += snapshot.5
            result.connectionsOpened += snapshot.6
        }
        for kind in Kind.allCases { result.kinds[kind.name] = kinds[kind.rawValue].wire }
        for worker in workers { for connection in worker.connections { connection.close() } }
        return result
    }

    func shutdown() async {
        try? await group.shutdownGracefully()
    }
}
