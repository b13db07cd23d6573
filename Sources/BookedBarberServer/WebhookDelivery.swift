import AsyncHTTPClient
import BookedBarberHTTP
import BookingCore
import BookingEngine
import Crypto
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// Delivers events to webhook endpoints for the life of the server, off the request path: a
/// booking only records its event; this service finds what each endpoint is owed
/// (`NotificationState.pending`) and POSTs it, signed the Standard Webhooks way.
///
/// An attempt is a 2xx within 10 s or a failure; failures are retried after the configured
/// waits (with jitter) until a day after the event, then given up. Only the outcome (delivered,
/// given up) goes into the log, with the final attempt for the deliveries list, so after a
/// restart or `kill -9` everything not finished is delivered again (at least once). At most `maxConcurrentDeliveries` are in flight.
///
/// Why this actor is safe: the retry schedule and the in-flight set are only touched on it;
/// the HTTP exchange itself runs outside it, in child tasks of `run`.
public actor WebhookDelivery {
    private struct Key: Hashable {
        var webhook: WebhookID
        var event: EventSequence
    }

    private struct Retry {
        var attempts: Int
        var due: Instant
    }

    private let engine: ShopEngine
    private let client: HTTPClient
    private let configuration: ServerConfiguration.Notifications
    private let metrics: ServerMetrics
    private let logger: Logger
    private var retries: [Key: Retry] = [:]
    private var inFlight: Set<Key> = []
    private var redeliveries: [Key] = []
    /// Outcomes waiting for their log record (`recordFinished`), and whether one is being written.
    private var finished: [DeliveryFinished] = []
    private var recording = false
    /// Set by the one call of `run`, checked and set on the actor before its first suspension,
    /// so of two calls exactly one gets past the check.
    private var hasRun = false
    private let wake: AsyncStream<Void>.Continuation
    private let wakes: AsyncStream<Void>

    /// Events looked at per endpoint and round; later ones wait until these finish.
    static let window = 1_000
    static let timeout: TimeAmount = .seconds(10)

    /// True while the data directory is below its space reserve: no attempt starts then, since
    /// each one ends in a logged outcome (those in flight still finish).
    private let isPaused: @Sendable () -> Bool
    /// Where the POSTs and the client's connections run (`BackgroundEventLoop`); nil: the shared
    /// pool and NIO's shared event loops.
    private let background: BackgroundEventLoop?

    public init(
        engine: ShopEngine, configuration: ServerConfiguration.Notifications, metrics: ServerMetrics, logger: Logger,
        isPaused: @escaping @Sendable () -> Bool = { false }, background: BackgroundEventLoop? = nil
    ) {
        self.isPaused = isPaused
        self.background = background
        self.engine = engine
        self.configuration = configuration
        self.metrics = metrics
        self.logger = logger
        var client = HTTPClient.Configuration(redirectConfiguration: .disallow, timeout: .init(connect: .seconds(10), read: .seconds(10)))
        client.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: configuration.maxConcurrentDeliveries)
        self.client = HTTPClient(
            eventLoopGroupProvider: background.map { .shared($0.group) } ?? .singleton, configuration: client)
        (wakes, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Delivers until cancelled, then closes the HTTP client. Called once per instance: a second
    /// run beside the first would start the same attempts twice (each run's look reads the owed
    /// events, then waits, while the other run starts and finishes them), and one after it would
    /// post through the closed client.
    public func run() async {
        precondition(!hasRun, "WebhookDelivery.run() called a second time")
        hasRun = true
        let notifications = engine.notifications
        let attempts = engine.webhookAttempts
        let wake = wake
        await withDiscardingTaskGroup { group in
            group.addTask { for await _ in notifications.changes() { wake.yield() } }
            group.addTask { for await _ in attempts.redeliveryRequests { wake.yield() } }
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(1))
                    wake.yield()
                }
            }
            wake.yield()
            for await _ in wakes {
                if Task.isCancelled { break }
                await dispatch(into: &group)
            }
            group.cancelAll()
        }
        try? await client.shutdown()
    }

    /// Starts every attempt that is due, up to the bound on attempts in flight.
    ///
    /// Cost per call: the events it starts are the only ones copied out of the state; those in
    /// flight or waiting for their retry are skipped by sequence under the lock (it runs after
    /// every finished attempt, so it must not copy the whole window each time).
    private func dispatch(into group: inout DiscardingTaskGroup) async {
        guard !isPaused() else { return }
        redeliveries += engine.webhookAttempts.takeRedeliveries().map { Key(webhook: $0.webhook, event: $0.event) }
        let now = engine.clock()
        let free = configuration.maxConcurrentDeliveries - inFlight.count
        let busy = inFlight
        let retrying = retries
        let waiting = { (key: Key) in busy.contains(key) || (retrying[key].map { $0.due > now } ?? false) }
        let ((work, stale), lsn) = engine.notifications.readForShowing { state in
            let work = free <= 0 ? [] : state.webhooks.values.filter(\.isActive).map { endpoint in
                (endpoint, state.pending(for: endpoint.id, limit: free, window: Self.window) { !waiting(Key(webhook: endpoint.id, event: $0)) })
            }
            // Finished elsewhere (deleted endpoint, switched off, delivered): nothing more to retry.
            return (work, retrying.keys.filter { !state.owes($0.webhook, $0.event) })
        }
        for key in stale { retries[key] = nil }
        // Nothing to send (no active endpoint owes anything, no redelivery asked for): no event
        // is shown, so there is nothing to wait for. Most changes end here when no endpoint is
        // subscribed, and without the wait they cost no second wake-up of this task.
        guard work.contains(where: { !$0.1.isEmpty }) || !redeliveries.isEmpty else { return }
        await engine.notifications.waitUntilDurable(lsn)
        let time = engine.catalog.shopTime
        for (endpoint, events) in work {
            for event in events where inFlight.count < configuration.maxConcurrentDeliveries {
                let key = Key(webhook: endpoint.id, event: event.sequence)
                guard !inFlight.contains(key) else { continue }
                start(event, to: endpoint, attempt: (retries[key]?.attempts ?? 0) + 1, manual: false, time: time, in: &group)
            }
        }
        while !redeliveries.isEmpty, inFlight.count < configuration.maxConcurrentDeliveries {
            let key = redeliveries.removeFirst()
            guard !inFlight.contains(key),
                let (endpoint, event) = engine.notifications.read({ state in
                    state.webhooks[key.webhook].flatMap { endpoint in state.event(key.event).map { (endpoint, $0) } }
                })
            else { continue }
            start(event, to: endpoint, attempt: (retries[key]?.attempts ?? 0) + 1, manual: true, time: time, in: &group)
        }
    }

    private func start(
        _ event: Event, to endpoint: WebhookEndpoint, attempt: Int, manual: Bool, time: ShopTime, in group: inout DiscardingTaskGroup
    ) {
        let key = Key(webhook: endpoint.id, event: event.sequence)
        inFlight.insert(key)
        let client = client
        let engine = engine
        let allowPrivate = configuration.allowPrivateWebhooks
        let background = background
        group.addTask {
            // The POST at low priority; its outcome (which takes the journal's and the log's
            // locks) back on the shared pool, outside the preference.
            let result = await withTaskExecutorPreference(background) {
                await Self.post(event, to: endpoint, time: time, client: client, engine: engine, allowPrivate: allowPrivate)
            }
            await self.finish(key, event: event, endpoint: endpoint, attempt: attempt, manual: manual, result: result)
        }
    }

    private struct AttemptResult: Sendable {
        var statusCode: Int?
        var error: String?
        var duration: Duration
        var succeeded: Bool { statusCode.map { (200..<300).contains($0) } ?? false }
    }

    /// One POST of `event`, signed; never throws (a failure is a result). Takes none of the
    /// engine's locks (it may run on `BackgroundEventLoop`): it reads only the engine's clock.
    private static func post(
        _ event: Event, to endpoint: WebhookEndpoint, time: ShopTime, client: HTTPClient, engine: ShopEngine, allowPrivate: Bool
    ) async -> AttemptResult {
        let started = ContinuousClock.now
        if !allowPrivate, let url = URLComponents(string: endpoint.url), let host = url.host {
            let port = url.port ?? (url.scheme?.lowercased() == "https" ? 443 : 80)
            if let problem = await WebhookTarget.problem(host: host, port: port) {
                return AttemptResult(statusCode: nil, error: "refused: \(problem)", duration: ContinuousClock.now - started)
            }
        }
        let body = EventJSON.encode(event, time)
        let timestamp = engine.clock().seconds
        var request = HTTPClientRequest(url: endpoint.url)
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.headers.add(name: "user-agent", value: "BookedBarber-Webhooks/1")
        request.headers.add(name: "webhook-id", value: event.id)
        request.headers.add(name: "webhook-timestamp", value: String(timestamp))
        request.headers.add(
            name: "webhook-signature", value: signature(id: event.id, timestamp: timestamp, body: body, secret: endpoint.secret))
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await client.execute(request, timeout: timeout)
            _ = try await response.body.collect(upTo: 1 << 20)
            return AttemptResult(statusCode: Int(response.status.code), error: nil, duration: ContinuousClock.now - started)
        } catch {
            return AttemptResult(statusCode: nil, error: "\(error)", duration: ContinuousClock.now - started)
        }
    }

    /// `v1,` + base64 HMAC-SHA256 of `"{id}.{timestamp}.{body}"` keyed with the secret's bytes.
    public static func signature(id: String, timestamp: Int64, body: Data, secret: [UInt8]) -> String {
        var mac = HMAC<SHA256>(key: SymmetricKey(data: secret))
        mac.update(data: Array("\(id).\(timestamp).".utf8))
        mac.update(data: body)
        return "v1," + Data(mac.finalize()).base64EncodedString()
    }

    /// From `event`'s record to now: exact while this process still holds the event's recording
    /// time; otherwise (an older event, or one from before a restart) from its whole-second
    /// `createdAt` to the next whole second, which may read up to a second long but never short,
    /// so the lag figure never leaves out the deliveries that waited longest.
    public static func lag(of event: Event, now: Instant, recordedAt: ContinuousClock.Instant?) -> Duration {
        if let recordedAt { return .now - recordedAt }
        return .seconds(max(0, now.seconds - event.createdAt.seconds) + 1)
    }

    private func finish(_ key: Key, event: Event, endpoint: WebhookEndpoint, attempt: Int, manual: Bool, result: AttemptResult) async {
        let now = engine.clock()
        metrics.webhookAttempted(failed: !result.succeeded)
        var next: Instant?
        var outcome: DeliveryOutcome?
        if result.succeeded {
            outcome = .delivered
            metrics.webhookDelivered(lag: Self.lag(of: event, now: now, recordedAt: engine.notifications.recordedAt(event.sequence)))
        } else if now.seconds - event.createdAt.seconds >= configuration.webhookGiveUpAfter.components.seconds {
            outcome = .givenUp
            metrics.webhookDeliveryGivenUp()
        } else {
            let delays = configuration.webhookRetryDelays
            let base = delays[min(attempt, delays.count) - 1]
            let seconds = Double(base.components.seconds) * Double.random(in: 0.8...1.2)
            next = now.adding(seconds: max(1, Int64(seconds.rounded())))
        }
        let durationMilliseconds = Int(result.duration.components.seconds * 1000 + result.duration.components.attoseconds / 1_000_000_000_000_000)
        let ends = manual ? nil : outcome
        engine.webhookAttempts.record(
            WebhookAttempt(
                event: event.sequence, type: event.type, attempt: attempt, statusCode: result.statusCode, error: result.error,
                durationMilliseconds: durationMilliseconds, at: now, nextAttemptAt: manual ? nil : next, outcome: ends),
            for: endpoint.id)
        if !result.succeeded {
            logger.info("webhook delivery failed", metadata: [
                "webhook": "\(endpoint.id)", "event": "\(event.id)", "attempt": "\(attempt)",
                "status": "\(result.statusCode.map(String.init) ?? "none")", "error": "\(result.error ?? "")"])
        }
        if let ends {
            retries[key] = nil
            finished.append(DeliveryFinished(
                webhook: key.webhook,
                delivery: EndedDelivery(
                    event: event.sequence, type: event.type, outcome: ends, attempt: attempt, statusCode: result.statusCode,
                    error: result.error, durationMilliseconds: durationMilliseconds, at: now)))
            await recordFinished()
            return
        }
        if !manual, let next { retries[key] = Retry(attempts: attempt, due: next) }
        inFlight.remove(key)
        wake.yield()
    }

    /// Puts the finished deliveries in the log, one record for all that finished while the
    /// previous record waited for its fsync (group commit for outcomes), then frees their keys.
    /// A key stays in flight until its outcome is durable, so it is never started again meanwhile
    /// and, after a crash, is delivered again only if its outcome was not yet durable. Only one
    /// call records at a time; the others return at once and their outcome goes in its next round.
    private func recordFinished() async {
        guard !recording else { return }
        recording = true
        while !finished.isEmpty {
            let batch = finished
            finished.removeAll(keepingCapacity: true)
            await engine.recordDeliveries(batch)
            for ended in batch { inFlight.remove(Key(webhook: ended.webhook, event: ended.delivery.event)) }
            wake.yield()
        }
        recording = false
    }
}
