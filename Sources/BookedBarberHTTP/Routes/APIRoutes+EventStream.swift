import BookingCore
import BookingEngine
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

extension APIRoutes {
    /// A comment line is sent when nothing else was for this long (the contract asks for at most 15 s).
    static let streamHeartbeat: Duration = .seconds(5)

    func registerEventStream(_ routes: RouteTable) {
        routes.on(.get, "/api/v2/events/stream") { request, context in
            let requester = try await streamRequester(request, context)
            guard eventStreams.admit(requester.userID) else {
                throw APIError(
                    .tooManyRequests, "rate_limited", "at most \(eventStreams.perKey) event streams per user are open at once",
                    headers: [.retryAfter: "10"])
            }
            let limit = eventStreams
            return streamResponse(request, leaving: { limit.leave(requester.userID) }) { event, time in
                requester.canSee(event) ? EventJSON.encode(event, time, staff: requester.isStaff) : nil
            }
        }

        // The walk-in board for a wall screen: public, only `queue.updated`, in the public view.
        routes.on(.get, "/api/v2/queue/stream") { request, _ in
            guard boardStreams.admit(.all) else {
                throw APIError(
                    .tooManyRequests, "rate_limited", "at most \(boardStreams.perKey) board streams are open at once",
                    headers: [.retryAfter: "10"])
            }
            let limit = boardStreams
            return streamResponse(request, leaving: { limit.leave(.all) }) { event, time in
                event.type == .queueUpdated ? EventJSON.encode(event, time, staff: false) : nil
            }
        }
    }

    /// A `text/event-stream` answer of the events after `Last-Event-ID` (or from now), each as
    /// `shown` encodes it (nil: not for this reader); `leave` runs when the stream ends.
    private func streamResponse(
        _ request: Request, leaving leave: @escaping @Sendable () -> Void,
        shown: @escaping @Sendable (Event, ShopTime) -> Data?
    ) -> Response {
        let notifications = engine.notifications
        let time = shopTime
        let resume = request.headers[HTTPField.Name("Last-Event-ID")!].flatMap(Event.sequence(of:))
        // An id from the future (another server's, a typo) resumes from now, never waits for it.
        let newest = notifications.read { $0.lastSequence }
        let start = min(resume ?? newest, newest)
        let runtime = runtime
        let body = ResponseBody { writer in
            defer { leave() }
            try await Self.stream(after: start, to: &writer, notifications: notifications, runtime: runtime) { shown($0, time) }
            try await writer.finish(nil)
        }
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-store", HTTPField.Name("X-Accel-Buffering")!: "no"],
            body: body)
    }

    /// The bearer token, or else the web pages' session cookie `bb_session` (the same JWT).
    private func streamRequester(_ request: Request, _ context: AppRequestContext) async throws -> Requester {
        if case .none = context.authentication, let cookie = request.cookies["bb_session"]?.value {
            switch await tokens.verify(cookie) {
            case .success(let requester): return requester
            case .failure(let refusal): throw APIError.unauthorized(refusal.message)
            }
        }
        return try context.requester()
    }

    /// Writes the events after `start` that `shown` encodes (the reader may see), then every new
    /// one, each once its record is durable; a comment line when nothing was written for a
    /// heartbeat. Ends when the client goes (a write fails) or, within a heartbeat, once the
    /// server drains.
    private static func stream(
        after start: EventSequence, to writer: inout any ResponseBodyWriter, notifications: NotificationJournal,
        runtime: ServerRuntime, shown: (Event) -> Data?
    ) async throws {
        let (signals, signal) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for await _ in notifications.changes() { signal.yield() }
            }
            group.addTask {
                while !Task.isCancelled {
                    try await Task.sleep(for: streamHeartbeat)
                    signal.yield()
                }
            }
            var last = start
            var quietSince = ContinuousClock.now
            try await writer.write(ByteBuffer(string: ": stream of events after \(Event.id(of: last))\n\n"))
            signal.yield()
            for await _ in signals {
                if runtime.phase == .draining { break }
                let (events, lsn) = notifications.readForShowing { Array($0.events(after: last).prefix(500)) }
                if let newest = events.last {
                    await notifications.waitUntilDurable(lsn)
                    var text = ""
                    for event in events {
                        guard let json = shown(event) else { continue }
                        text += "id: \(event.id)\nevent: \(event.type.rawValue)\ndata: \(String(decoding: json, as: UTF8.self))\n\n"
                    }
                    last = newest.sequence
                    if !text.isEmpty {
                        try await writer.write(ByteBuffer(string: text))
                        quietSince = .now
                    }
                    if events.count == 500 { signal.yield() }
                }
                if quietSince.duration(to: .now) >= streamHeartbeat {
                    try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                    quietSince = .now
                }
            }
            group.cancelAll()
        }
    }
}
