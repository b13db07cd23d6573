import Logging
import NIOCore
import NIOHTTPTypes

/// Closes a connection whose request does not arrive whole within a time limit, however slowly
/// its bytes trickle in: the idle timeout alone lets a client hold a connection for ever by
/// sending a byte just before each idle period ends (slow loris).
///
/// Two handlers share the work, both on the channel's event loop. `RequestTimeoutHandler` sits
/// in front of the HTTP decoder and sees raw bytes: the first bytes of a request start the clock.
/// `RequestEndHandler` sits after the decoder and sees parsed parts: the end of a request stops
/// the clock. The time a handler takes to answer is not limited, only the time the client takes
/// to send. Invariant: the clock runs exactly while a request has begun to arrive and has not
/// ended (up to one pipelined request whose first bytes came with the previous one, which gets
/// its clock at its next bytes).
final class RequestTimeoutHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let timeout: TimeAmount
    private let onTimeout: @Sendable () -> Void
    /// When the request being received sent its first bytes; nil between requests.
    private var requestStarted: NIODeadline?
    /// At most one timer per connection. It is not cancelled when a request ends: when it fires
    /// it checks the request then in progress, so a keep-alive connection with quick requests
    /// costs a clock read per request and a timer per `timeout`, not a timer per request.
    private var timer: Scheduled<Void>?

    init(timeout: TimeAmount, onTimeout: @escaping @Sendable () -> Void) {
        self.timeout = timeout
        self.onTimeout = onTimeout
    }

    func handlerRemoved(context: ChannelHandlerContext) { stopTimer() }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if requestStarted == nil {
            let now = NIODeadline.now()
            requestStarted = now
            if timer == nil { startTimer(context: context, deadline: now + timeout) }
        }
        context.fireChannelRead(data)
    }

    func channelInactive(context: ChannelHandlerContext) {
        stopTimer()
        context.fireChannelInactive()
    }

    /// The request whose bytes started the clock has been read whole.
    func requestEnded() { requestStarted = nil }

    private func startTimer(context: ChannelHandlerContext, deadline: NIODeadline) {
        let loopBound = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(deadline: deadline) {
            let (handler, context) = loopBound.value
            handler.timerFired(context: context)
        }
    }

    private func timerFired(context: ChannelHandlerContext) {
        timer = nil
        guard let started = requestStarted else { return }
        let deadline = started + timeout
        if deadline <= .now() {
            onTimeout()
            context.close(promise: nil)
        } else {
            startTimer(context: context, deadline: deadline)
        }
    }

    private func stopTimer() {
        timer?.cancel()
        timer = nil
    }
}

/// The parsed side of `RequestTimeoutHandler`: tells it when a request has been read whole.
final class RequestEndHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    private var clock: RequestTimeoutHandler?

    func handlerAdded(context: ChannelHandlerContext) {
        clock = try? context.pipeline.syncOperations.handler(type: RequestTimeoutHandler.self)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .end = unwrapInboundIn(data) { clock?.requestEnded() }
        context.fireChannelRead(data)
    }
}
