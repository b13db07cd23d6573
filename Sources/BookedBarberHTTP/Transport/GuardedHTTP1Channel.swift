import Hummingbird
import HummingbirdCore
import Logging
import NIOCore

/// Hummingbird's HTTP/1.1 child channel with a request timeout in front of the HTTP decoder
/// (`RequestTimeoutHandler`): the raw bytes of each request are watched from the first one on.
/// Everything else (decoder limits, idle timeout, request handling) is `HTTP1Channel`'s.
struct GuardedHTTP1Channel: ServerChildChannel, HTTPChannelHandler {
    typealias Value = HTTP1Channel.Value

    let http1: HTTP1Channel
    let requestTimeout: TimeAmount
    let onTimeout: @Sendable () -> Void

    var responder: Responder { http1.responder }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let timeout = requestTimeout
        let onTimeout = onTimeout
        return channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(RequestTimeoutHandler(timeout: timeout, onTimeout: onTimeout), position: .first)
        }.flatMap {
            http1.setup(channel: channel, logger: logger)
        }
    }

    func handle(value: Value, logger: Logger) async {
        await http1.handle(value: value, logger: logger)
    }
}

extension HTTPServerBuilder {
    /// HTTP/1.1 as `GuardedHTTP1Channel`: `configuration` must list a `RequestEndHandler` among
    /// its additional channel handlers.
    static func guardedHTTP1(
        configuration: HTTP1Channel.Configuration, requestTimeout: Duration, onTimeout: @escaping @Sendable () -> Void
    ) -> HTTPServerBuilder {
        .init { responder in
            GuardedHTTP1Channel(
                http1: HTTP1Channel(responder: responder, configuration: configuration),
                requestTimeout: TimeAmount(requestTimeout), onTimeout: onTimeout)
        }
    }
}
