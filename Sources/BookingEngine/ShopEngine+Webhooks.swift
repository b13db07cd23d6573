import BookingCore

extension ShopEngine {
    /// A new webhook endpoint (the URL already checked by the caller), owed the events recorded
    /// from now on.
    public func createWebhook(url: String, events: [String], description: String, secret: [UInt8])
        async throws(BookingError) -> WebhookEndpoint
    {
        let selection = try EventSelection.parse(events).get()
        let now = clock()
        return try await commitNotifications { state in
            let endpoint = WebhookEndpoint(
                id: state.lastWebhookID + 1, url: url, events: selection, description: description, isActive: true,
                secret: secret, createdAt: now)
            return .success(([.webhookSaved(endpoint)], endpoint))
        }
    }

    /// The endpoints, by id.
    public func webhooks() -> [WebhookEndpoint] {
        notifications.read { state in state.webhooks.keys.sorted().map { state.webhooks[$0]! } }
    }

    public func webhook(_ id: WebhookID) throws(BookingError) -> WebhookEndpoint {
        guard let endpoint = notifications.read({ $0.webhooks[id] }) else { throw .notFound("webhook \(id) not found") }
        return endpoint
    }

    /// Edits an endpoint: any of a new URL (already checked), event types, description, active flag.
    public func updateWebhook(_ id: WebhookID, url: String?, events: [String]?, description: String?, isActive: Bool?)
        async throws(BookingError) -> WebhookEndpoint
    {
        let selection = try events.map { names throws(BookingError) in try EventSelection.parse(names).get() }
        return try await commitNotifications { state in
            guard var endpoint = state.webhooks[id] else { return .failure(.notFound("webhook \(id) not found")) }
            if let url { endpoint.url = url }
            if let selection { endpoint.events = selection }
            if let description { endpoint.description = description }
            if let isActive { endpoint.isActive = isActive }
            return .success(([.webhookSaved(endpoint)], endpoint))
        }
    }

    public func deleteWebhook(_ id: WebhookID) async throws(BookingError) {
        try await commitNotifications { state in
            state.webhooks[id] == nil ? .failure(.notFound("webhook \(id) not found")) : .success(([.webhookDeleted(id)], ()))
        }
        webhookAttempts.forget(id)
    }

    /// Asks for one more delivery of an event the ring still holds (the answer is 202).
    public func redeliver(_ eventID: String, to id: WebhookID) throws(BookingError) {
        let endpoint = try webhook(id)
        guard let sequence = Event.sequence(of: eventID), let event = notifications.read({ $0.event(sequence) }) else {
            throw .notFound("event \(eventID) not found")
        }
        guard endpoint.events.includes(event.type) else {
            throw .notFound("webhook \(id) does not receive \(event.type) events")
        }
        webhookAttempts.requestRedelivery(of: sequence, to: id)
    }

    /// Records that deliveries ended (delivered or given up), each with its final attempt, all in
    /// one log record; those to an endpoint deleted meanwhile are left out. Waits for
    /// durability, so a delivery marked ended is never repeated after a restart.
    public func recordDeliveries(_ finished: [DeliveryFinished]) async {
        let lsn = notifications.commit { state -> Result<([NotificationChange], Void), BookingError> in
            .success((finished.filter { state.progress[$0.webhook] != nil }.map { .deliveryEnded(webhook: $0.webhook, $0.delivery) }, ()))
        }
        if case .success((_, let lsn)) = lsn { await notifications.waitUntilDurable(lsn) }
    }

    /// The newest `limit` delivery attempts to endpoint `id` (at most `WebhookAttemptLog.retained`),
    /// newest first: the ended deliveries the log keeps (their final attempts, with their outcome,
    /// read once durable, so they are there after any restart) merged with the attempts this
    /// process made (in memory: failed attempts before a retry, manual redeliveries, and a
    /// final attempt whose record is not yet durable). A final attempt is in both once its record
    /// is durable and is listed once, from the log.
    public func deliveries(of id: WebhookID, limit: Int) async -> [WebhookAttempt] {
        let limit = min(limit, WebhookAttemptLog.retained)
        // Memory first: an attempt that ends a delivery is put there before its record, so one
        // missing from the log read after it is not yet durable.
        let made = webhookAttempts.recent(id, limit: WebhookAttemptLog.retained)
        let ended = await notifications.readDurable { state in state.endedDeliveries(id).suffix(limit) }
        struct Final: Hashable {
            var event: EventSequence
            var attempt: Int
            var at: Instant
        }
        let logged = Set(ended.map { Final(event: $0.event, attempt: $0.attempt, at: $0.at) })
        let shown = ended.map(WebhookAttempt.init) + made.compactMap { attempt -> WebhookAttempt? in
            guard attempt.outcome != nil else { return attempt }
            if logged.contains(Final(event: attempt.event, attempt: attempt.attempt, at: attempt.at)) { return nil }
            var pending = attempt
            pending.outcome = nil
            return pending
        }
        let newestFirst = shown.sorted { ($0.at, $0.event, $0.attempt) > ($1.at, $1.event, $1.attempt) }
        return Array(newestFirst.prefix(limit))
    }

    /// Commits on the notification journal and waits for durability.
    @discardableResult
    func commitNotifications<Value: Sendable>(
        _ decide: (NotificationState) -> Result<([NotificationChange], Value), BookingError>
    ) async throws(BookingError) -> Value {
        let (value, lsn) = try notifications.commit(decide).get()
        await notifications.waitUntilDurable(lsn)
        return value
    }
}
